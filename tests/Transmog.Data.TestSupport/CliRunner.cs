using Transmog.Cli;

namespace Transmog.Data.TestSupport;

/// <summary>Runs the <c>transmog</c> command line in this process, capturing what it prints.</summary>
public static class CliRunner
{
    /// <summary>Runs the CLI with <paramref name="args"/>; returns its exit code, standard output and standard error.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await TransmogCli.RunAsync(args, output, error).ConfigureAwait(false);
        return (code, output.ToString(), error.ToString());
    }
}
