using System.Text.Json;
using Transmog.Cli;

namespace Transmog.Data.Tests.Cli;

/// <summary>What the command line reports: the summary, the JSON summary, the exit codes, the help, the log.</summary>
public class CliReportTests
{
    private static async Task<(int Code, string Out, string Err)> Run(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await TransmogCli.RunAsync(args, output, error, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static Task<(int Code, string Out, string Err)> Run(params string[] args) => Run(CancellationToken.None, args);

    [Fact]
    public async Task Flatten_json_summary_has_the_tables_rows_files_bytes_and_speed()
    {
        string dir = Io.TempDirectory();
        var (code, output, error) = await Run("flatten", Repository.SamplePath, "--out", dir, "--name", "customers", "--json", "--quiet");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.Equal("flatten", root.GetProperty("command").GetString());
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
        Assert.Equal("ok", root.GetProperty("status").GetString());
        Assert.Equal(20, root.GetProperty("records").GetInt64());
        Assert.Equal(0, root.GetProperty("rejected").GetInt64());
        Assert.Equal(new FileInfo(Repository.SamplePath).Length, root.GetProperty("bytesIn").GetInt64());
        Assert.True(root.GetProperty("elapsedSeconds").GetDouble() > 0);
        Assert.True(root.GetProperty("megabytesPerSecond").GetDouble() >= 0);

        using FlattenResult expected = JsonFlattener.Flatten(JsonInput.FromFile(Repository.SamplePath), "customers");
        var tables = root.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(expected.AllTables.Select(t => t.Name), tables.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(expected.AllTables.Select(t => t.RowCount), tables.Select(t => t.GetProperty("rows").GetInt64()));
        Assert.Equal(expected.AllTables.Sum(t => t.RowCount), root.GetProperty("rows").GetInt64());
        foreach (JsonElement table in tables)
        {
            Assert.True(File.Exists(table.GetProperty("file").GetString()));
        }
    }

    [Fact]
    public async Task Rejected_records_give_exit_code_3_and_say_so_in_both_summaries()
    {
        string dir = Io.TempDirectory();
        string input = Path.Combine(dir, "bad.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1}\n{\"a\":}\n{\"a\":3}\n");
        var (code, output, error) = await Run("flatten", input, "--out", Path.Combine(dir, "out"), "--on-error", "skip", "--json");
        Assert.Equal(3, code);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal(3, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal("rejects", json.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("rejected").GetInt64());
        Assert.Equal(3, json.RootElement.GetProperty("records").GetInt64());
        Assert.True(File.Exists(json.RootElement.GetProperty("rejectsFile").GetString()));
        Assert.Contains("Wrote 1 tables, 2 rows from 3 records (1 rejected, see ", error);
    }

    [Theory]
    [InlineData]
    [InlineData("--ddl", "sqlite")]
    [InlineData("--save", "schema.json")]
    public async Task Schema_with_rejected_records_gives_exit_code_3_and_says_how_many(params string[] more)
    {
        string dir = Io.TempDirectory();
        string input = Path.Combine(dir, "bad.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1}\n{\"a\":}\n{\"a\":3}\n{\"a\":\n");
        string[] extra = [.. more.Select(m => m.EndsWith(".json", StringComparison.Ordinal) ? Path.Combine(dir, m) : m)];
        var (code, output, error) = await Run(["schema", input, "--on-error", "skip", .. extra]);
        Assert.Equal(3, code);
        Assert.Contains("2 records rejected", error);
        Assert.Contains(more.Length == 0 ? "data (2 rows)" : more[0] == "--ddl" ? "CREATE TABLE \"data\"" : "data (2 rows)", output);

        // Without rejects: 0, and nothing about rejects.
        await File.WriteAllTextAsync(input, "{\"a\":1}\n");
        (code, _, error) = await Run(["schema", input, "--on-error", "skip", .. extra]);
        Assert.Equal(0, code);
        Assert.DoesNotContain("rejected", error);
    }

    [Fact]
    public async Task Failures_give_their_exit_code_one_line_and_a_json_object_with_json()
    {
        string dir = Io.TempDirectory();
        string input = Path.Combine(dir, "bad.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1}\n{\"a\":}\n");

        var (code, output, error) = await Run("flatten", input, "--out", Path.Combine(dir, "out"), "--json");
        Assert.Equal(1, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using (JsonDocument json = JsonDocument.Parse(output))
        {
            Assert.Equal(1, json.RootElement.GetProperty("exitCode").GetInt32());
            Assert.Equal("data-error", json.RootElement.GetProperty("status").GetString());
            Assert.Contains("line 2", json.RootElement.GetProperty("error").GetString());
        }

        (code, output, _) = await Run("flatten", input, "--out", Path.Combine(dir, "out"), "--json", "--array-mode", "sideways");
        Assert.Equal(2, code);
        using (JsonDocument json = JsonDocument.Parse(output))
        {
            Assert.Equal("usage-error", json.RootElement.GetProperty("status").GetString());
        }

        (code, output, _) = await Run("flatten", input, "--json", "--bogus");
        Assert.Equal(2, code);
        using (JsonDocument json = JsonDocument.Parse(output))
        {
            Assert.Equal(2, json.RootElement.GetProperty("exitCode").GetInt32());
        }
    }

    [Fact]
    public async Task An_interrupted_run_exits_130_and_leaves_no_file_looking_complete()
    {
        string dir = Io.TempDirectory();
        string input = Path.Combine(dir, "many.jsonl");
        await using (var writer = new StreamWriter(input))
        {
            string[] lines = await File.ReadAllLinesAsync(Repository.SamplePath);
            for (int i = 0; i < 3000; i++)
            {
                await writer.WriteLineAsync(lines[i % lines.Length]);
            }
        }

        using var interrupt = new CancellationTokenSource();
        interrupt.Cancel();
        var (code, output, error) = await Run(interrupt.Token, "flatten", input, "--out", Path.Combine(dir, "out"), "--json", "--threads", "1");
        Assert.Equal(130, code);
        Assert.StartsWith("transmog: interrupted", error);
        using JsonDocument json = JsonDocument.Parse(output);
        Assert.Equal("interrupted", json.RootElement.GetProperty("status").GetString());
        Assert.False(Directory.Exists(Path.Combine(dir, "out")) && Directory.GetFiles(Path.Combine(dir, "out"), "*.csv").Length > 0);
    }

    [Theory]
    [InlineData("flatten", "transmog flatten customers.jsonl --out out")]
    [InlineData("load", "transmog load customers.jsonl --name customers")]
    [InlineData("schema", "transmog schema customers.jsonl --name customers --ddl postgres")]
    public async Task Help_shows_examples_for_each_command(string command, string example)
    {
        var (code, output, _) = await Run(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Examples:", output);
        Assert.Contains(example, output);
        Assert.Contains("--verbosity", output);
    }

    [Fact]
    public async Task Batch_size_help_does_not_claim_it_sizes_parquet_row_groups()
    {
        // Row groups close at --row-group-mb (ParquetFormatOptions.RowGroupBytes) or --row-group-rows, whatever the batch size.
        var (code, output, _) = await Run("flatten", "--help");
        Assert.Equal(0, code);
        string help = string.Join(' ', output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("row group per batch", help);
        Assert.Contains("not the Parquet row group size: see --row-group-mb and --row-group-rows", help);
    }

    [Fact]
    public async Task Root_help_lists_the_exit_codes()
    {
        var (code, output, _) = await Run("--help");
        Assert.Equal(0, code);
        Assert.Contains("130 interrupted", output);
    }

    [Fact]
    public async Task Log_file_gets_the_events_at_the_verbosity_asked_for()
    {
        string dir = Io.TempDirectory();
        string log = Path.Combine(dir, "run.log");
        var (code, _, error) = await Run("flatten", Repository.SamplePath, "--out", Path.Combine(dir, "out"), "--name", "customers", "-q", "--log-file", log);
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        string[] lines = await File.ReadAllLinesAsync(log);
        Assert.Contains(lines, l => l.Contains(" info  Transmog.Data[1] Run started: input customers.jsonl, entity customers", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Transmog.Data[2] Schema fixed: 4 tables", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Transmog.Data[8] Run ended: 20 records, 0 rejected", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(" debug ", StringComparison.Ordinal));

        string debugLog = Path.Combine(dir, "debug.log");
        (code, _, _) = await Run("flatten", Repository.SamplePath, "--out", Path.Combine(dir, "out2"), "-q", "-v", "debug", "--log-file", debugLog);
        Assert.Equal(0, code);
        string debug = await File.ReadAllTextAsync(debugLog);
        Assert.Contains("Transmog.Data[6] Spill file ", debug);
        Assert.Contains("Transmog.Data[7] Spill file ", debug);

        // -v without --log-file: to stderr; warning and above only.
        string bad = Path.Combine(dir, "bad.jsonl");
        await File.WriteAllTextAsync(bad, "{\"a\":1}\n{\"a\":}\n");
        (code, _, error) = await Run("flatten", bad, "--out", Path.Combine(dir, "out3"), "-q", "--on-error", "skip", "-v", "warning");
        Assert.Equal(3, code);
        Assert.Contains($"warn  Transmog.Data[4] 1 records rejected; the first at file {bad}, line 2", error);
        Assert.DoesNotContain("[1] Run started", error);

        (code, _, error) = await Run("flatten", bad, "--out", Path.Combine(dir, "out4"), "-v", "loud");
        Assert.Equal(2, code);
        Assert.Contains("--verbosity", error);
    }
}
