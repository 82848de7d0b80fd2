using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Transmog.Data.Rows;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// SQLite: one prepared <c>INSERT</c> reused for every row, in the load's transaction, into the table or (append,
/// merge) its temporary stage. Values are bound as the STRICT column types: decimals, timestamps and ids as text.
/// </summary>
internal sealed class SqliteWriter : BulkWriter
{
    /// <summary>The page cache a load works with (PRAGMA cache_size).</summary>
    private const long LoadCacheBytes = 16L << 20;

    /// <summary>SQLITE_NOTADB: the file is not a SQLite database (or is encrypted).</summary>
    private const int SqliteNotADatabase = 26;

    private long? _previousCacheSize;

    public override Dialect Dialect => Dialect.Sqlite;

    public override async Task RestoreAsync(DbConnection connection)
    {
        if (_previousCacheSize is { } previous && connection.State == System.Data.ConnectionState.Open)
        {
            _previousCacheSize = null;
            await ExecuteAsync(connection, null, "PRAGMA cache_size = " + previous.ToString(CultureInfo.InvariantCulture), CancellationToken.None).ConfigureAwait(false);
        }
    }

    public override string Unreadable(DbConnection connection, DbException error)
    {
        // SQLite opens any file lazily; the first statement that reads it finds a text file, a DuckDB file or a
        // damaged one. Say which file, in words, rather than the driver's "SQLite Error 26".
        string file = string.IsNullOrEmpty(connection.DataSource) ? "The database file" : $"'{connection.DataSource}'";
        return error is SqliteException { SqliteErrorCode: SqliteNotADatabase }
            ? $"{file} is not a SQLite database (SQLite: file is not a database); nothing was changed. Load into another file, or remove it."
            : $"Cannot read the SQLite database {file}, nothing was changed: {error.Message}";
    }

    /// <summary>The bytes a cache_size setting means: negative in KiB, positive in pages.</summary>
    private static async Task<long> PageCacheBytesAsync(DbConnection connection, long cacheSize, CancellationToken cancellationToken) =>
        cacheSize < 0 ? -cacheSize * 1024 : cacheSize * await ScalarAsync(connection, null, "PRAGMA page_size", cancellationToken).ConfigureAwait(false);

    public override async Task PrepareAsync(DbConnection connection, LoadOptions options, CancellationToken cancellationToken)
    {
        // SQLite's default page cache (2 MB) is smaller than the id index of a table of some 100,000 rows: inserts in
        // random id order then spill pages to the file inside the transaction and read them again. 16 MB took a 100 MB
        // load from 11.8-12.2 s to 8.1-8.3 s (32 MB: 8.0-8.9 s, 64 MB: 7.6 s at a 145 MB peak). A larger setting of the
        // caller's stays; the previous one is restored afterwards (RestoreAsync).
        long current = await ScalarAsync(connection, null, "PRAGMA cache_size", cancellationToken).ConfigureAwait(false);
        if (await PageCacheBytesAsync(connection, current, cancellationToken).ConfigureAwait(false) < LoadCacheBytes)
        {
            _previousCacheSize = current;
            await ExecuteAsync(connection, null, "PRAGMA cache_size = " + (-(LoadCacheBytes / 1024)).ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }

        if (options.ForeignKeys)
        {
            // Outside any transaction (SQLite ignores the pragma inside one).
            await ExecuteAsync(connection, null, "PRAGMA foreign_keys = ON", cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task<long> WriteAsync(WriteContext context, CancellationToken cancellationToken)
    {
        var connection = (SqliteConnection)context.Connection;
        DbDataReader reader = context.Source;
        TransmogColumnType[] types = context.Types;
        bool[] utc = [.. context.Reader.Table.Columns.Select(c => c.Role == TransmogColumnRole.Timestamp)];
        string[] names = [.. types.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture))];
        string destination = context.Staged ? IncrementalSql.TempReference(Dialect, context.StageName) : context.Target.Quoted;
        string sql = $"INSERT INTO {destination} ({context.ColumnList}) VALUES ({string.Join(", ", names)})";
        if (context.Source is TransmogDataReader flattened)
        {
            return Task.FromResult(WriteCells(context, flattened, sql, utc, cancellationToken));
        }

        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)context.Transaction;
        command.CommandText = sql;
        var parameters = new SqliteParameter[types.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            SqliteType type = types[i] switch
            {
                TransmogColumnType.Int64 or TransmogColumnType.Boolean => SqliteType.Integer,
                TransmogColumnType.Double => SqliteType.Real,
                _ => SqliteType.Text,
            };
            parameters[i] = command.Parameters.Add(names[i], type);
        }

        command.Prepare();
        long rows = 0;
        while (reader.Read())
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = reader.IsDBNull(i) ? DBNull.Value : types[i] switch
                {
                    TransmogColumnType.Int64 => reader.GetInt64(i),
                    TransmogColumnType.Boolean => reader.GetBoolean(i) ? 1L : 0L,
                    TransmogColumnType.Double => reader.GetDouble(i),
                    TransmogColumnType.Decimal => reader.GetDecimal(i).ToString(CultureInfo.InvariantCulture),
                    TransmogColumnType.DateTime when utc[i] => reader.GetDateTime(i).ToString(TransmogDataReader.TimestampFormat, CultureInfo.InvariantCulture),
                    TransmogColumnType.Guid => reader.GetGuid(i).ToString("D"),
                    _ => reader.GetString(i),
                };
            }

            command.ExecuteNonQuery();
            if (++rows % context.BatchSize == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                context.Progress(rows);
            }
        }

