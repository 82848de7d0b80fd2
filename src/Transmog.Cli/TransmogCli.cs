using System.CommandLine;
using Transmog.Cli.Commands;
using Transmog.Data;

namespace Transmog.Cli;

/// <summary>The <c>transmog</c> command: flatten nested JSON into tables from the command line.</summary>
public static class TransmogCli
{
    /// <summary>Runs the command line; returns the process exit code (0 success, 1 failure, 2 usage error).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors and progress go (stderr).</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) => RunAsync(args, output, error, null);

    /// <summary>Runs the command line with <paramref name="standardInput"/> as what <c>-</c> reads (left open).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors and progress go (stderr).</param>
    /// <param name="standardInput">What the input <c>-</c> reads; <c>null</c> for the process's stdin.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Stream? standardInput)
    {
        FlattenSettings.StandardInput.Value = standardInput;
        var root = new RootCommand("Flattens nested JSON (arrays, objects, JSON Lines, value streams; files, directories, globs or stdin; gzip, zstd, Brotli; UTF-8/16/32) into relational tables.")
        {
            FlattenCommand.Create(output, error),
            SchemaCommand.Create(output, error),
            LoadCommand.Create(output, error),
        };

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync("transmog: " + parseError.Message).ConfigureAwait(false);
            }

            return 2;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
        }
        catch (TransmogException ex)
        {
            await error.WriteLineAsync("transmog: " + OneLine(ex.Message)).ConfigureAwait(false);
            return 1;
        }
        catch (ArgumentException ex)
        {
            // Invalid options, arguments or connection-string keywords.
            await error.WriteLineAsync("transmog: " + OneLine(ex.Message)).ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            await error.WriteLineAsync("transmog: " + OneLine(ex.Message)).ConfigureAwait(false);
            return 1;
        }
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
