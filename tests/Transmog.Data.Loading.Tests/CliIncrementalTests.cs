using Microsoft.Data.Sqlite;
using Transmog.Cli;

namespace Transmog.Data.Loading.Tests;

/// <summary>The README's three-day example, as written, against the SQLite default.</summary>
public sealed class CliIncrementalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-cli-inc-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await TransmogCli.RunAsync(args, output, error);
        // The load's report (changes, then tables with their rows) goes to stderr; stdout is kept for --json.
        return (code, error.ToString(), error.ToString());
    }

    [Fact]
    public async Task Three_days_create_append_evolve_merge_print_every_change()
    {
        string database = Path.Combine(_directory, "customers.db");
        string[] Load(int day, params string[] more) =>
            ["load", IncrementalLoadTestsBase.DayPath(day), "--to", database, "--name", "customers", "--id-generation", "natural", "--foreign-keys", .. more];

        (int code, string output, string error) = await RunAsync(Load(1));
        Assert.True(code == 0, error);
        Assert.Matches(@"customers\s+2 rows\n", output);

        (code, output, error) = await RunAsync(Load(2, "--append"));
        Assert.Equal(1, code);
        Assert.Contains("--evolve", error, StringComparison.Ordinal);

        (code, output, error) = await RunAsync(Load(2, "--append", "--evolve"));
        Assert.True(code == 0, error);
        string[] lines = output.Split('\n');
        Assert.Equal("widened column customers.score from INTEGER to REAL", lines[0]);
        Assert.Equal("added column customers.tier (TEXT)", lines[1]);
        Assert.Equal("widened column customers_orders.total from INTEGER to REAL", lines[2]);
        Assert.Equal("created table customers_reviews", lines[3]);
        Assert.Matches(@"customers\s+2 rows \(1 new\)", output);
        Assert.Matches(@"customers_orders_items\s+1 rows \(0 new\)", output);

        (code, output, error) = await RunAsync(Load(3, "--merge"));
        Assert.True(code == 0, error);
        Assert.Matches(@"customers\s+3 rows \(2 replaced\)", output);
        Assert.Matches(@"customers_orders\s+3 rows \(3 old rows deleted\)", output);
        Assert.Matches(@"customers_reviews\s+0 rows \(1 old rows deleted\)", output);

        await using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        await connection.OpenAsync();
        Assert.Equal(4, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM customers"));
        Assert.Equal(4, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM customers_orders"));
        Assert.Equal(1, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM customers_orders_items"));
        Assert.Equal(0, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM customers_reviews"));

        (code, _, error) = await RunAsync(Load(3, "--evolve"));
        Assert.Equal(2, code); // usage errors exit 2
        Assert.Contains("--append or --merge", error, StringComparison.Ordinal);
        (code, _, error) = await RunAsync("load", IncrementalLoadTestsBase.DayPath(3), "--to", database, "--name", "customers", "--merge");
        Assert.Equal(2, code);
        Assert.Contains("random ids", error, StringComparison.Ordinal);
    }
}
