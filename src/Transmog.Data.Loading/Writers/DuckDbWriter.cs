using DuckDB.NET.Data;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// DuckDB: the appender, in the load's transaction. Append mode appends into a temporary table and moves its rows
/// with <c>INSERT OR IGNORE</c>. Decimals must fit DECIMAL(38,10) exactly (an error otherwise).
/// </summary>
internal sealed class DuckDbWriter : BulkWriter
{
    public override Dialect Dialect => Dialect.DuckDb;

    public override async Task<long> WriteAsync(WriteContext context, CancellationToken cancellationToken)
    {
        var connection = (DuckDBConnection)context.Connection;
        TransmogDataReader reader = context.Reader;
        IReadOnlyList<TransmogColumn> columns = reader.Table.Columns;
        string? stage = null;
        if (context.SkipExisting)
        {
            stage = context.StageName;
            await ExecuteAsync(connection, context.Transaction,
                $"CREATE OR REPLACE TEMP TABLE {Dialect.Quote(stage)} AS SELECT {context.ColumnList} FROM {context.Target.Quoted} LIMIT 0", cancellationToken).ConfigureAwait(false);
        }

        long rows = 0;
        using (DuckDBAppender appender = stage is null ? connection.CreateAppender(context.Target.Name) : connection.CreateAppender("temp", "main", stage))
        {
            while (reader.Read())
            {
                IDuckDBAppenderRow row = appender.CreateRow();
                for (int i = 0; i < columns.Count; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        row.AppendNullValue();
                        continue;
                    }

                    switch (columns[i].Type)
                    {
                        case TransmogColumnType.Int64: row.AppendValue((long?)reader.GetInt64(i)); break;
                        case TransmogColumnType.Decimal: row.AppendValue((decimal?)CheckDecimal38x10(reader.GetDecimal(i), reader, i)); break;
                        case TransmogColumnType.Double: row.AppendValue((double?)reader.GetDouble(i)); break;
                        case TransmogColumnType.Boolean: row.AppendValue((bool?)reader.GetBoolean(i)); break;
                        case TransmogColumnType.DateTime: row.AppendValue((DateTime?)reader.GetDateTime(i)); break;
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
        if (stage is null)
        {
            return rows;
        }

        string quotedStage = "temp.main." + Dialect.Quote(stage);
        long inserted = await ExecuteAsync(connection, context.Transaction,
            $"INSERT OR IGNORE INTO {context.Target.Quoted} ({context.ColumnList}) SELECT {context.ColumnList} FROM {quotedStage}", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, context.Transaction, "DROP TABLE " + quotedStage, cancellationToken).ConfigureAwait(false);
        return inserted;
    }
}
