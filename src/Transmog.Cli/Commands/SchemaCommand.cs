using System.CommandLine;
using Transmog.Data;
using Transmog.Cli.Reporting;
using Transmog.Data.Loading;

namespace Transmog.Cli.Commands;

/// <summary>
/// <c>transmog schema INPUT [--ddl DIALECT [--foreign-keys]] [--save FILE]</c>: the tables, their columns and types, or
/// their CREATE TABLE statements; <c>--save</c> writes a schema file. <c>transmog schema --merge FILE... --save FILE</c>
/// merges schema files (one per shard) into one; <c>transmog schema --schema FILE</c> prints or converts one.
/// </summary>
internal static class SchemaCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var settings = new FlattenSettings();

        // Inputs are optional here for --merge and --schema only (checked below, with a clear usage error).
        settings.Input.Arity = ArgumentArity.ZeroOrMore;
        var report = new ReportSettings();
        var command = new Command("schema", """
            Print the tables, columns and types that flattening produces; save them to a schema file; merge schema files.

            Examples:
              transmog schema customers.jsonl --name customers
              transmog schema customers.jsonl --name customers --ddl postgres --foreign-keys > tables.sql
              transmog schema customers.jsonl --name customers --save schema.json      # a schema file, to edit or to reuse with --schema
              transmog schema --merge schema-*.json --save schema.json                  # the shards' schema files into one
              transmog flatten customers.jsonl --schema schema.json --out out            # flatten (or load) with it
              transmog schema --schema schema.json --ddl sqlite                          # print or convert a schema file
            """);
        var ddl = new Option<string?>("--ddl") { Description = "Print CREATE TABLE statements for sqlserver, postgres, mysql, sqlite or duckdb instead." };
        var foreignKeys = new Option<bool>("--foreign-keys") { Description = "With --ddl: add foreign keys from each child's parent id to its parent's id." };
        var save = new Option<string?>("--save") { Description = "Write the schema to this schema file (atomically: under a temporary name, then renamed).", HelpName = "FILE" };
        var merge = new Option<string[]>("--merge")
        {
            Description = "Merge these schema files (of the shards of one input, or of parts of it in order) instead of reading an input; a quoted pattern ('schema-*.json') is expanded.",
            HelpName = "FILE",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "With --save: print nothing (errors are still reported)." };
        settings.AddTo(command);
        command.Options.Add(ddl);
        command.Options.Add(foreignKeys);
        command.Options.Add(save);
        command.Options.Add(merge);
        command.Options.Add(quiet);
        report.AddTo(command, summary: false);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string[] inputs = parsed.GetValue(settings.Input) ?? [];
            string[]? mergeFiles = parsed.GetResult(merge) is not null ? parsed.GetValue(merge) : null;
            string? shard = parsed.GetValue(settings.Shard);
            using CliLoggerFactory? loggers = report.CreateLoggerFactory(parsed, error);
            TransmogOptions options = settings.ToOptions(parsed) with { LoggerFactory = loggers };
            SqlDialect? dialect = parsed.GetValue(ddl) is { } d ? LoadCommand.ParseDialect("--ddl", d) : null;
            if (dialect is null && parsed.GetValue(foreignKeys))
            {
                throw new ArgumentException("--foreign-keys applies to --ddl only.");
            }

            string? savePath = parsed.GetValue(save);
            if (parsed.GetValue(quiet) && savePath is null)
            {
                throw new ArgumentException("--quiet applies to --save only.");
            }

            TransmogSchema schema;
            long rejected = 0;
            if (mergeFiles is not null)
            {
                if (inputs.Length > 0 || options.Schema is not null || shard is not null)
                {
                    throw new ArgumentException("--merge reads schema files, not inputs: give no INPUT, --schema or --shard with it.");
                }

                schema = TransmogSchema.Merge(ExpandPatterns(mergeFiles).Select(TransmogSchema.Load));
            }
            else if (options.Schema is not null && inputs.Length == 0)
            {
                schema = options.Schema;
            }
            else if (options.Schema is not null)
            {
                throw new ArgumentException("schema --schema FILE prints or converts that file and reads no input: give no INPUT with it.");
            }
            else if (inputs.Length == 0)
            {
                throw new ArgumentException("An INPUT is needed (or --merge FILE... to merge schema files, or --schema FILE to print one).");
            }
            else
            {
                JsonInput input = settings.OpenInput(parsed);
                string name = settings.EntityName(parsed, options);

                // The library counts rejects in its metrics; RunStats collects them for this run (as for flatten and load).
                RunStats stats = RunStats.Begin();
                schema = await Task.Run(() => JsonFlattener.ReadSchema(input, name, options, cancellationToken), cancellationToken).ConfigureAwait(false);
                stats.Stop();
                rejected = stats.Rejected;

                // A shard's schema file says which shard it is: the merge orders by it and checks every shard is there once.
                if (shard is not null)
                {
                    (int index, int count) = FlattenSettings.ParseShard(shard);
                    schema = schema.WithShard(index, count);
                }
            }

            // Records rejected under --on-error skip are left out of the schema: exit code 3, as flatten and load give.
            int exitCode = rejected > 0 ? ExitCodes.SuccessWithRejects : ExitCodes.Success;
            if (rejected > 0 && !parsed.GetValue(quiet))
            {
                await error.WriteLineAsync($"{rejected} records rejected (--on-error skip): the schema is of the other records.").ConfigureAwait(false);
            }

            if (savePath is not null)
            {
                schema.Save(savePath);
                if (parsed.GetValue(quiet))
                {
                    return exitCode;
                }
            }

            if (dialect is { } sql)
            {
                await output.WriteAsync(TransmogDdl.CreateTables(schema, sql, parsed.GetValue(foreignKeys))).ConfigureAwait(false);
                return exitCode;
            }

            foreach (TransmogTable table in schema.Tables)
            {
                string rows = table.RowCount is { } count ? $"{count} rows" : "rows not counted";
                string parent = table.ParentName is null ? string.Empty : $", parent {table.ParentName}";
                await output.WriteLineAsync($"{table.Name} ({rows}{parent})").ConfigureAwait(false);
                foreach (TransmogColumn column in table.Columns)
                {
                    string role = column.Role == TransmogColumnRole.Data ? string.Empty : "  [" + column.Role.ToString().ToLowerInvariant() + "]";
                    await output.WriteLineAsync($"  {column.Name,-40} {column.DataTypeName}{role}").ConfigureAwait(false);
                }
            }

            return exitCode;
        });
        return command;
    }

    /// <summary>
    /// The files named: a name with <c>*</c> or <c>?</c> in its last part (a pattern the shell did not expand) is the
    /// files of its folder that match it, by ordinal name; a pattern that matches nothing is an error.
    /// </summary>
    internal static IEnumerable<string> ExpandPatterns(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            string pattern = Path.GetFileName(path);
            if (pattern.AsSpan().IndexOfAny('*', '?') < 0)
            {
                files.Add(path);
                continue;
            }

            string folder = Path.GetDirectoryName(path) is { Length: > 0 } f ? f : ".";
            if (folder.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                throw new ArgumentException($"--merge: '{path}': a pattern may have * and ? in its file name only.");
            }

            string[] matches = Directory.Exists(folder) ? Directory.GetFiles(folder, pattern) : [];
            if (matches.Length == 0)
            {
                throw new ArgumentException($"--merge: no file matches '{path}'.");
            }

            Array.Sort(matches, StringComparer.Ordinal);
            files.AddRange(matches);
        }

        return files;
    }
}
