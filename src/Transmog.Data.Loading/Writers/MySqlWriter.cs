using System.Data.Common;
using MySqlConnector;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// MySQL and MariaDB: <c>MySqlBulkCopy</c> (<c>LOAD DATA LOCAL INFILE</c> streamed from the reader) in the load's
/// transaction. The connection string needs <c>AllowLoadLocalInfile=true</c> and the server <c>local_infile=ON</c>.
/// LOAD DATA LOCAL turns data errors into warnings, so any warning (a truncated or converted value) fails the load;
/// in append mode rows with an existing id are skipped (<c>IGNORE</c>) and their duplicate-key warnings expected.
/// </summary>
internal sealed class MySqlWriter : BulkWriter
{
    private const int DuplicateEntry = 1062;

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
            DestinationTableName = context.Target.Quoted,
            BulkCopyTimeout = 0,
            ConflictOption = context.SkipExisting ? MySqlBulkLoaderConflictOption.Ignore : MySqlBulkLoaderConflictOption.None,
            NotifyAfter = context.BatchSize,
        };
        for (int i = 0; i < context.Target.Columns.Length; i++)
        {
            bulk.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, context.Target.Columns[i]));
        }

        bulk.MySqlRowsCopied += (_, e) => context.Progress(e.RowsCopied);
        MySqlBulkCopyResult result = await bulk.WriteToServerAsync(MappedValueReader.ForMySql(context.Reader), cancellationToken).ConfigureAwait(false);
        context.Progress(context.Reader.RowsRead);
        MySqlError[] problems = [.. result.Warnings.Where(w => !(context.SkipExisting && (int)w.ErrorCode == DuplicateEntry))];
        if (problems.Length > 0)
        {
            throw new TransmogException(
                $"MySQL changed or refused values of table '{context.Target.Table.Name}' ({problems.Length} warnings), so nothing is loaded. First: {problems[0].Message}");
        }

        return result.RowsInserted;
    }
}
