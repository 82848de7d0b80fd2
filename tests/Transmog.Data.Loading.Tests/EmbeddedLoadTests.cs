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
