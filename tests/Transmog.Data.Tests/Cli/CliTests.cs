namespace Transmog.Data.Tests.Cli;

public class CliTests
{
    [Fact]
    public async Task Flatten_writes_one_csv_per_table_and_prints_paths()
    {
        string dir = Io.TempDirectory();
        var (code, output, error) = await CliRunner.RunAsync("flatten", Repository.SamplePath, "--out", dir, "--name", "customers");
        Assert.Equal(0, code);
        Assert.Matches(@"customers_orders\s+30 rows", error);
        Assert.Contains("Wrote 4 tables, 136 rows from 20 records (0 rejected); 16.8 KB in ", error);
        Assert.Equal(4, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(File.Exists(Path.Combine(dir, "customers_orders_items.csv")));
    }

    [Fact]
    public async Task Flatten_to_parquet_with_options()
    {
        string dir = Io.TempDirectory();
        var (code, _, error) = await CliRunner.RunAsync("flatten", Repository.SamplePath, "-o", dir, "--format", "parquet", "--compression", "gzip",
            "--array-mode", "separate", "--id-generation", "hash", "--no-timestamp", "--batch-size", "5", "--preset", "performance", "--threads", "1", "--quiet");
        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        Assert.True(File.Exists(Path.Combine(dir, "data_tags.parquet")));
    }

    [Fact]
    public async Task Bad_input_gives_exit_code_1_and_one_line_with_the_position()
    {
        string dir = Io.TempDirectory();
        string input = Path.Combine(dir, "bad.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1}\n{\"a\":}\n");
        var (code, _, error) = await CliRunner.RunAsync("flatten", input, "--out", Path.Combine(dir, "out"));
        Assert.Equal(1, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("line 2", error);
        Assert.Contains("byte offset", error);
        Assert.False(Directory.Exists(Path.Combine(dir, "out")) && Directory.GetFiles(Path.Combine(dir, "out")).Length > 0);
    }

    [Fact]
    public async Task On_error_skip_writes_rejects()
    {
        string dir = Io.TempDirectory();
        string input = Path.Combine(dir, "bad.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1}\n{\"a\":}\n{\"a\":3}\n");
        var (code, output, error) = await CliRunner.RunAsync("flatten", input, "--out", Path.Combine(dir, "out"), "--on-error", "skip");
        Assert.Equal(3, code);
        Assert.Contains("_rejects.jsonl", output);
        Assert.Contains("from 3 records (1 rejected, see ", error);
    }

    [Theory]
    [InlineData("flatten", "missing.json", "--out", "x")]
    [InlineData("flatten", "{sample}", "--out", "{tmp}", "--array-mode", "sideways")]
    [InlineData("flatten", "{sample}", "--out", "{tmp}", "--max-depth", "0")]
    public async Task Invalid_arguments_give_one_clear_line(params string[] args)
    {
        string[] resolved = args.Select(a => a.Replace("{sample}", Repository.SamplePath).Replace("{tmp}", Io.TempDirectory())).ToArray();
        var (code, _, error) = await CliRunner.RunAsync(resolved);
        Assert.Equal(2, code);
        Assert.StartsWith("transmog: ", error);
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error()
    {
        var (code, _, error) = await CliRunner.RunAsync("flatten", Repository.SamplePath, "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("--bogus", error);
    }

    [Fact]
    public async Task Schema_prints_tables_columns_and_types()
    {
        var (code, output, _) = await CliRunner.RunAsync("schema", Repository.SamplePath, "--name", "customers");
        Assert.Equal(0, code);
        Assert.Contains("customers (20 rows)", output);
        Assert.Contains("customers_orders_items_discounts", output);
        Assert.Matches(@"customer_id\s+int64", output);
    }
}
