using Transmog.Data.TestSupport.Servers;

namespace Transmog.Data.Tests.Engines;

/// <summary>
/// The private Slurm cluster itself (the machinery the shard tests run on): job arrays, afterok dependencies, a task
/// killed mid-run and resubmitted alone, and a job script that starts the built CLI as its own process.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmClusterTests(SlurmCluster cluster)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task ArrayTasksRunThenTheDependentJobSeesAllTheirOutput()
    {
        cluster.Require();
        using var work = Io.TempDir("slurm");
        string array = await cluster.SubmitAsync("echo \"$SLURM_ARRAY_TASK_ID\" > \"task-$SLURM_ARRAY_TASK_ID.txt\"\n", work.Path, array: "0-3");
        string merge = await cluster.SubmitAsync(
            "cat task-0.txt task-1.txt task-2.txt task-3.txt > all.txt\n" + CliRunner.ShellCommand + " --version > version.txt\n",
            work.Path,
            afterOk: array);

        IReadOnlyDictionary<int, string> tasks = await cluster.WaitAsync(array, JobTimeout);
        IReadOnlyDictionary<int, string> merged = await cluster.WaitAsync(merge, JobTimeout);

        Assert.Equal(new Dictionary<int, string> { [0] = "COMPLETED", [1] = "COMPLETED", [2] = "COMPLETED", [3] = "COMPLETED" }, tasks);
        Assert.Equal(new Dictionary<int, string> { [SlurmCluster.NoArray] = "COMPLETED" }, merged);
        Assert.Equal("0\n1\n2\n3\n", await File.ReadAllTextAsync(work.Sub("all.txt")));
        Assert.Matches(@"^\d+\.\d+\.\d+", await File.ReadAllTextAsync(work.Sub("version.txt")));
    }

    [SkippableFact]
    public async Task AFailedTaskCancelsTheJobThatWaitsForIt()
    {
        cluster.Require();
        using var work = Io.TempDir("slurm");
        string array = await cluster.SubmitAsync("[ \"$SLURM_ARRAY_TASK_ID\" != 1 ] || exit 3\ntouch \"ok-$SLURM_ARRAY_TASK_ID\"\n", work.Path, array: "0-1");
        string merge = await cluster.SubmitAsync("touch merged\n", work.Path, afterOk: array);

        IReadOnlyDictionary<int, string> tasks = await cluster.WaitAsync(array, JobTimeout);
        IReadOnlyDictionary<int, string> merged = await cluster.WaitAsync(merge, JobTimeout);

        Assert.Equal(new Dictionary<int, string> { [0] = "COMPLETED", [1] = "FAILED" }, tasks);
        Assert.Equal("CANCELLED", merged[SlurmCluster.NoArray]);
        Assert.True(File.Exists(work.Sub("ok-0")));
        Assert.False(File.Exists(work.Sub("ok-1")));
        Assert.False(File.Exists(work.Sub("merged")));
    }

    [SkippableFact]
    public async Task ATaskKilledMidRunEndsUncompletedAndItsIndexAloneRunsAgain()
    {
        cluster.Require();
        using var work = Io.TempDir("slurm");

        // Task 1 hangs on its first run (until killed); every run of a task writes done-K when it gets to its end.
        const string script = """
            if [ "$SLURM_ARRAY_TASK_ID" = 1 ] && [ ! -e rerun ]; then
              echo "$$" > started-1
              sleep 300
            fi
            echo "$SLURM_ARRAY_TASK_ID" >> "done-$SLURM_ARRAY_TASK_ID"
            """;
        string first = await cluster.SubmitAsync(script, work.Path, array: "0-1");
        await cluster.WaitForStateAsync(first, 1, "RUNNING", JobTimeout);
        await WaitForFileAsync(work.Sub("started-1"));

        await cluster.SignalAsync(first, 1, "KILL");
        IReadOnlyDictionary<int, string> killed = await cluster.WaitAsync(first, JobTimeout);

        Assert.Equal("COMPLETED", killed[0]);
        Assert.Contains(killed[1], (string[])["CANCELLED", "FAILED"]);
        Assert.False(File.Exists(work.Sub("done-1")));
        int shell = int.Parse(File.ReadAllText(work.Sub("started-1")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(await RunsAfterAsync(shell, TimeSpan.FromSeconds(10)), "the killed task's shell is still running");

        await File.WriteAllTextAsync(work.Sub("rerun"), string.Empty);
        string again = await cluster.SubmitAsync(script, work.Path, array: "1");
        IReadOnlyDictionary<int, string> rerun = await cluster.WaitAsync(again, JobTimeout);

        Assert.Equal(new Dictionary<int, string> { [1] = "COMPLETED" }, rerun);
        Assert.Equal("1\n", await File.ReadAllTextAsync(work.Sub("done-1")));
        Assert.Equal("0\n", await File.ReadAllTextAsync(work.Sub("done-0")));
    }

    /// <summary>Whether a process still runs after waiting up to <paramref name="timeout"/> for it to end (a zombie has ended).</summary>
    private static async Task<bool> RunsAfterAsync(int pid, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            string stat;
            try
            {
                stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }

            // pid (comm) STATE ...: Z is a zombie, X dead.
            char state = stat[(stat.LastIndexOf(')') + 2)..][0];
            if (state is 'Z' or 'X')
            {
                return false;
            }

            if (clock.Elapsed > timeout)
            {
                return true;
            }

            await Task.Delay(100);
        }
    }

    private static async Task WaitForFileAsync(string path)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            Assert.True(clock.Elapsed < JobTimeout, $"{Path.GetFileName(path)} was not written in time.");
            await Task.Delay(100);
        }
    }
}
