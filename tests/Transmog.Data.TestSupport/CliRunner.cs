using Transmog.Cli;

namespace Transmog.Data.TestSupport;

/// <summary>Runs the <c>transmog</c> command line in this process, capturing what it prints.</summary>
public static class CliRunner
{
    /// <summary>
    /// The command that starts the built CLI as a process of its own, for scripts a test writes at run time (a Slurm
    /// job, say): the dotnet host and the absolute path of transmog.dll in the test output, each quoted for sh.
    /// </summary>
    public static string ShellCommand => ShellQuote(DotnetHost) + " " + ShellQuote(typeof(TransmogCli).Assembly.Location);

    private static string DotnetHost
    {
        get
        {
            // The SDK names its host for child processes; else this process's host where it is dotnet itself.
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            string? self = Environment.ProcessPath;
            return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
        }
    }

    /// <summary>A word for sh: in single quotes, each single quote inside written as '\''.</summary>
    public static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Runs the CLI with <paramref name="args"/>; returns its exit code, standard output and standard error.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await TransmogCli.RunAsync(args, output, error).ConfigureAwait(false);
        return (code, output.ToString(), error.ToString());
    }
}
