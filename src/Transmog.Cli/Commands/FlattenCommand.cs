using System.CommandLine;
using Spectre.Console;
using Transmog.Data;

namespace Transmog.Cli.Commands;

/// <summary><c>transmog flatten INPUT --out DIR</c>: one CSV or Parquet file per non-empty table.</summary>
internal static class FlattenCommand
{
    private const long ProgressBarThreshold = 16L << 20;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var settings = new FlattenSettings();
        var outDir = new Option<string>("--out", "-o") { Description = "The output directory.", Required = true };
        var format = new Option<string>("--format", "-f") { Description = "csv (default) or parquet.", DefaultValueFactory = _ => "csv" };
        var compression = new Option<string?>("--compression") { Description = "Parquet compression: snappy (default), gzip, zstd, brotli, none." };
        var rowGroupMb = new Option<double?>("--row-group-mb") { Description = "Parquet: close a row group at about this many MB of buffered data. Default 8." };
        var rowGroupRows = new Option<int?>("--row-group-rows") { Description = "Parquet: at most this many rows per row group. Default: no limit by rows." };
        var command = new Command("flatten", "Flatten JSON into one CSV or Parquet file per table.");
        settings.AddTo(command);
        command.Options.Add(outDir);
        command.Options.Add(format);
        command.Options.Add(compression);
        command.Options.Add(rowGroupMb);
        command.Options.Add(rowGroupRows);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            JsonInput input = FlattenSettings.OpenInput(parsed.GetValue(settings.Input)!);
            bool csv = parsed.GetValue(format)!.ToLowerInvariant() switch
            {
                "csv" => true,
                "parquet" => false,
                string other => throw new ArgumentException($"--format must be one of csv, parquet, not '{other}'."),
            };
            TransmogOptions options = settings.ToOptions(parsed, TransmogOptions.ForMemory());
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

            string name = parsed.GetValue(settings.Name)!;
            string directory = parsed.GetValue(outDir)!;
            IReadOnlyList<string> paths;
            bool showBar = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error) && (input.Length ?? 0) >= ProgressBarThreshold;
            if (showBar)
            {
                paths = await WithProgressBarAsync(input, (progress) =>
                    JsonFlattener.FlattenStreamAsync(input, directory, name, formatOptions, options, progress, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                paths = await JsonFlattener.FlattenStreamAsync(input, directory, name, formatOptions, options, null, cancellationToken).ConfigureAwait(false);
            }

            foreach (string path in paths)
            {
                await output.WriteLineAsync(path).ConfigureAwait(false);
            }

            return 0;
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
