using System.Diagnostics;

namespace Transmog.Data.TestSupport;

/// <summary>Runs a child process to its end, reading its standard output and standard error at the same time.</summary>
public static class ChildProcess
{
    /// <summary>What a child process printed, and how it ended.</summary>
    /// <param name="ExitCode">The exit code (-1 when it timed out and was killed).</param>
    /// <param name="Output">Everything written to standard output.</param>
    /// <param name="Error">Everything written to standard error.</param>
    /// <param name="TimedOut">Whether it was still running after the timeout (and was killed).</param>
    public sealed record Result(int ExitCode, string Output, string Error, bool TimedOut);

    /// <summary>
    /// Starts <paramref name="start"/> with its standard input closed and both output streams redirected and drained
    /// concurrently (a child filling one pipe while the other is read to its end would never finish), and waits at
    /// most <paramref name="timeout"/>; a child still running then is killed with its process tree.
    /// </summary>
    public static Result Run(ProcessStartInfo start, TimeSpan timeout)
    {
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {start.FileName}.");
        process.StandardInput.Close();
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        // Both pipes close when the process (tree) is gone: the reads end.
        return new Result(exited ? process.ExitCode : -1, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult(), !exited);
    }
}
