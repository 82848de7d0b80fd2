using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;

namespace Transmog.Data.Loading.Tests;

public sealed class CliLoadTests : IDisposable
{
    private readonly TempDir _directory = Io.TempDir("cli");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Load_without_to_writes_an_sqlite_file_beside_the_input_and_prints_row_counts()
    {
        string input = _directory.Sub("customers.jsonl");
        File.Copy(Repository.SamplePath, input);

        (int code, string output, string error) = await CliRunner.RunAsync("load", input, "--name", "customers", "--foreign-keys");
        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, output);
        Assert.Matches(@"customers\s+20 rows", error);
        Assert.Matches(@"customers_orders_items_discounts\s+\d+ rows", error);
        string database = _directory.Sub("customers.db");
        Assert.Contains(database, error, StringComparison.Ordinal);

        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
        {
            await connection.OpenAsync();
            Assert.Equal(20, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM customers"));
        }

        // Again: create refuses, replace replaces, append (random ids) adds.
        (code, _, error) = await CliRunner.RunAsync("load", input, "--name", "customers");
        Assert.Equal(1, code);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        (code, _, error) = await CliRunner.RunAsync("load", input, "--name", "customers", "--replace");
        Assert.True(code == 0, error);
        (code, _, error) = await CliRunner.RunAsync("load", input, "--name", "customers", "--append");
        Assert.True(code == 0, error);
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
        {
            await connection.OpenAsync();
            Assert.Equal(40, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM customers"));
        }
    }

    [Fact]
    public async Task Load_into_a_duckdb_file_and_refusals_are_one_line()
    {
        string input = _directory.Sub("c.jsonl");
        File.Copy(Repository.SamplePath, input);
        (int code, string output, string error) = await CliRunner.RunAsync("load", input, "--to", _directory.Sub("c.duckdb"));
        Assert.True(code == 0, error);
        Assert.Contains("(duckdb)", error, StringComparison.Ordinal);

        (code, _, error) = await CliRunner.RunAsync("load", input, "--append", "--replace");
        Assert.Equal(2, code);
        Assert.Contains("at most one", error, StringComparison.Ordinal);
        (code, _, error) = await CliRunner.RunAsync("load", input, "--to", "Host=127.0.0.1");
        Assert.Equal(2, code);
        Assert.Contains("--provider", error, StringComparison.Ordinal);
        (code, _, error) = await CliRunner.RunAsync("load", input, "--provider", "oracle");
        Assert.Equal(2, code);
        Assert.Contains("oracle", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Load_into_a_file_that_is_not_sqlite_is_one_error_line_and_changes_nothing(bool defaultTarget)
    {
        string input = _directory.Sub("basic.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1,\"b\":{\"c\":2}}\n{\"a\":2}\n");
        string database = _directory.Sub(defaultTarget ? "basic.db" : "notadb.db");
        await File.WriteAllTextAsync(database, "hello\n");
        string[] args = defaultTarget ? ["load", input] : ["load", input, "--to", database];

        (int code, string output, string error) = await CliRunner.RunAsync(args);
        Assert.Equal(1, code);
        Assert.Equal(string.Empty, output);
        string line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith("transmog: ", line, StringComparison.Ordinal);
        Assert.Contains(database, line, StringComparison.Ordinal);
        Assert.Contains("is not a SQLite database", line, StringComparison.Ordinal);
        Assert.Equal("hello\n", await File.ReadAllTextAsync(database));
    }

    [Theory]
    [InlineData("new.db")]
    [InlineData("new.duckdb")]
    public async Task A_failed_load_into_a_new_database_file_leaves_no_file_behind(string file)
    {
        string input = _directory.Sub("bad.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1}\n{\"a\":\n");

        (int code, _, string error) = await CliRunner.RunAsync("load", input, "--to", _directory.Sub(file));
        Assert.Equal(1, code);
        Assert.Contains("Invalid JSON", error, StringComparison.Ordinal);
        Assert.Equal([input], Directory.GetFiles(_directory.Path));
    }

    [Theory]
    [InlineData("empty.db", "")]
    [InlineData("blank.db", "  \n\n")]
    [InlineData("objects.db", "{}\n{}\n")]
    [InlineData("empty.duckdb", "")]
    [InlineData("objects.duckdb", "{}\n{}\n")]
    public async Task Loading_an_input_without_columns_creates_no_table_and_succeeds(string file, string json)
    {
        string input = _directory.Sub("in.jsonl");
        await File.WriteAllTextAsync(input, json);
        string database = _directory.Sub(file);
        (int code, _, string error) = await CliRunner.RunAsync("load", input, "--to", database);
        Assert.True(code == 0, error);
        Assert.Contains("Loaded 0 tables, 0 rows", error, StringComparison.Ordinal);

        // Into existing tables: an append or a merge of nothing adds nothing.
        string rows = _directory.Sub("rows.jsonl");
        await File.WriteAllTextAsync(rows, "{\"a\":1}\n{\"a\":2}\n");
        (code, _, error) = await CliRunner.RunAsync("load", rows, "--to", database, "--id-generation", "hash");
        Assert.True(code == 0, error);
        (code, _, error) = await CliRunner.RunAsync("load", input, "--to", database, "--append", "--id-generation", "hash");
        Assert.True(code == 0, error);
        (code, _, error) = await CliRunner.RunAsync("load", input, "--to", database, "--merge", "--id-generation", "hash");
        Assert.True(code == 0, error);
        await using DbConnection connection = file.EndsWith(".duckdb", StringComparison.Ordinal)
            ? new DuckDBConnection("Data Source=" + database)
            : new SqliteConnection($"Data Source={database};Pooling=false");
        await connection.OpenAsync();
        Assert.Equal(2, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM data"));
    }

    [Fact]
    public async Task Appending_a_shard_without_records_adds_nothing()
    {
        string input = _directory.Sub("one.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1}\n");
        string database = _directory.Sub("shards.db");
        foreach (string shard in (string[])["0/2", "1/2"])
        {
            (int code, _, string error) = await CliRunner.RunAsync("load", input, "--to", database, "--append", "--shard", shard, "--id-generation", "position");
            Assert.True(code == 0, error);
        }

        await using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        await connection.OpenAsync();
        Assert.Equal(1, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM data"));
    }

    [Fact]
    public async Task Schema_ddl_of_an_input_without_records_creates_no_table()
    {
        string input = _directory.Sub("empty.jsonl");
        await File.WriteAllTextAsync(input, string.Empty);
        (int code, string output, string error) = await CliRunner.RunAsync("schema", input, "--ddl", "sqlite");
        Assert.True(code == 0, error);
        Assert.DoesNotContain("CREATE TABLE", output, StringComparison.Ordinal);
        Assert.StartsWith("-- ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_ddl_prints_create_table_statements()
    {
        (int code, string output, string error) = await CliRunner.RunAsync("schema", Repository.SamplePath, "--name", "customers", "--ddl", "postgres", "--foreign-keys");
        Assert.True(code == 0, error);
        Assert.StartsWith("CREATE TABLE \"customers\" (", output, StringComparison.Ordinal);
        Assert.Contains("FOREIGN KEY (\"_parent_id\") REFERENCES \"customers_orders\" (\"_id\")", output, StringComparison.Ordinal);
        Assert.Equal(4, output.Split("CREATE TABLE").Length - 1);

        (code, _, error) = await CliRunner.RunAsync("schema", Repository.SamplePath, "--ddl", "oracle");
        Assert.Equal(2, code);
        Assert.Contains("--ddl", error, StringComparison.Ordinal);
    }
}
