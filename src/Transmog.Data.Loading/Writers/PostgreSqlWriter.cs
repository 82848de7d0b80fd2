using Npgsql;
using NpgsqlTypes;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// PostgreSQL: binary <c>COPY ... FROM STDIN</c> with typed values. Append mode copies into a temporary table and
/// moves its rows with <c>INSERT ... ON CONFLICT DO NOTHING</c>.
/// </summary>
internal sealed class PostgreSqlWriter : BulkWriter
{
    public override Dialect Dialect => Dialect.PostgreSql;

    public override async Task<long> WriteAsync(WriteContext context, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Connection;
        TransmogDataReader reader = context.Reader;
        string destination = context.Target.Quoted;
        if (context.SkipExisting)
        {
            destination = Dialect.Quote(context.StageName);
            await ExecuteAsync(connection, context.Transaction,
                $"CREATE TEMP TABLE {destination} ON COMMIT DROP AS SELECT {context.ColumnList} FROM {context.Target.Quoted} LIMIT 0", cancellationToken).ConfigureAwait(false);
        }

        IReadOnlyList<TransmogColumn> columns = reader.Table.Columns;
        var types = columns.Select(c => c.Type).ToArray();
        long rows = 0;
        await using (NpgsqlBinaryImporter importer = await connection.BeginBinaryImportAsync(
            $"COPY {destination} ({context.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            importer.Timeout = TimeSpan.Zero;
            while (reader.Read())
            {
                await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < types.Length; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        importer.WriteNull();
                        continue;
                    }

                    switch (types[i])
                    {
                        case TransmogColumnType.Int64: importer.Write(reader.GetInt64(i), NpgsqlDbType.Bigint); break;
                        case TransmogColumnType.Decimal: importer.Write(reader.GetDecimal(i), NpgsqlDbType.Numeric); break;
                        case TransmogColumnType.Double: importer.Write(reader.GetDouble(i), NpgsqlDbType.Double); break;
                        case TransmogColumnType.Boolean: importer.Write(reader.GetBoolean(i), NpgsqlDbType.Boolean); break;
                        case TransmogColumnType.DateTime: importer.Write(DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc), NpgsqlDbType.TimestampTz); break;
                        case TransmogColumnType.Guid: importer.Write(reader.GetGuid(i), NpgsqlDbType.Uuid); break;
                        case TransmogColumnType.Json: importer.Write(reader.GetString(i), NpgsqlDbType.Jsonb); break;
                        default: importer.Write(reader.GetString(i), NpgsqlDbType.Text); break;
                    }
                }

                if (++rows % context.BatchSize == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    context.Progress(rows);
                }
            }

            await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        context.Progress(rows);
        if (!context.SkipExisting)
        {
            return rows;
        }

        long inserted = await ExecuteAsync(connection, context.Transaction,
            $"INSERT INTO {context.Target.Quoted} ({context.ColumnList}) SELECT {context.ColumnList} FROM {destination} ON CONFLICT DO NOTHING", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, context.Transaction, "DROP TABLE " + destination, cancellationToken).ConfigureAwait(false);
        return inserted;
    }
}
