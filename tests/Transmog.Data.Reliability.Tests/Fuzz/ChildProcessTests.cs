using System.Diagnostics;

namespace Transmog.Data.Reliability.Tests.Fuzz;

/// <summary>
/// The child-process runner the fuzz test (and the server fixtures) use: a child that fills its standard error pipe
/// before it writes to standard output must not block the reader (reading stdout to its end first would).
/// </summary>
public class ChildProcessTests
{
    [Fact]
    public void A_child_filling_stderr_before_stdout_runs_to_its_end()
    {
        // 1 MB to stderr (a pipe holds 64 KB), then one line to stdout, then exit 3.
        var start = new ProcessStartInfo("sh");
        foreach (string arg in new[] { "-c", "head -c 1048576 /dev/zero | tr '\\0' e >&2; echo done; exit 3" })
        {
            start.ArgumentList.Add(arg);
        }

        ChildProcess.Result result = ChildProcess.Run(start, TimeSpan.FromSeconds(60));
        Assert.False(result.TimedOut);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("done\n", result.Output);
        Assert.Equal(1 << 20, result.Error.Length);
        Assert.All(result.Error, c => Assert.Equal('e', c));
    }

    [Fact]
    public void A_child_running_past_the_timeout_is_killed()
    {
        var start = new ProcessStartInfo("sh");
        foreach (string arg in new[] { "-c", "echo started; sleep 60" })
        {
            start.ArgumentList.Add(arg);
        }

        var clock = Stopwatch.StartNew();
        ChildProcess.Result result = ChildProcess.Run(start, TimeSpan.FromSeconds(1));
        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
        Assert.Equal("started\n", result.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"returned after {clock.Elapsed}");
    }
}
