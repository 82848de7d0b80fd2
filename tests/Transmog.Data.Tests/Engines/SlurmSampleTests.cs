using System.Diagnostics;
using Transmog.Data.TestSupport.Servers;

namespace Transmog.Data.Tests.Engines;

/// <summary>
/// samples/Shards/slurm as a user runs it: submit.sh queues the schema array, the merge job after it and the flatten
/// array after that, each task with its own shard, on the private cluster.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmSampleTests(SlurmCluster cluster)
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task SubmitShQueuesSchemaThenMergeThenFlattenWithEachTasksShard()
    {
        cluster.Require();
        using var work = Io.TempDir("slurm");

        // A recording stand-in for the tool (TRANSMOG): this checks the sample's job chain, which task runs what
        // and in which order, not the tool. It saves an empty schema where a step asks for one, as the tool would.
        string recorder = work.Sub("transmog-recorder");
        await File.WriteAllTextAsync(recorder, """
            #!/bin/sh
            printf '%s\n' "$*" >> "$OUT/calls.log"
            while [ $# -gt 1 ]; do
              if [ "$1" = --save ]; then echo '{}' > "$2"; fi
              shift
            done
            """);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(recorder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var start = new ProcessStartInfo("bash") { WorkingDirectory = work.Path };
        foreach (string argument in (string[])[Path.Combine(Repository.Root, "samples", "Shards", "slurm", "submit.sh"), "3", "out", "a.jsonl", "b dir/"])
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in cluster.ClientEnvironment)
        {
            start.Environment[name] = value;
        }

        start.Environment["TRANSMOG"] = recorder;
        start.Environment["SBATCH_OPTIONS"] = "--cpus-per-task=1"; // over the flatten script's #SBATCH --cpus-per-task=2
        ChildProcess.Result submitted = ChildProcess.Run(start, JobTimeout);
        Assert.True(submitted.ExitCode == 0, submitted.Output + submitted.Error);

        // The last line: schema=ID merge=ID flatten=ID.
        Dictionary<string, string> jobs = submitted.Output.Trim().Split('\n')[^1].Split(' ')
            .Select(pair => pair.Split('='))
            .ToDictionary(pair => pair[0], pair => pair[1]);
        Assert.Equal(["flatten", "merge", "schema"], jobs.Keys.Order(StringComparer.Ordinal));
        var all = new Dictionary<int, string> { [0] = "COMPLETED", [1] = "COMPLETED", [2] = "COMPLETED" };
        Assert.Equal(all, await cluster.WaitAsync(jobs["schema"], JobTimeout));
        Assert.Equal(new Dictionary<int, string> { [SlurmCluster.NoArray] = "COMPLETED" }, await cluster.WaitAsync(jobs["merge"], JobTimeout));
        Assert.Equal(all, await cluster.WaitAsync(jobs["flatten"], JobTimeout));

        string output = work.Sub("out");
        string[] calls = await File.ReadAllLinesAsync(Path.Combine(output, "calls.log"));
        int merge = Array.FindIndex(calls, c => c.StartsWith("schema --merge", StringComparison.Ordinal));
        Assert.Equal(
            [.. Enumerable.Range(0, 3).Select(k => $"schema a.jsonl b dir/ --shard {k}/3 --save {output}/schema/schema-{k}.json")],
            calls[..merge].Order(StringComparer.Ordinal));
        Assert.Equal($"schema --merge {output}/schema/schema-0.json {output}/schema/schema-1.json {output}/schema/schema-2.json --save {output}/schema.json", calls[merge]);
        Assert.Equal(
            [.. Enumerable.Range(0, 3).Select(k => $"flatten a.jsonl b dir/ --shard {k}/3 --schema {output}/schema.json --id-generation position --format parquet --threads 1 --out {output}/tables")],
            calls[(merge + 1)..].Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(output, "schema.json")));
        Assert.Equal(["flatten-0.out", "flatten-1.out", "flatten-2.out", "merge.out", "schema-0.out", "schema-1.out", "schema-2.out"], Io.FilesUnder(Path.Combine(output, "logs")));
    }
}
