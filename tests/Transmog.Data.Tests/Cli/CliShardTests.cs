using System.Data.Common;
using DuckDB.NET.Data;
using Parquet;

namespace Transmog.Data.Tests.Cli;

/// <summary><c>--shard K/N</c> on the command line: part files per table, reruns replacing exactly their own parts, rejects per shard.</summary>
public class CliShardTests
{
    private static string WriteInput(string dir, int records, string? badLine = null)
    {
        string path = Path.Combine(dir, "events.jsonl");
        var lines = Enumerable.Range(0, records)
            .Select(i => $"{{\"id\":{i},\"kind\":\"k{i % 3}\",\"items\":[{string.Join(",", Enumerable.Range(0, i % 4).Select(j => $"{{\"n\":{j}}}"))}]}}")
            .ToList();
        if (badLine is not null)
        {
            lines.Insert(records / 2, badLine);
        }

        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    private static async Task<long> ParquetRows(string path)
    {
        await using ParquetReader parquet = await ParquetReader.CreateAsync(path);
        long rows = 0;
        for (int g = 0; g < parquet.RowGroupCount; g++)
        {
            using ParquetRowGroupReader group = parquet.OpenRowGroupReader(g);
            rows += group.RowCount;
        }

        return rows;
    }

    /// <summary>The ids of the Parquet files matching a pattern, read by DuckDB (each must be unique).</summary>
    private static async Task<HashSet<string>> ParquetIds(string pattern)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT CAST(_id AS VARCHAR) FROM read_parquet('{pattern.Replace("'", "''", StringComparison.Ordinal)}')";
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            Assert.True(ids.Add(reader.GetString(0)), "duplicate id " + reader.GetString(0));
        }

        return ids;
    }

    [Fact]
    public async Task Shards_write_part_files_whose_union_is_the_one_shot_output()
    {
        using TempDir dir = Io.TempDir("cli-shard");
        string input = WriteInput(dir.Path, 500);
        string whole = dir.Sub("whole");
        string parts = dir.Sub("parts");
        var (code, _, error) = await CliRunner.RunAsync("flatten", input, "-o", whole, "-f", "parquet", "--id-generation", "position", "--quiet");
        Assert.True(code == 0, error);
        for (int k = 0; k < 3; k++)
        {
            (code, string output, error) = await CliRunner.RunAsync("flatten", input, "-o", parts, "-f", "parquet", "--id-generation", "position", "--shard", $"{k}/3", "--quiet");
            Assert.True(code == 0, error);
            Assert.Contains(Path.Combine(parts, "data", $"part-{k:D5}.parquet"), output, StringComparison.Ordinal);
        }

        foreach (string table in (string[])["data", "data_items"])
        {
            string[] files = [.. Directory.GetFiles(Path.Combine(parts, table)).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
            Assert.Equal(["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"], files);
            Assert.Equal(await ParquetRows(Path.Combine(whole, table + ".parquet")), (await Task.WhenAll(files.Select(f => ParquetRows(Path.Combine(parts, table, f!))))).Sum());
            HashSet<string> oneShot = await ParquetIds(Path.Combine(whole, table + ".parquet"));
            Assert.True(oneShot.SetEquals(await ParquetIds(Path.Combine(parts, table, "*.parquet"))));
        }

        // No temporary file is left behind.
        Assert.Empty(Directory.GetFiles(parts, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_rerun_of_a_shard_replaces_exactly_its_own_parts()
    {
        using TempDir dir = Io.TempDir("cli-shard");
        string input = WriteInput(dir.Path, 300);
        string parts = dir.Sub("parts");
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(0, (await CliRunner.RunAsync("flatten", input, "-o", parts, "--id-generation", "hash", "--shard", $"{k}/2", "--quiet")).Code);
        }

        string part0 = Path.Combine(parts, "data", "part-00000.csv");
        string part1 = Path.Combine(parts, "data", "part-00001.csv");
        string before0 = File.ReadAllText(part0);
        DateTime written0 = File.GetLastWriteTimeUtc(part0);
        string before1 = File.ReadAllText(part1);

        // A stale part of shard 1 for a table it no longer has (an earlier attempt over other data: its child rows would
        // be orphans beside the new parent rows) goes away; shard 0's part of that table is not shard 1's to delete.
        string stale = Path.Combine(parts, "data_other", "part-00001.csv");
        string othersPart = Path.Combine(parts, "data_other", "part-00000.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(stale)!);
        File.WriteAllText(stale, "x\n1\n");
        File.WriteAllText(othersPart, "x\n2\n");
        File.WriteAllText(part1, "half-written");

        // What a killed attempt leaves: its hidden temporary part. The rerun clears it; another shard's stays.
        string abandoned = Path.Combine(parts, "data", ".part-00001.csv.0badf00d.partial");
        string othersAbandoned = Path.Combine(parts, "data", ".part-00000.csv.0badf00d.partial");
        File.WriteAllText(abandoned, "id\n1");
        File.WriteAllText(othersAbandoned, "id\n1");

        await Task.Delay(20);
        Assert.Equal(0, (await CliRunner.RunAsync("flatten", input, "-o", parts, "--id-generation", "hash", "--shard", "1/2", "--quiet")).Code);

        Assert.Equal(before0, File.ReadAllText(part0));
        Assert.Equal(written0, File.GetLastWriteTimeUtc(part0));
        string after1 = File.ReadAllText(part1);
        Assert.Equal(Without(before1, "_timestamp"), Without(after1, "_timestamp"));
        Assert.False(File.Exists(stale), "shard 1's part of a table its rerun does not have");
        Assert.True(File.Exists(othersPart), "shard 0's part");
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(othersAbandoned));
    }

    /// <summary>CSV text without one column (the run's timestamp differs between runs).</summary>
    private static string Without(string csv, string column)
    {
        string[] lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        int at = Array.IndexOf(lines[0].Split(','), column);
        return string.Join("\n", lines.Select(l => string.Join(",", l.Split(',').Where((_, i) => i != at))));
    }

    [Fact]
    public async Task Rejects_of_a_shard_go_to_its_own_part_and_only_the_owner_reports_them()
    {
        using TempDir dir = Io.TempDir("cli-shard");
        string input = WriteInput(dir.Path, 200, badLine: "{\"id\": oops}");
        string parts = dir.Sub("parts");
        var codes = new List<int>();
        for (int k = 0; k < 4; k++)
        {
            var (code, _, _) = await CliRunner.RunAsync("flatten", input, "-o", parts, "--on-error", "skip", "--shard", $"{k}/4", "--quiet");
            codes.Add(code);
        }

        string[] rejectParts = Directory.GetFiles(Path.Combine(parts, "_rejects"));
        string only = Assert.Single(rejectParts);
        int owner = int.Parse(Path.GetFileNameWithoutExtension(only)["part-".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(3, codes[owner]);
        Assert.Equal(3, codes.Count(c => c == 0));
        string reject = File.ReadAllText(only);
        Assert.Contains("\"line\":101", reject, StringComparison.Ordinal);
        Assert.Contains("\"file\":", reject, StringComparison.Ordinal);

        // Under strict, the owner fails naming the file and line; the others succeed.
        string strict = dir.Sub("strict");
        var results = new List<(int Code, string Err)>();
        for (int k = 0; k < 4; k++)
        {
            var (code, _, err) = await CliRunner.RunAsync("flatten", input, "-o", strict, "--shard", $"{k}/4", "--quiet");
            results.Add((code, err));
        }

        Assert.Equal(1, results[owner].Code);
        Assert.Contains("line 101", results[owner].Err, StringComparison.Ordinal);
        Assert.Contains("events.jsonl", results[owner].Err, StringComparison.Ordinal);
        Assert.Equal(3, results.Count(r => r.Code == 0));
    }

    [Theory]
    [InlineData("3/3")]
    [InlineData("1")]
    [InlineData("-1/2")]
    [InlineData("a/b")]
    public async Task A_bad_shard_is_a_usage_error(string shard)
    {
        using TempDir dir = Io.TempDir("cli-shard");
        string input = WriteInput(dir.Path, 3);
        var (code, _, error) = await CliRunner.RunAsync("flatten", input, "-o", dir.Sub("out"), "--shard", shard, "--quiet");
        Assert.Equal(2, code);
        Assert.Contains("--shard must be K/N", error, StringComparison.Ordinal);
    }

    /// <summary>A run into a directory used before: the rejects file describes this run, and a killed attempt's temporary file goes.</summary>
    [Fact]
    public async Task A_rerun_into_the_same_directory_leaves_no_stale_rejects_or_temporary_files()
    {
        using TempDir dir = Io.TempDir("cli-rerun");
        string output = dir.Sub("out");
        string bad = WriteInput(dir.Path, 50, badLine: "{\"id\": oops}");
        var (code, _, _) = await CliRunner.RunAsync("flatten", bad, "-o", output, "--on-error", "skip", "--quiet");
        Assert.Equal(3, code);
        string rejects = Path.Combine(output, "_rejects.jsonl");
        Assert.True(File.Exists(rejects));

        string abandoned = Path.Combine(output, ".data.csv.0badf00d.partial");
        File.WriteAllText(abandoned, "id\n1");
        string goodDirectory = dir.Sub("good");
        Directory.CreateDirectory(goodDirectory);
        string good = WriteInput(goodDirectory, 50);
        (code, _, _) = await CliRunner.RunAsync("flatten", good, "-o", output, "--on-error", "skip", "--quiet");
        Assert.Equal(0, code);
        Assert.False(File.Exists(rejects), "no rejects this time: the old file would say otherwise");
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(Path.Combine(output, "data.csv")));

        // Strict mode has no rejects file at all: an old one goes too.
        File.WriteAllText(rejects, "{}\n");
        Assert.Equal(0, (await CliRunner.RunAsync("flatten", good, "-o", output, "--quiet")).Code);
        Assert.False(File.Exists(rejects));
    }
}
