using System.Data.Common;
using MySqlConnector;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// MySQL and MariaDB: <c>MySqlBulkCopy</c> (<c>LOAD DATA LOCAL INFILE</c> streamed from the reader) in the load's
/// transaction, into the table or (append, merge) its temporary stage. The connection string needs
/// <c>AllowLoadLocalInfile=true</c> and the server <c>local_infile=ON</c>. LOAD DATA LOCAL turns data errors into
/// warnings, so any warning (a truncated or converted value) fails the load.
/// </summary>
internal sealed class MySqlWriter : BulkWriter
{
    public override Dialect Dialect => Dialect.MySql;

    public override async Task PrepareAsync(DbConnection connection, LoadOptions options, CancellationToken cancellationToken)
    {
        var builder = new MySqlConnectionStringBuilder(connection.ConnectionString);
        if (!builder.AllowLoadLocalInfile)
        {
            throw new ArgumentException(
                "Loading into MySQL/MariaDB uses LOAD DATA LOCAL INFILE (MySqlBulkCopy): add AllowLoadLocalInfile=true to the connection string (and run the server with local_infile=ON).");
        }

        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT @@GLOBAL.local_infile";
        object? value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        if (value is null || Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            throw new ArgumentException(
                "The MySQL/MariaDB server refuses LOAD DATA LOCAL INFILE: start it with local_infile=ON (or SET GLOBAL local_infile = 1).");
        }
    }

    public override async Task<long> WriteAsync(WriteContext context, CancellationToken cancellationToken)
    {
        var bulk = new MySqlBulkCopy((MySqlConnection)context.Connection, (MySqlTransaction)context.Transaction)
        {
            DestinationTableName = context.Staged ? IncrementalSql.TempReference(Dialect, context.StageName) : context.Target.Quoted,
            BulkCopyTimeout = 0,
            ConflictOption = MySqlBulkLoaderConflictOption.None,
            NotifyAfter = context.BatchSize,
        };
        for (int i = 0; i < context.Target.Columns.Length; i++)
        {
            bulk.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, context.Target.Columns[i]));
        }

        bulk.MySqlRowsCopied += (_, e) => context.Progress(e.RowsCopied);
        MySqlBulkCopyResult result = await bulk.WriteToServerAsync(MappedValueReader.ForMySql(context.Source), cancellationToken).ConfigureAwait(false);
        context.Progress(context.Reader.RowsRead);
        if (result.Warnings.Count > 0)
        {
            throw new TransmogException(
                $"MySQL changed or refused values of table '{context.Target.Table.Name}' ({result.Warnings.Count} warnings), so nothing is loaded. First: {result.Warnings[0].Message}");
        }

        return result.RowsInserted;
    }
}
