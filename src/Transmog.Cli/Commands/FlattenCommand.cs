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
        var settings = new FlattenSettings(TransmogOptions.ForMemory());
        var outDir = new Option<string>("--out", "-o") { Description = "The output directory.", Required = true };
        var format = new Option<string>("--format", "-f") { Description = "csv (default) or parquet.", DefaultValueFactory = _ => "csv" };
        var compression = new Option<string?>("--compression") { Description = "Parquet compression: snappy (default), gzip, zstd, brotli, none." };
        var command = new Command("flatten", "Flatten JSON into one CSV or Parquet file per table.");
        settings.AddTo(command);
        command.Options.Add(outDir);
        command.Options.Add(format);
        command.Options.Add(compression);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string inputPath = parsed.GetValue(settings.Input)!;
            JsonInput input = FlattenSettings.OpenInput(inputPath);
            OutputFormat outputFormat = FlattenSettings.ParseEnum<OutputFormat>("--format", parsed.GetValue(format)!);
            TransmogOptions options = settings.ToOptions(parsed);
            FormatOptions formatOptions = outputFormat == OutputFormat.Csv
                ? new CsvFormatOptions()
                : new ParquetFormatOptions
                {
                    Compression = parsed.GetValue(compression) is { } c ? FlattenSettings.ParseEnum<ParquetCompression>("--compression", c) : ParquetCompression.Snappy,
                };
            if (outputFormat == OutputFormat.Csv && parsed.GetValue(compression) is not null)
            {
                throw new ArgumentException("--compression applies to --format parquet only.");
            }

            string name = parsed.GetValue(settings.Name)!;
            string directory = parsed.GetValue(outDir)!;
            IReadOnlyList<string> paths;
            bool showBar = !Console.IsErrorRedirected && ReferenceEquals(error, Console.Error) && (input.Length ?? 0) >= ProgressBarThreshold;
            if (showBar)
            {
                paths = await WithProgressBarAsync(input, (progress) =>
                    JsonFlattener.FlattenStreamAsync(input, directory, name, outputFormat, options, formatOptions, progress, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                paths = await JsonFlattener.FlattenStreamAsync(input, directory, name, outputFormat, options, formatOptions, null, cancellationToken).ConfigureAwait(false);
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
                    ProgressTask task = p.Phase == "scan" ? scan : flatten;
                    task.Value = Math.Min(total, p.BytesRead);
                    if (p.Phase != "scan")
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
