using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Transmog.Data.Loading.Tests;

/// <summary>An <see cref="ILoggerFactory"/> that keeps every event at or above a level, with its id, category and text.</summary>
internal sealed class CapturingLoggerFactory(LogLevel minimum = LogLevel.Trace) : ILoggerFactory
{
    public ConcurrentQueue<(string Category, LogLevel Level, EventId Id, string Message, Exception? Exception)> Events { get; } = new();

    public List<int> Ids => Events.Select(e => e.Id.Id).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory factory, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= factory._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                factory.Events.Enqueue((category, logLevel, eventId, formatter(state, exception), exception));
            }
        }
    }

    private readonly LogLevel _minimum = minimum;
}
