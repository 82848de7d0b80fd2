using System.CommandLine;
using System.Data.Common;
using Transmog.Cli.Commands;
using Transmog.Cli.Reporting;
using Transmog.Data;

namespace Transmog.Cli;

/// <summary>The <c>transmog</c> command: flatten nested JSON into tables from the command line.</summary>
public static class TransmogCli
{
    /// <summary>
    /// Runs the command line; returns the process exit code: 0 success, 3 success with rejected records, 1 data error
    /// (bad input, refused output or database), 2 usage error, 130 interrupted.
    /// </summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors, the summary and progress go (stderr).</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error) => RunAsync(args, output, error, null, CancellationToken.None);

    /// <summary>Runs the command line until done or <paramref name="cancellationToken"/> (as Ctrl+C does) stops it.</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors, the summary and progress go (stderr).</param>
    /// <param name="cancellationToken">Interrupts the command: exit code 130, nothing left looking complete.</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(args, output, error, null, cancellationToken);

    /// <summary>Runs the command line with <paramref name="standardInput"/> as what <c>-</c> reads (left open).</summary>
    /// <param name="args">The arguments.</param>
    /// <param name="output">Where results go (stdout).</param>
    /// <param name="error">Where errors, the summary and progress go (stderr).</param>
    /// <param name="standardInput">What the input <c>-</c> reads; <c>null</c> for the process's stdin.</param>
    /// <param name="cancellationToken">Interrupts the command: exit code 130, nothing left looking complete. Signals are
    /// not handled here: the process's own SIGINT/SIGTERM handling (<c>Program</c>) cancels this token.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Stream? standardInput, CancellationToken cancellationToken = default)
    {
        FlattenSettings.StandardInput.Value = standardInput;
        var root = new RootCommand("Flattens nested JSON (arrays, objects, JSON Lines, value streams; files, directories, globs or stdin; gzip, zstd, Brotli; UTF-8/16/32) into relational tables." + Environment.NewLine + Environment.NewLine
            + "Exit codes: 0 success, 3 success with rejected records, 1 data error, 2 usage error, 130 interrupted.")
        {
            FlattenCommand.Create(output, error),
            SchemaCommand.Create(output, error),
            LoadCommand.Create(output, error),
        };

        bool json = WantsJson(args);
        string? command = CommandOf(args);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync("transmog: " + parseError.Message).ConfigureAwait(false);
            }

            if (json)
            {
                await Summary.WriteFailureJsonAsync(output, command, ExitCodes.UsageError, OneLine(parsed.Errors[0].Message)).ConfigureAwait(false);
            }

            return ExitCodes.UsageError;
        }

        int code;
        string message;
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            (code, message) = (ExitCodes.Interrupted, "interrupted: " + ex.Message);
        }
        catch (Exception ex) when (ex is ArgumentException)
        {
            (code, message) = (ExitCodes.UsageError, ex.Message);
        }
        catch (Exception ex) when (ex is TransmogException or IOException or UnauthorizedAccessException or DbException)
        {
            // A driver's own exception that the loader did not word (DbException) is still a database that refused:
            // one line and exit code 1, never an unhandled exception.
            (code, message) = (ExitCodes.DataError, ex.Message);
        }

        message = OneLine(message);
        await error.WriteLineAsync("transmog: " + message).ConfigureAwait(false);
        if (json)
        {
            await Summary.WriteFailureJsonAsync(output, command, code, message).ConfigureAwait(false);
        }

        return code;
    }

    /// <summary>Whether the command line asks for the JSON summary on stdout.</summary>
    internal static bool WantsJson(string[] args) => args.Contains("--json");

    /// <summary>The command the arguments name (for the JSON summary), or <c>null</c>.</summary>
    internal static string? CommandOf(string[] args) => args.Length > 0 && args[0] is "flatten" or "load" or "schema" ? args[0] : null;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ");
}
