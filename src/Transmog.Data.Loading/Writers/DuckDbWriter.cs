using System.Data.Common;
using DuckDB.NET.Data;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// DuckDB: the appender, in the load's transaction, into the table or (append, merge) its temporary stage. Decimals
/// must fit DECIMAL(38,10) exactly (an error otherwise).
/// </summary>
internal sealed class DuckDbWriter : BulkWriter
{
    public override Dialect Dialect => Dialect.DuckDb;

    public override Task<long> WriteAsync(WriteContext context, CancellationToken cancellationToken)
    {
        var connection = (DuckDBConnection)context.Connection;
        DbDataReader reader = context.Source;
        TransmogColumnType[] types = context.Types;
        string table = context.Target.Table.Name;
        long rows = 0;
        using (DuckDBAppender appender = context.Staged ? connection.CreateAppender("temp", "main", context.StageName) : connection.CreateAppender(context.Target.Name))
        {
            while (reader.Read())
            {
                IDuckDBAppenderRow row = appender.CreateRow();
                for (int i = 0; i < types.Length; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        row.AppendNullValue();
                        continue;
                    }

                    switch (types[i])
                    {
                        case TransmogColumnType.Int64: row.AppendValue((long?)reader.GetInt64(i)); break;
                        case TransmogColumnType.Decimal: row.AppendValue((decimal?)CheckDecimal38x10(reader.GetDecimal(i), table, reader.GetName(i))); break;
                        case TransmogColumnType.Double: row.AppendValue((double?)reader.GetDouble(i)); break;
                        case TransmogColumnType.Boolean: row.AppendValue((bool?)reader.GetBoolean(i)); break;
                        case TransmogColumnType.DateTime: row.AppendValue((DateTime?)reader.GetDateTime(i)); break;
                        case TransmogColumnType.Date: row.AppendValue((DateOnly?)DateOnly.FromDateTime(reader.GetDateTime(i))); break;
                        case TransmogColumnType.DateTimeOffset: row.AppendValue((DateTimeOffset?)reader.GetFieldValue<DateTimeOffset>(i).ToUniversalTime()); break;
                        case TransmogColumnType.Guid: row.AppendValue((Guid?)reader.GetGuid(i)); break;
                        default: row.AppendValue(reader.GetString(i)); break;
                    }
                }

                row.EndRow();
                if (++rows % context.BatchSize == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    context.Progress(rows);
                }
            }

            appender.Close();
        }

        context.Progress(rows);
        return Task.FromResult(rows);
    }
}
