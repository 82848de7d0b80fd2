using System.Data.Common;
using Npgsql;
using NpgsqlTypes;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// PostgreSQL: binary <c>COPY ... FROM STDIN</c> with typed values, into the table or (append, merge) its temporary
/// stage, from which set-based SQL moves the rows (<c>ON CONFLICT</c>).
/// </summary>
internal sealed class PostgreSqlWriter : BulkWriter
{
    public override Dialect Dialect => Dialect.PostgreSql;

    public override async Task<long> WriteAsync(WriteContext context, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Connection;
        DbDataReader reader = context.Source;
        string destination = context.Staged ? IncrementalSql.TempReference(Dialect, context.StageName) : context.Target.Quoted;
        TransmogColumnType[] types = context.Types;
        bool[] utc = [.. context.Reader.Table.Columns.Select(c => c.Role == TransmogColumnRole.Timestamp)];
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
                        case TransmogColumnType.DateTime when utc[i]: importer.Write(DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc), NpgsqlDbType.TimestampTz); break;
                        case TransmogColumnType.DateTime: importer.Write(DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Unspecified), NpgsqlDbType.Timestamp); break;
                        case TransmogColumnType.Date: importer.Write(DateOnly.FromDateTime(reader.GetDateTime(i)), NpgsqlDbType.Date); break;
                        case TransmogColumnType.DateTimeOffset: importer.Write(reader.GetFieldValue<DateTimeOffset>(i).UtcDateTime, NpgsqlDbType.TimestampTz); break;
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
        return rows;
    }
}
