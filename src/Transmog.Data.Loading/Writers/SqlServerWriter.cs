using Microsoft.Data.SqlClient;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// SQL Server: <c>SqlBulkCopy</c> streaming from the reader (columns mapped by name), in the load's transaction,
/// checking constraints, into the table or (append, merge) its temporary stage (<c>#transmog_stage_N</c>). Decimals must
/// fit DECIMAL(38,10) exactly (an error otherwise, never a rounded value).
/// </summary>
internal sealed class SqlServerWriter : BulkWriter
{
    public override Dialect Dialect => Dialect.SqlServer;

    public override async Task<long> WriteAsync(WriteContext context, CancellationToken cancellationToken)
    {
        var connection = (SqlConnection)context.Connection;
        var transaction = (SqlTransaction)context.Transaction;
        using var bulk = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints | SqlBulkCopyOptions.KeepNulls, transaction)
        {
            DestinationTableName = context.Staged ? IncrementalSql.TempReference(Dialect, context.StageName) : context.Target.Quoted,
            BatchSize = context.BatchSize,
            NotifyAfter = context.BatchSize,
            BulkCopyTimeout = 0,
            EnableStreaming = true,
        };
        MapColumns(bulk, context.Reader.Table, context.Target.Columns);
        bulk.SqlRowsCopied += (_, e) => context.Progress(e.RowsCopied);
        await bulk.WriteToServerAsync(MappedValueReader.ForSqlServer(context.Source, context.Target.Table.Name), cancellationToken).ConfigureAwait(false);
        long rows = bulk.RowsCopied64;
        context.Progress(rows);
        return rows;
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