        context.Progress(rows);
        return Task.FromResult(rows);
    }

    /// <summary>
    /// The rows of a flattened table, bound through SQLite's own statement API: text straight from the rows' UTF-8
    /// cells, numbers as they are, nothing boxed, no string per cell. The same values, bound as the same SQLite types,
    /// as the ADO.NET path above (which serves readers of other types: values converted to an existing table's types).
    /// </summary>
    /// <remarks>Why: through <c>SqliteParameter</c> every value was boxed and every text cell became a string that was
    /// encoded back to UTF-8; the load spent more CPU binding than SQLite spent inserting.</remarks>
    private static long WriteCells(WriteContext context, TransmogDataReader reader, string sql, bool[] utc, CancellationToken cancellationToken)
    {
        sqlite3 db = ((SqliteConnection)context.Connection).Handle!;
        int rc = raw.sqlite3_prepare_v2(db, sql, out sqlite3_stmt statement);
        using (statement)
        {
            Check(rc, db);
            IUtf8Cells cells = reader;
            TransmogColumnType[] types = context.Types;
            byte[] text = new byte[1024];
            Span<byte> scratch = stackalloc byte[64];
            long rows = 0;
            while (reader.Read())
            {
                for (int i = 0; i < types.Length; i++)
                {
                    int parameter = i + 1;
                    if (reader.IsDBNull(i))
                    {
                        rc = raw.sqlite3_bind_null(statement, parameter);
                    }
                    else
                    {
                        int length;
                        switch (types[i])
                        {
                            case TransmogColumnType.Int64:
                                rc = raw.sqlite3_bind_int64(statement, parameter, reader.GetInt64(i));
                                break;
                            case TransmogColumnType.Boolean:
                                rc = raw.sqlite3_bind_int64(statement, parameter, reader.GetBoolean(i) ? 1L : 0L);
                                break;
                            case TransmogColumnType.Double:
                                rc = raw.sqlite3_bind_double(statement, parameter, reader.GetDouble(i));
                                break;
                            case TransmogColumnType.Decimal:
                                reader.GetDecimal(i).TryFormat(scratch, out length, default, CultureInfo.InvariantCulture);
                                rc = raw.sqlite3_bind_text(statement, parameter, scratch[..length]);
                                break;
                            case TransmogColumnType.DateTime when utc[i]:
                                // The run's timestamp: the reader holds its text (the format below) once for every row.
                                rc = cells.GetCell(i, out _) == CellKind.Timestamp
                                    ? raw.sqlite3_bind_text(statement, parameter, cells.TimestampUtf8)
                                    : raw.sqlite3_bind_text(statement, parameter, reader.GetDateTime(i).ToString(TransmogDataReader.TimestampFormat, CultureInfo.InvariantCulture));
                                break;
                            case TransmogColumnType.Guid:
                                reader.GetGuid(i).TryFormat(scratch, out length, "D");
                                rc = raw.sqlite3_bind_text(statement, parameter, scratch[..length]);
                                break;
                            default:
                                while ((length = cells.GetUtf8(i, text)) < 0)
                                {
                                    text = new byte[text.Length * 2];
                                }

                                rc = raw.sqlite3_bind_text(statement, parameter, text.AsSpan(0, length));
                                break;
                        }
                    }

                    Check(rc, db);
                }

                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    Check(rc, db);
                }

                raw.sqlite3_reset(statement);
                if (++rows % context.BatchSize == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    context.Progress(rows);
                }
            }

            context.Progress(rows);
            return rows;
        }
    }

    /// <summary>Throws the <see cref="SqliteException"/> Microsoft.Data.Sqlite would throw for a result code.</summary>
    private static void Check(int rc, sqlite3 db)
    {
        if (rc != raw.SQLITE_OK && rc != raw.SQLITE_ROW && rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }
}
