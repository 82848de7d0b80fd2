using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace Transmog.Data.Loading.Writers;

/// <summary>What one table's load needs: where, what, and how to report.</summary>
internal sealed class WriteContext(
    DbConnection connection, DbTransaction transaction, TransmogDataReader reader, TransmogColumnType[] types, TableNames target, int tableIndex, bool staged, int batchSize, Action<long> progress)
{
    public DbConnection Connection { get; } = connection;

    public DbTransaction Transaction { get; } = transaction;

    public TransmogDataReader Reader { get; } = reader;

    /// <summary>The rows as the writer reads them: the reader, or its values converted to <see cref="Types"/>.</summary>
    public System.Data.Common.DbDataReader Source { get; } = types.Where((t, i) => t != reader.Table.Columns[i].Type).Any() ? new TargetTypeReader(reader, types) : reader;

    /// <summary>Per column, the type the database column holds (the data's, or wider for an existing column).</summary>
    public TransmogColumnType[] Types { get; } = types;

    public TableNames Target { get; } = target;

    public int TableIndex { get; } = tableIndex;

    /// <summary>Rows go to the table's stage (a temporary table, append and merge) rather than to the table.</summary>
    public bool Staged { get; } = staged;

    public int BatchSize { get; } = batchSize;

    /// <summary>Receives the number of rows of this table sent so far.</summary>
    public Action<long> Progress { get; } = progress;

    public string ColumnList => string.Join(", ", Target.QuotedColumns);

    /// <summary>The stage's name (<see cref="IncrementalSql.StageName"/>).</summary>
    public string StageName => IncrementalSql.StageName(TableIndex);
}

/// <summary>One database's fast path for rows: COPY, bulk copy, appender, prepared inserts.</summary>
internal abstract class BulkWriter
{
    public abstract Dialect Dialect { get; }

    public static BulkWriter For(DbConnection connection) => connection switch
    {
        NpgsqlConnection => new PostgreSqlWriter(),
        MySqlConnection => new MySqlWriter(),
        SqliteConnection => new SqliteWriter(),
        DuckDBConnection => new DuckDbWriter(),
        SqlConnection => new SqlServerWriter(),
        null => throw new ArgumentNullException(nameof(connection)),
        _ => throw new ArgumentException(
            $"Cannot load into a {connection.GetType().Name}: supported are NpgsqlConnection, MySqlConnection (MySqlConnector), SqliteConnection (Microsoft.Data.Sqlite), DuckDBConnection and SqlConnection (Microsoft.Data.SqlClient)."),
    };

    /// <summary>Checks and settings before the transaction starts (the connection is open).</summary>
    public virtual Task PrepareAsync(DbConnection connection, LoadOptions options, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The message for a database that could not be read before the load changed anything (settings, the tables it
    /// holds): <paramref name="error"/> is the driver's.
    /// </summary>
    public virtual string Unreadable(DbConnection connection, DbException error) =>
        $"Cannot read the tables of the {Dialect.Kind} database, nothing was changed: {error.Message}";

    /// <summary>Undoes what <see cref="PrepareAsync"/> changed on the caller's connection (after the load, whatever its outcome).</summary>
    public virtual Task RestoreAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Sends every row of the reader's current table to the table or its stage; returns the rows sent.</summary>
    public abstract Task<long> WriteAsync(WriteContext context, CancellationToken cancellationToken);

    public static async Task<long> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first value of a query as a whole number (0 for no value or NULL).</summary>
    public static async Task<long> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using DbCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 0;
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? 0 : Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Checks a decimal fits DECIMAL(38,10) exactly (SQL Server and DuckDB); loss is an error, never silent.</summary>
    public static decimal CheckDecimal38x10(decimal value, string table, string column)
    {
        decimal scaled = decimal.Round(value, 10);
        if (scaled != value || Math.Abs(value) >= 1e28m)
        {
            throw new TransmogException(
                $"Column '{column}' of table '{table}' holds {value}, which DECIMAL(38,10) cannot hold exactly.");
        }

        return value;
    }
}
