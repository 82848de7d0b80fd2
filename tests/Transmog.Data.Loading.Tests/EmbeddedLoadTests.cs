using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;

namespace Transmog.Data.Loading.Tests;

public sealed class SqliteLoadTests : LoadTestsBase, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-sqlite-").FullName;

    protected override SqlDialect Dialect => SqlDialect.Sqlite;

    protected override Task<DbConnection> NewDatabaseAsync() =>
        Task.FromResult<DbConnection>(new SqliteConnection($"Data Source={Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db")};Pooling=false"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

public sealed class DuckDbLoadTests : LoadTestsBase, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-duckdb-").FullName;

    protected override SqlDialect Dialect => SqlDialect.DuckDb;

    protected override Task<DbConnection> NewDatabaseAsync() =>
        Task.FromResult<DbConnection>(new DuckDBConnection($"Data Source={Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".duckdb")}"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
