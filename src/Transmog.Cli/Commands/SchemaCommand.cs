using System.CommandLine;
using Transmog.Data;
using Transmog.Cli.Reporting;
using Transmog.Data.Loading;

namespace Transmog.Cli.Commands;

/// <summary><c>transmog schema INPUT [--ddl DIALECT [--foreign-keys]]</c>: the tables, their columns and types, or their CREATE TABLE statements.</summary>
internal static class SchemaCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var settings = new FlattenSettings();
        var report = new ReportSettings();
        var command = new Command("schema", """
            Print the tables, columns and types that flattening produces.

            Examples:
              transmog schema customers.jsonl --name customers
              transmog schema customers.jsonl --name customers --ddl postgres --foreign-keys > tables.sql
            """);
        var ddl = new Option<string?>("--ddl") { Description = "Print CREATE TABLE statements for sqlserver, postgres, mysql, sqlite or duckdb instead." };
        var foreignKeys = new Option<bool>("--foreign-keys") { Description = "With --ddl: add foreign keys from each child's parent id to its parent's id." };
        settings.AddTo(command);
        command.Options.Add(ddl);
        command.Options.Add(foreignKeys);
        report.AddTo(command, summary: false);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            JsonInput input = settings.OpenInput(parsed);
            using CliLoggerFactory? loggers = report.CreateLoggerFactory(parsed, error);
            TransmogOptions options = settings.ToOptions(parsed) with { LoggerFactory = loggers };
            SqlDialect? dialect = parsed.GetValue(ddl) is { } d ? LoadCommand.ParseDialect("--ddl", d) : null;
            if (dialect is null && parsed.GetValue(foreignKeys))
            {
                throw new ArgumentException("--foreign-keys applies to --ddl only.");
            }

            TransmogSchema schema = await Task.Run(() => JsonFlattener.ReadSchema(input, parsed.GetValue(settings.Name)!, options, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (dialect is { } sql)
            {
                await output.WriteAsync(TransmogDdl.CreateTables(schema, sql, parsed.GetValue(foreignKeys))).ConfigureAwait(false);
                return 0;
            }

            foreach (TransmogTable table in schema.Tables)
            {
                string parent = table.ParentName is null ? string.Empty : $", parent {table.ParentName}";
                await output.WriteLineAsync($"{table.Name} ({table.RowCount} rows{parent})").ConfigureAwait(false);
                foreach (TransmogColumn column in table.Columns)
                {
                    string role = column.Role == TransmogColumnRole.Data ? string.Empty : "  [" + column.Role.ToString().ToLowerInvariant() + "]";
                    await output.WriteLineAsync($"  {column.Name,-40} {column.DataTypeName}{role}").ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }
}
