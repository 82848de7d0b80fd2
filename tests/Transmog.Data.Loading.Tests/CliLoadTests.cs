using Microsoft.Data.Sqlite;
using Transmog.Cli;

namespace Transmog.Data.Loading.Tests;

public sealed class CliLoadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await TransmogCli.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Load_without_to_writes_an_sqlite_file_beside_the_input_and_prints_row_counts()
    {
        string input = Path.Combine(_directory, "customers.jsonl");
        File.Copy(TestData.SamplePath, input);

        (int code, string output, string error) = await RunAsync("load", input, "--name", "customers", "--foreign-keys");
        Assert.True(code == 0, error);
        Assert.Equal(string.Empty, output);
        Assert.Matches(@"customers\s+20 rows", error);
        Assert.Matches(@"customers_orders_items_discounts\s+\d+ rows", error);
        string database = Path.Combine(_directory, "customers.db");
        Assert.Contains(database, error, StringComparison.Ordinal);

        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
        {
            await connection.OpenAsync();
            Assert.Equal(20, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM customers"));
        }

        // Again: create refuses, replace replaces, append (random ids) adds.
        (code, _, error) = await RunAsync("load", input, "--name", "customers");
        Assert.Equal(1, code);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        (code, _, error) = await RunAsync("load", input, "--name", "customers", "--replace");
        Assert.True(code == 0, error);
        (code, _, error) = await RunAsync("load", input, "--name", "customers", "--append");
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
        string input = Path.Combine(_directory, "c.jsonl");
        File.Copy(TestData.SamplePath, input);
        (int code, string output, string error) = await RunAsync("load", input, "--to", Path.Combine(_directory, "c.duckdb"));
        Assert.True(code == 0, error);
        Assert.Contains("(duckdb)", error, StringComparison.Ordinal);

        (code, _, error) = await RunAsync("load", input, "--append", "--replace");
        Assert.Equal(2, code);
        Assert.Contains("at most one", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("load", input, "--to", "Host=127.0.0.1");
        Assert.Equal(2, code);
        Assert.Contains("--provider", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("load", input, "--provider", "oracle");
        Assert.Equal(2, code);
        Assert.Contains("oracle", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_ddl_prints_create_table_statements()
    {
        (int code, string output, string error) = await RunAsync("schema", TestData.SamplePath, "--name", "customers", "--ddl", "postgres", "--foreign-keys");
        Assert.True(code == 0, error);
        Assert.StartsWith("CREATE TABLE \"customers\" (", output, StringComparison.Ordinal);
        Assert.Contains("FOREIGN KEY (\"_parent_id\") REFERENCES \"customers_orders\" (\"_id\")", output, StringComparison.Ordinal);
        Assert.Equal(4, output.Split("CREATE TABLE").Length - 1);

        (code, _, error) = await RunAsync("schema", TestData.SamplePath, "--ddl", "oracle");
        Assert.Equal(2, code);
        Assert.Contains("--ddl", error, StringComparison.Ordinal);
    }
}
