using Microsoft.Data.SqlClient;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// SQL Server: <c>SqlBulkCopy</c> streaming from the reader (columns mapped by name), in the load's transaction,
/// checking constraints. Decimals must fit DECIMAL(38,10) exactly (an error otherwise, never a rounded value). Append mode copies into a temporary table (<c>#transmog_stage_N</c>) and inserts the rows
/// whose id is not in the table yet.
/// </summary>
internal sealed class SqlServerWriter : BulkWriter
{
    public override Dialect Dialect => Dialect.SqlServer;

    public override async Task<long> WriteAsync(WriteContext context, CancellationToken cancellationToken)
    {
        var connection = (SqlConnection)context.Connection;
        var transaction = (SqlTransaction)context.Transaction;
        string destination = context.Target.Quoted;
        if (context.SkipExisting)
        {
            destination = Dialect.Quote("#" + context.StageName);
            await ExecuteAsync(connection, transaction, $"SELECT TOP 0 {context.ColumnList} INTO {destination} FROM {context.Target.Quoted}", cancellationToken).ConfigureAwait(false);
        }

        using var bulk = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints | SqlBulkCopyOptions.KeepNulls, transaction)
        {
            DestinationTableName = destination,
            BatchSize = context.BatchSize,
            NotifyAfter = context.BatchSize,
            BulkCopyTimeout = 0,
            EnableStreaming = true,
        };
        MapColumns(bulk, context.Reader.Table, context.Target.Columns);
        bulk.SqlRowsCopied += (_, e) => context.Progress(e.RowsCopied);
        await bulk.WriteToServerAsync(MappedValueReader.ForSqlServer(context.Reader), cancellationToken).ConfigureAwait(false);
        long rows = bulk.RowsCopied64;
        context.Progress(rows);
        if (!context.SkipExisting)
        {
            return rows;
        }

        int id = context.Target.IdOrdinal;
        string idColumn = context.Target.QuotedColumns[id];
        long inserted = await ExecuteAsync(connection, transaction,
            $"INSERT INTO {context.Target.Quoted} ({context.ColumnList}) SELECT {context.ColumnList} FROM {destination} AS s WHERE NOT EXISTS (SELECT 1 FROM {context.Target.Quoted} AS t WHERE t.{idColumn} = s.{idColumn})",
            cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "DROP TABLE " + destination, cancellationToken).ConfigureAwait(false);
        return inserted;
    }

    /// <summary>Maps each source column by its name to its database column (SqlBulkCopy resolves names with GetOrdinal).</summary>
    internal static void MapColumns(SqlBulkCopy bulk, TransmogTable table, string[] databaseColumns)
    {
        for (int i = 0; i < databaseColumns.Length; i++)
        {
            bulk.ColumnMappings.Add(table.Columns[i].Name, databaseColumns[i]);
        }
    }
}
