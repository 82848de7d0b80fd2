using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// SQLite: one prepared <c>INSERT</c> reused for every row, in the load's transaction, into the table or (append,
/// merge) its temporary stage. Values are bound as the STRICT column types: decimals, timestamps and ids as text.
/// </summary>
internal sealed class SqliteWriter : BulkWriter
{
    public override Dialect Dialect => Dialect.Sqlite;

    public override async Task PrepareAsync(DbConnection connection, LoadOptions options, CancellationToken cancellationToken)
    {
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
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)context.Transaction;
        var parameters = new SqliteParameter[types.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            SqliteType type = types[i] switch
            {
                TransmogColumnType.Int64 or TransmogColumnType.Boolean => SqliteType.Integer,
                TransmogColumnType.Double => SqliteType.Real,
                _ => SqliteType.Text,
            };
            parameters[i] = command.Parameters.Add("@p" + i.ToString(CultureInfo.InvariantCulture), type);
        }

        string destination = context.Staged ? IncrementalSql.TempReference(Dialect, context.StageName) : context.Target.Quoted;
        command.CommandText = $"INSERT INTO {destination} ({context.ColumnList}) VALUES ({string.Join(", ", parameters.Select(p => p.ParameterName))})";
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
}
