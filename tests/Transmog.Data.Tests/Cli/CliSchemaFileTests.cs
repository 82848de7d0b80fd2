namespace Transmog.Data.Tests.Cli;

public class CliSchemaFileTests
{
    /// <summary>The sample cut into two files of consecutive records, as two shards would read it.</summary>
    private static (string Dir, string First, string Second) Halves()
    {
        string dir = Io.TempDirectory();
        string[] lines = File.ReadAllLines(Repository.SamplePath).Where(l => l.Length > 0).ToArray();
        string first = Path.Combine(dir, "part-a.jsonl");
        string second = Path.Combine(dir, "part-b.jsonl");
        File.WriteAllLines(first, lines[..7]);
        File.WriteAllLines(second, lines[7..]);
        return (dir, first, second);
    }

    private static async Task<string> RunOk(params string[] args)
    {
        var (code, output, error) = await CliRunner.RunAsync(args);
        Assert.True(code == 0, $"exit {code}: {error}");
        return output;
    }

    [Fact]
    public async Task Schema_save_writes_the_file_and_still_prints_the_tables()
    {
        string dir = Io.TempDirectory();
        string file = Path.Combine(dir, "schema.json");
        string output = await RunOk("schema", Repository.SamplePath, "--name", "customers", "--save", file);
        Assert.Contains("customers_orders_items (60 rows, parent customers_orders)", output);
        TransmogSchema saved = TransmogSchema.Load(file);
        Assert.Equal(["customers", "customers_orders", "customers_orders_items", "customers_orders_items_discounts"], saved.Tables.Select(t => t.Name));
        Assert.Equal(30, saved.Find("customers_orders")!.RowCount);

        Assert.Equal(string.Empty, await RunOk("schema", Repository.SamplePath, "--name", "customers", "--save", file, "--quiet"));

        // Printed or converted from the file alone, the entity coming from it.
        output = await RunOk("schema", "--schema", file);
        Assert.Contains("customers_orders (30 rows, parent customers)", output);
        Assert.Contains("CREATE TABLE \"customers_orders\"", await RunOk("schema", "--schema", file, "--ddl", "sqlite"));
    }

    [Fact]
    public async Task Merged_schemas_of_two_halves_equal_the_schema_of_the_whole_and_flatten_the_same()
    {
        (string dir, string first, string second) = Halves();
        string whole = Path.Combine(dir, "whole.json");
        string[] options = ["--name", "customers", "--id-generation", "hash", "--no-timestamp"];
        await RunOk(["schema", first, second, .. options, "--save", whole, "-q"]);
        await RunOk(["schema", first, .. options, "--save", Path.Combine(dir, "schema-0.json"), "-q"]);
        await RunOk(["schema", second, .. options, "--save", Path.Combine(dir, "schema-1.json"), "-q"]);

        string merged = Path.Combine(dir, "merged.json");
        await RunOk("schema", "--merge", Path.Combine(dir, "schema-0.json"), Path.Combine(dir, "schema-1.json"), "--save", merged, "-q");
        Assert.Equal(await File.ReadAllTextAsync(whole), await File.ReadAllTextAsync(merged));

        // A quoted pattern is expanded (in name order).
        string globbed = Path.Combine(dir, "globbed.json");
        await RunOk("schema", "--merge", Path.Combine(dir, "schema-*.json"), "--save", globbed, "-q");
        Assert.Equal(await File.ReadAllTextAsync(whole), await File.ReadAllTextAsync(globbed));

        // Flattening with the merged schema (entity from the file) writes what a run without it writes.
        string plain = Path.Combine(dir, "plain");
        string withSchema = Path.Combine(dir, "with-schema");
        await RunOk("flatten", first, second, "--name", "customers", "--out", plain, "--id-generation", "hash", "--no-timestamp", "-q");
        await RunOk("flatten", first, second, "--schema", merged, "--out", withSchema, "--id-generation", "hash", "--no-timestamp", "-q");
        string[] files = Directory.GetFiles(plain).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(4, files.Length);
        Assert.Equal(files, Directory.GetFiles(withSchema).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        foreach (string name in files)
        {
            Assert.Equal(await File.ReadAllTextAsync(Path.Combine(plain, name)), await File.ReadAllTextAsync(Path.Combine(withSchema, name)));
        }

        // And each half alone, flattened with it, has the whole's columns.
        string half = Path.Combine(dir, "half");
        await RunOk("flatten", second, "--schema", merged, "--out", half, "--id-generation", "hash", "--no-timestamp", "-q");
        Assert.Equal(File.ReadLines(Path.Combine(plain, "customers.csv")).First(), File.ReadLines(Path.Combine(half, "customers.csv")).First());

        // load takes it too.
        string db = Path.Combine(dir, "customers.db");
        var (code, _, error) = await CliRunner.RunAsync("load", first, second, "--to", db, "--schema", merged, "--id-generation", "hash", "--no-timestamp");
        Assert.True(code == 0, error);
        Assert.Matches(@"customers_orders_items\s+60 rows", error);

        // A schema made with other options does not fit: refused before anything is read, naming table, column and option.
        (code, _, error) = await CliRunner.RunAsync("load", first, second, "--to", Path.Combine(dir, "other.db"), "--schema", merged);
        Assert.Equal(2, code);
        Assert.Contains("table 'customers' has no timestamp column, but these options make one ('_timestamp'", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "other.db")) && new FileInfo(Path.Combine(dir, "other.db")).Length > 0, "nothing loaded");

