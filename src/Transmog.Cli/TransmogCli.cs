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
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Flattens nested JSON (array, object, JSON Lines, gzip) into relational tables.")
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
