using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Transmog.Cli.Reporting;

/// <summary>
/// The command line's logger: one line per event (UTC time, level, category, event id, message; the exception's
/// message on the next line) to a file (<c>--log-file</c>) or to stderr, at or above the <c>-v</c> level.
/// </summary>
internal sealed class CliLoggerFactory : ILoggerFactory
{
    private readonly TextWriter _writer;
    private readonly bool _ownsWriter;
    private readonly LogLevel _minimum;
    private readonly object _gate = new();

    public CliLoggerFactory(TextWriter writer, bool ownsWriter, LogLevel minimum)
    {
        _writer = writer;
        _ownsWriter = ownsWriter;
        _minimum = minimum;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("The transmog command line logs to its own writer.");

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Flush();
            if (_ownsWriter)
            {
                _writer.Dispose();
            }
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "error",
        _ => "crit",
    };

    private sealed class Logger(CliLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= factory._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            string line = string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {LevelName(logLevel),-5} {category}[{eventId.Id}] {formatter(state, exception).ReplaceLineEndings(" ")}");
            lock (factory._gate)
            {
                factory._writer.WriteLine(line);
                if (exception is not null)
                {
                    factory._writer.WriteLine("    " + exception.GetType().Name + ": " + exception.Message.ReplaceLineEndings(" "));
                }

                factory._writer.Flush();
            }
        }
    }
}