        // And the other way round: a schema with a timestamp used with --no-timestamp (an always empty column otherwise).
        string stamped = Path.Combine(dir, "stamped.json");
        await RunOk("schema", first, "--name", "customers", "--save", stamped, "-q");
        (code, _, error) = await CliRunner.RunAsync("flatten", first, "--schema", stamped, "--no-timestamp", "--out", Path.Combine(dir, "nostamp"), "-q");
        Assert.Equal(2, code);
        Assert.Contains("has the timestamp column '_timestamp', but these options make none", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flatten_with_an_edited_schema_renames_a_table_and_rejects_drift()
    {
        string dir = Io.TempDirectory();
        string file = Path.Combine(dir, "schema.json");
        await RunOk("schema", Repository.SamplePath, "--name", "customers", "--save", file, "-q");
        string text = (await File.ReadAllTextAsync(file))
            .Replace("\"customers_orders_items\"", "\"order_lines\"", StringComparison.Ordinal)
            .Replace("\"parent\": \"customers_orders_items\"", "\"parent\": \"order_lines\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text);
        string output = Path.Combine(dir, "out");
        string paths = await RunOk("flatten", Repository.SamplePath, "--schema", file, "--out", output);
        Assert.Contains("order_lines.csv", paths);
        Assert.Equal(61, File.ReadAllLines(Path.Combine(output, "order_lines.csv")).Length);

        // --name must agree with the file's entity.
        var (code, _, error) = await CliRunner.RunAsync("flatten", Repository.SamplePath, "--schema", file, "--name", "other", "--out", Path.Combine(dir, "x"));
        Assert.Equal(2, code);
        Assert.Contains("entity name is 'other'", error);
    }

    [Theory]
    [InlineData("schema", "An INPUT is needed")]
    [InlineData("schema {sample} --merge {tmp}/a.json", "--merge reads schema files, not inputs")]
    [InlineData("schema --merge {tmp}/none-*.json", "no file matches")]
    [InlineData("schema --schema {tmp}/missing.json", "missing.json' does not exist")]
    [InlineData("schema {sample} --schema {bad}", "bad.json': version 9 is not supported")]
    [InlineData("flatten {sample} --out {tmp}/o --schema {bad}", "bad.json': version 9 is not supported")]
    public async Task Misuse_is_a_usage_error_with_one_clear_line(string commandLine, string expected)
    {
        string tmp = Io.TempDirectory();
        string bad = Path.Combine(tmp, "bad.json");
        await File.WriteAllTextAsync(bad, """{"format":"transmog-schema","version":9,"tables":[]}""");
        string[] args = commandLine.Split(' ').Select(a => a.Replace("{sample}", Repository.SamplePath).Replace("{tmp}", tmp).Replace("{bad}", bad)).ToArray();
        var (code, _, error) = await CliRunner.RunAsync(args);
        Assert.Equal(2, code);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, error);
    }
}
