namespace Transmog.Data.Loading;

/// <summary>The SQL dialects that DDL is written for and that the loader loads into.</summary>
public enum SqlDialect
{
    /// <summary>Microsoft SQL Server and Azure SQL (loaded with <c>SqlBulkCopy</c>).</summary>
    SqlServer = 0,

    /// <summary>PostgreSQL (loaded with Npgsql binary <c>COPY</c>).</summary>
    PostgreSql = 1,

    /// <summary>MySQL and MariaDB (loaded with MySqlConnector's <c>MySqlBulkCopy</c>).</summary>
    MySql = 2,

    /// <summary>SQLite (loaded with prepared inserts in one transaction, Microsoft.Data.Sqlite).</summary>
    Sqlite = 3,

    /// <summary>DuckDB (loaded with DuckDB.NET's appender).</summary>
    DuckDb = 4,
}
