using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;
using Transmog.Data.TestSupport.Servers;

namespace Transmog.Data.Tests.Engines;

/// <summary>
/// The real tool in shards on the private Slurm cluster, as samples/Shards/slurm runs it: a schema array, the merge,
/// a flatten array writing Parquet parts; one flatten task's tool killed with SIGKILL in the middle of writing its parts and
/// its index resubmitted alone; the union of the parts, read back by DuckDB, equals a one-shot run.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmShardTests(SlurmCluster cluster)
{
    private const int Shards = 3;
    private const int KilledTask = 1;
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(180);

    [SkippableFact]
    public async Task ShardsOnSlurmWithOneTaskKilledAndRerunEqualAOneShotRun()
    {
        cluster.Require();
        using var work = Io.TempDir("slurm-shards");
        string[] inputs = WriteInputs(Directory.CreateDirectory(work.Sub("in")).FullName);
        string output = work.Sub("out");

        // The tool as the jobs run it. On the first attempt of the flatten task to be killed, the wrapper stops the tool
        // (SIGSTOP) as soon as that task's temporary part files exist: the kill then lands mid-write, every time.
        string wrapper = work.Sub("transmog");
        await File.WriteAllTextAsync(wrapper, $$"""
            #!/usr/bin/env bash
            if [ "$1" = flatten ] && [ "${SLURM_ARRAY_TASK_ID:-}" = {{KilledTask}} ] && [ ! -e "$OUT/frozen" ]; then
              {{CliRunner.ShellCommand}} "$@" &
              tool=$!
              while kill -0 "$tool" 2>/dev/null; do
                if compgen -G "$OUT/tables/*/.part-0000{{KilledTask}}.parquet.*.partial" > /dev/null; then
                  kill -STOP "$tool"
                  echo "$tool" > "$OUT/frozen"
                  wait "$tool"
                  exit $?
                fi
                sleep 0.005
              done
              echo "the tool ended before it could be stopped" > "$OUT/missed"
              wait "$tool"
              exit $?
            fi
            exec {{CliRunner.ShellCommand}} "$@"
            """);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Dictionary<string, string> environment = new(cluster.ClientEnvironment)
        {
            ["TRANSMOG"] = wrapper,
            ["SBATCH_OPTIONS"] = "--cpus-per-task=1",
        };
        string samples = Path.Combine(Repository.Root, "samples", "Shards", "slurm");
        ChildProcess.Result submitted = Run(work.Path, environment, [Path.Combine(samples, "submit.sh"), Shards.ToString(CultureInfo.InvariantCulture), output, .. inputs]);
        Assert.True(submitted.ExitCode == 0, submitted.Output + submitted.Error);
        Dictionary<string, string> jobs = submitted.Output.Trim().Split('\n')[^1].Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);

        var completed = Enumerable.Range(0, Shards).ToDictionary(k => k, _ => "COMPLETED");
        Assert.Equal(completed, await cluster.WaitAsync(jobs["schema"], JobTimeout));
        Assert.Equal("COMPLETED", (await cluster.WaitAsync(jobs["merge"], JobTimeout))[SlurmCluster.NoArray]);
        Assert.Equal(
            Enumerable.Range(0, Shards).Select(k => $"schema-{k}.json"),
            Directory.GetFiles(Path.Combine(output, "schema")).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // Task 1 of the flatten array is stopped mid-write; kill it like a lost node would be.
        await WaitForAsync(() => File.Exists(Path.Combine(output, "frozen")) || File.Exists(Path.Combine(output, "missed")), JobTimeout);
        Assert.False(File.Exists(Path.Combine(output, "missed")), "the killed task finished before it could be stopped");
        // kill -9 of the tool itself: `scancel` would send SIGTERM first, on which the tool deletes its temporary
        // files and ends "interrupted" (130); SIGKILL leaves them, as a lost node or the OOM killer would.
        int tool = int.Parse((await File.ReadAllTextAsync(Path.Combine(output, "frozen"))).Trim(), CultureInfo.InvariantCulture);
        Process.GetProcessById(tool).Kill();
        IReadOnlyDictionary<int, string> flattened = await cluster.WaitAsync(jobs["flatten"], JobTimeout);
        Assert.Equal("COMPLETED", flattened[0]);
        Assert.Equal("COMPLETED", flattened[2]);
        Assert.Equal("FAILED", flattened[KilledTask]);

        // The killed task left no part under a final name, only its hidden temporary files.
        string tables = Path.Combine(output, "tables");
        Assert.Empty(Directory.GetFiles(tables, $"part-0000{KilledTask}.parquet", SearchOption.AllDirectories));
        Assert.True(Directory.GetFiles(tables, $".part-0000{KilledTask}.parquet.*.partial", SearchOption.AllDirectories).Length > 0,
            string.Join("\n", Directory.GetFiles(tables, "*", SearchOption.AllDirectories)) + "\n" + File.ReadAllText(Path.Combine(output, "logs", $"flatten-{KilledTask}.out")));

        // Resubmit that index alone, as the sample's README says.
        environment["SHARDS"] = Shards.ToString(CultureInfo.InvariantCulture);
        environment["OUT"] = output;
        ChildProcess.Result resubmitted = Run(work.Path, environment,
            ["sbatch", "--parsable", "--export=ALL", "--cpus-per-task=1", $"--array={KilledTask}", $"--output={output}/logs/flatten-rerun-%a.out", Path.Combine(samples, "flatten.sbatch"), .. inputs]);
        Assert.True(resubmitted.ExitCode == 0, resubmitted.Output + resubmitted.Error);
        string rerun = resubmitted.Output.Trim().Split(';')[0];
        Assert.Equal("COMPLETED", (await cluster.WaitAsync(rerun, JobTimeout))[KilledTask]);
        Assert.Empty(Directory.GetFiles(tables, "*.partial", SearchOption.AllDirectories));

        // The same inputs flattened in one run, with its own inferred schema.
        string whole = work.Sub("whole");
        var (code, _, error) = await CliRunner.RunAsync(["flatten", .. inputs, "--id-generation", "position", "--format", "parquet", "--out", whole, "--quiet"]);
        Assert.True(code == 0, error);

        string[] wholeTables = [.. Directory.GetFiles(whole, "*.parquet").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];
        Assert.Equal(wholeTables, Directory.GetDirectories(tables).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("data_orders_items", wholeTables);
        await using var duck = new DuckDBConnection("Data Source=:memory:");
        await duck.OpenAsync();
        foreach (string table in wholeTables)
        {
            string one = $"read_parquet('{Path.Combine(whole, table + ".parquet")}')";
            string parts = $"read_parquet('{Path.Combine(tables, table, "*.parquet")}')";
            Assert.Equal(Shards, Directory.GetFiles(Path.Combine(tables, table), "*.parquet").Length);
            Assert.Equal(await ScalarAsync(duck, $"SELECT count(*) FROM {one}"), await ScalarAsync(duck, $"SELECT count(*) FROM {parts}"));
            Assert.Equal(
                await ScalarAsync(duck, $"SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM {one})"),
                await ScalarAsync(duck, $"SELECT string_agg(column_name || ' ' || column_type, ', ') FROM (DESCRIBE SELECT * FROM {parts})"));
            Assert.Equal(0L, await ScalarAsync(duck, $"SELECT count(*) FROM (SELECT * EXCLUDE (_timestamp) FROM {one} EXCEPT ALL SELECT * EXCLUDE (_timestamp) FROM {parts})"));
            Assert.Equal(0L, await ScalarAsync(duck, $"SELECT count(*) FROM (SELECT * EXCLUDE (_timestamp) FROM {parts} EXCEPT ALL SELECT * EXCLUDE (_timestamp) FROM {one})"));
            Assert.Equal(await ScalarAsync(duck, $"SELECT count(*) FROM {parts}"), await ScalarAsync(duck, $"SELECT count(DISTINCT _id) FROM {parts}"));
        }

        // Every child row's parent is in its parent table's parts.
        foreach ((string child, string parent) in (ValueTuple<string, string>[])[("data_orders", "data"), ("data_orders_items", "data_orders")])
        {
            Assert.Equal(0L, await ScalarAsync(duck,
                $"SELECT count(*) FROM read_parquet('{Path.Combine(tables, child, "*.parquet")}') c ANTI JOIN read_parquet('{Path.Combine(tables, parent, "*.parquet")}') p ON c._parent_id = p._id"));
        }
    }

    /// <summary>
    /// Three inputs of three kinds, in order: JSON Lines (big enough that a task is still writing when it is stopped;
    /// split between the shards at lines), gzip JSON Lines and a JSON array (each whole to one shard); a field that
    /// appears late and an amount that turns real late, so the shards' own schemas differ and must be merged.
    /// </summary>
    private static string[] WriteInputs(string dir)
    {
        static string Record(int i)
        {
            var orders = new StringBuilder();
            for (int o = 0; o < i % 4; o++)
            {
                string amount = i > 150_000 ? (i * 0.25 + o).ToString(CultureInfo.InvariantCulture) : (i + o).ToString(CultureInfo.InvariantCulture);
                orders.Append(o == 0 ? "" : ",").Append(CultureInfo.InvariantCulture,
                    $"{{\"order\":{o},\"amount\":{amount},\"items\":[{{\"sku\":\"s{i % 97}\",\"qty\":{o + 1}}},{{\"sku\":\"t{i % 13}\",\"qty\":2}}]}}");
            }

            string late = i > 120_000 ? $",\"vip\":{(i % 2 == 0 ? "true" : "false")}" : "";
            return $"{{\"id\":{i},\"name\":\"customer {i}\",\"city\":\"Zürich {i % 50}\",\"tags\":[\"a\",\"b{i % 7}\"],\"orders\":[{orders}]{late}}}";
        }

        string lines = Path.Combine(dir, "a.jsonl");
        using (var writer = new StreamWriter(lines, false, new UTF8Encoding(false)))
        {
            for (int i = 0; i < 160_000; i++)
            {
                writer.Write(Record(i));
                writer.Write('\n');
            }
        }

        string gzip = Path.Combine(dir, "b.jsonl.gz");
        using (var stream = new GZipStream(File.Create(gzip), CompressionLevel.Fastest))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            for (int i = 160_000; i < 170_000; i++)
            {
                writer.Write(Record(i));
                writer.Write("\r\n");
            }
        }

        string array = Path.Combine(dir, "c.json");
        File.WriteAllText(array, "[" + string.Join(",\n", Enumerable.Range(170_000, 5_000).Select(Record)) + "]");
        return [lines, gzip, array];
    }

    private static ChildProcess.Result Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] command)
    {
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = workingDirectory };
        foreach (string argument in command[1..])
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        return ChildProcess.Run(start, JobTimeout);
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, "timed out waiting");
            await Task.Delay(50);
        }
    }

    private static async Task<object?> ScalarAsync(DuckDBConnection connection, string sql)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = await command.ExecuteScalarAsync();
        return value is long or int or decimal or System.Numerics.BigInteger ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : value;
    }
}
