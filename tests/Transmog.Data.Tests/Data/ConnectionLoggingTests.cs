using System.Collections.Concurrent;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Transmog.Data.Tests.Data;

/// <summary>A logger factory on the ADO.NET connection (as Npgsql's data source takes one): each command's run logs through it.</summary>
public class ConnectionLoggingTests
{
    [Fact]
    public void Commands_of_a_connection_log_their_runs_through_its_logger_factory()
    {
        var logs = new Capturing();
        using var connection = new TransmogConnection($"Data Source={Repository.SamplePath};Name=customers") { LoggerFactory = logs };
        Assert.Same(logs, connection.Options.LoggerFactory);
        int orders = connection.Query("customers_orders").Count();
        Assert.Equal(30, orders);

        var events = logs.Events.ToList();
        Assert.Contains(events, e => e.Id == 1 && e.Message.Contains("entity customers", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Id == 8 && e.Message.Contains("20 records", StringComparison.Ordinal));
        Assert.True(events.Count < 20, $"{events.Count} events");

        connection.LoggerFactory = null;
        Assert.Null(connection.Options.LoggerFactory);
        int before = logs.Events.Count;
        Assert.Equal(20, connection.Query("customers").Count());
        Assert.Equal(before, logs.Events.Count);
    }

    private sealed class Capturing : ILoggerFactory, ILogger
    {
        public ConcurrentQueue<(int Id, string Message)> Events { get; } = new();

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException();

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Events.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
