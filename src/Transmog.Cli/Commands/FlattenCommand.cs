using System.CommandLine;
using Spectre.Console;
using Transmog.Cli.Reporting;
using Transmog.Data;

namespace Transmog.Cli.Commands;

/// <summary><c>transmog flatten INPUT --out DIR</c>: one CSV or Parquet file per non-empty table.</summary>
internal static class FlattenCommand
{
    private const long ProgressBarThreshold = 16L << 20;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var settings = new FlattenSettings(TransmogOptions.ForMemory());
        var outDir = new Option<string>("--out", "-o") { Description = "The output directory.", Required = true };
        var format = new Option<string>("--format", "-f") { Description = "csv (default) or parquet.", DefaultValueFactory = _ => "csv" };
        var compression = new Option<string?>("--compression") { Description = "Parquet compression: snappy (default), gzip, zstd, brotli, none." };
        var rowGroupMb = new Option<double?>("--row-group-mb") { Description = "Parquet: close a row group at about this many MB of buffered data. Default 8." };
        var rowGroupRows = new Option<int?>("--row-group-rows") { Description = "Parquet: at most this many rows per row group. Default: no limit by rows." };
        var report = new ReportSettings();
        var command = new Command("flatten", """
            Flatten JSON into one CSV or Parquet file per table.

            Examples:
              transmog flatten customers.jsonl --out out --name customers
              cat events.jsonl | transmog flatten - -o out --name events
              transmog flatten 'logs/*.jsonl.gz' -o out --source-field _file
              transmog flatten search.json -o out --records-path statuses
              transmog flatten events.jsonl.gz -o out --format parquet --compression zstd --preset performance
              transmog flatten dump.json -o out --on-error skip --json      # bad records to out/_rejects.jsonl; JSON summary on stdout
              transmog flatten big.jsonl -o out -q -v info --log-file flatten.log
              transmog flatten 'logs/*.jsonl' -o out -f parquet --shard 3/8 --schema schema.json --id-generation position
                                                                       # task 3 of 8: out/<table>/part-00003.parquet
            """);
        settings.AddTo(command);
        command.Options.Add(outDir);
        command.Options.Add(format);
        command.Options.Add(compression);
        command.Options.Add(rowGroupMb);
        command.Options.Add(rowGroupRows);
        report.AddTo(command, summary: true);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string[] inputPaths = parsed.GetValue(settings.Input)!;
            string inputPath = string.Join(' ', inputPaths);
            JsonInput input = settings.OpenInput(parsed);
            bool csv = parsed.GetValue(format)!.ToLowerInvariant() switch
            {
                "csv" => true,
                "parquet" => false,
                string other => throw new ArgumentException($"--format must be one of csv, parquet, not '{other}'."),
            };
            using CliLoggerFactory? loggers = report.CreateLoggerFactory(parsed, error);
            TransmogOptions options = settings.ToOptions(parsed) with { LoggerFactory = loggers };
            FormatOptions formatOptions = csv
                ? new CsvFormatOptions()
                : new ParquetFormatOptions
                {
                    Compression = parsed.GetValue(compression) is { } c ? FlattenSettings.ParseEnum<ParquetCompression>("--compression", c) : ParquetCompression.Snappy,
                    RowGroupBytes = parsed.GetValue(rowGroupMb) is { } mb ? (long)(mb * (1 << 20)) : ParquetFormatOptions.DefaultRowGroupBytes,
                    RowGroupSize = parsed.GetValue(rowGroupRows),
                };
            if (csv && (parsed.GetValue(compression) is not null || parsed.GetValue(rowGroupMb) is not null || parsed.GetValue(rowGroupRows) is not null))
            {
                throw new ArgumentException("--compression, --row-group-mb and --row-group-rows apply to --format parquet only.");
            }

            string name = settings.EntityName(parsed, options);
            string directory = parsed.GetValue(outDir)!;
            IReadOnlyList<string> paths;
            bool quiet = parsed.GetValue(report.Quiet);
            bool json = parsed.GetValue(report.Json);
            RunStats stats = RunStats.Begin();
            bool showBar = !quiet && !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error) && (input.Length ?? 0) >= ProgressBarThreshold;
            if (showBar)
            {
                paths = await WithProgressBarAsync(input, (progress) =>
                    JsonFlattener.FlattenStreamAsync(input, directory, name, formatOptions, options, progress, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                paths = await JsonFlattener.FlattenStreamAsync(input, directory, name, formatOptions, options, null, cancellationToken).ConfigureAwait(false);
            }

            stats.Stop();
            var summary = new Summary
            {
                Command = "flatten",
                Input = inputPath,
                Stats = stats,
                RejectsFile = paths.FirstOrDefault(p => Path.GetFileName(p) == "_rejects.jsonl" || Path.GetFileName(Path.GetDirectoryName(p)) == "_rejects"),
            };

            // One file per table (out/orders.csv), or under --shard one part per table (out/orders/part-00003.csv).
            bool parts = parsed.GetValue(settings.Shard) is not null;
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string path in paths)
            {
                files[parts ? Path.GetFileName(Path.GetDirectoryName(path)!) : Path.GetFileNameWithoutExtension(path)] = path;
            }

            foreach ((string table, long rows) in stats.Rows)
            {
                // A table without rows has no file.
                summary.Tables.Add(new SummaryTable(table, rows, File: files.GetValueOrDefault(table)));
            }

            if (json)
            {
                await summary.WriteJsonAsync(output).ConfigureAwait(false);
            }
            else
            {
                foreach (string path in paths)
                {
                    await output.WriteLineAsync(path).ConfigureAwait(false);
                }
            }

            if (!quiet)
            {
                await summary.WriteTextAsync(error).ConfigureAwait(false);
            }

            return summary.ExitCode;
        });
        return command;
    }

    private static async Task<IReadOnlyList<string>> WithProgressBarAsync(JsonInput input, Func<IProgress<FlattenProgress>, Task<IReadOnlyList<string>>> run)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        IReadOnlyList<string> result = [];
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                double total = input.Length ?? 1;
                ProgressTask scan = context.AddTask("scan", maxValue: total);
                ProgressTask flatten = context.AddTask("flatten", maxValue: total);
                var progress = new Progress<FlattenProgress>(p =>
                {
                    ProgressTask task = p.Phase == FlattenPhase.Scan ? scan : flatten;
                    task.Value = Math.Min(total, p.BytesRead);
                    if (p.Phase != FlattenPhase.Scan)
                    {
                        scan.Value = total;
                    }
                });
                result = await run(progress).ConfigureAwait(false);
                scan.Value = total;
                flatten.Value = total;
            }).ConfigureAwait(false);
        return result;
    }
}
