using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;

namespace Transmog.Data.Loading.Tests;

public sealed class SqliteLoadTests : LoadTestsBase, IDisposable
{
    private readonly TempDir _directory = Io.TempDir("sqlite");

    protected override SqlDialect Dialect => SqlDialect.Sqlite;

    protected override Task<DbConnection> NewDatabaseAsync() =>
        Task.FromResult<DbConnection>(new SqliteConnection($"Data Source={_directory.Sub(Guid.NewGuid().ToString("N") + ".db")};Pooling=false"));

    /// <summary>The load raises a small page cache for its own work and gives the caller's connection back as it was.</summary>
    [Theory]
    [InlineData(-2000)]
    [InlineData(100)]
    [InlineData(-100000)]
    public async Task The_callers_page_cache_setting_is_kept(long cacheSize)
    {
        await using var connection = (SqliteConnection)await NewDatabaseAsync();
        await connection.OpenAsync();
        await Execute(connection, $"PRAGMA cache_size = {cacheSize}");
        await TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, new LoadOptions { Name = "customers" });
        Assert.Equal(cacheSize, await TestData.ScalarAsync(connection, "PRAGMA cache_size"));
        Assert.Equal(20, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM customers"));

        // A failed load restores it too.
        await Assert.ThrowsAsync<TransmogException>(() =>
            TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, new LoadOptions { Name = "customers" }));
        Assert.Equal(cacheSize, await TestData.ScalarAsync(connection, "PRAGMA cache_size"));
    }

    /// <summary>Rows are bound through SQLite's statement API: a constraint it refuses is still SQLite's own error, and nothing is committed.</summary>
    [Fact]
    public async Task A_duplicate_id_fails_with_sqlites_error_and_commits_nothing()
    {
        // Two identical records get one hash id.
        string json = "{\"a\": 1, \"items\": [{\"b\": 2}]}\n{\"a\": 3}\n{\"a\": 1, \"items\": [{\"b\": 2}]}\n";
        await using var connection = (SqliteConnection)await NewDatabaseAsync();
        TransmogException error = await Assert.ThrowsAsync<TransmogException>(() => TransmogLoader.LoadAsync(
            JsonInput.FromString(json), connection, new LoadOptions { Name = "dup", Flatten = new TransmogOptions { IdGeneration = IdGeneration.Hash } }));
        Assert.Contains("nothing was committed", error.Message, StringComparison.Ordinal);
        Assert.Contains("UNIQUE constraint failed: dup._id", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);

        await connection.OpenAsync();
        Assert.Equal(0, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"));
    }

    private static async Task Execute(SqliteConnection connection, string sql)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => _directory.Dispose();
}

public sealed class DuckDbLoadTests : LoadTestsBase, IDisposable
{
    private readonly TempDir _directory = Io.TempDir("duckdb");

    protected override SqlDialect Dialect => SqlDialect.DuckDb;

    protected override Task<DbConnection> NewDatabaseAsync() =>
        Task.FromResult<DbConnection>(new DuckDBConnection($"Data Source={_directory.Sub(Guid.NewGuid().ToString("N") + ".duckdb")}"));

    public void Dispose() => _directory.Dispose();
}
