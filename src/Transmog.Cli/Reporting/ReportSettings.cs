using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace Transmog.Cli.Reporting;

/// <summary>The reporting options every command shares: <c>--quiet</c>, <c>--json</c>, <c>-v/--verbosity</c>, <c>--log-file</c>.</summary>
internal sealed class ReportSettings
{
    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No summary on stderr (errors are still reported)." };

    public Option<bool> Json { get; } = new("--json") { Description = "Print a machine-readable JSON summary on stdout (also on failure), instead of the file paths." };

    public Option<string?> Verbosity { get; } = new("--verbosity", "-v")
    {
        Description = "Log level: error, warning, info, debug or trace. Logs go to --log-file, or to stderr. Default: no log (info with --log-file).",
    };

    public Option<string?> LogFile { get; } = new("--log-file") { Description = "Append the log to this file." };

    public void AddTo(Command command, bool summary)
    {
        if (summary)
        {
            command.Options.Add(Quiet);
            command.Options.Add(Json);
        }

        command.Options.Add(Verbosity);
        command.Options.Add(LogFile);
    }

    /// <summary>The logger factory the options ask for, or <c>null</c> for no logging.</summary>
    public CliLoggerFactory? CreateLoggerFactory(ParseResult parsed, TextWriter error)
    {
        string? verbosity = parsed.GetValue(Verbosity);
        string? file = parsed.GetValue(LogFile);
        if (verbosity is null && file is null)
        {
            return null;
        }

        LogLevel level = verbosity is null ? LogLevel.Information : ParseLevel(verbosity);
        if (file is null)
        {
            return new CliLoggerFactory(error, ownsWriter: false, level);
        }

        try
        {
            var writer = new StreamWriter(new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = false };
            return new CliLoggerFactory(writer, ownsWriter: true, level);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"Cannot open the log file '{file}': {ex.Message}");
        }
    }

    internal static LogLevel ParseLevel(string text) => text.ToLowerInvariant() switch
    {
        "error" or "e" => LogLevel.Error,
        "warning" or "warn" or "w" => LogLevel.Warning,
        "info" or "information" or "i" => LogLevel.Information,
        "debug" or "d" => LogLevel.Debug,
        "trace" or "t" => LogLevel.Trace,
        _ => throw new ArgumentException($"--verbosity must be error, warning, info, debug or trace, not '{text}'."),
    };
}
