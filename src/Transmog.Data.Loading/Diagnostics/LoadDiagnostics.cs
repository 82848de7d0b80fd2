using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Transmog.Data.Loading.Diagnostics;

/// <summary>
/// What one load reports (see the README section "Logging, tracing and metrics"): the <c>transmog.load</c> activity with one
/// <c>transmog.load.table</c> child per table, the DDL it runs, each table's rows and duration, the commit or the
/// rollback. Once per load, statement or table, never per row.
/// </summary>
internal sealed partial class LoadDiagnostics : IDisposable
{
    /// <summary>The name of the library's ActivitySource and Meter (the core's, shared by the loaders).</summary>
    private const string DiagnosticsName = "Transmog.Data";

    private static readonly string? Version = typeof(LoadDiagnostics).Assembly.GetName().Version?.ToString();
    private static readonly ActivitySource Source = new(DiagnosticsName, Version);
    private static readonly Meter Meter = new(DiagnosticsName, Version);
    private static readonly Counter<long> RowsLoaded = Meter.CreateCounter<long>("transmog.load.rows", "{row}", "Rows inserted into each table by a load.");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("transmog.load.duration", "s", "Duration of loading one table, and of the whole load (no transmog.table tag).");

    private readonly ILogger _logger;
    private readonly Activity? _activity;
    private readonly KeyValuePair<string, object?> _system;
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _done;

    private LoadDiagnostics(ILogger logger, Activity? activity, string system)
    {
        _logger = logger;
        _activity = activity;
        _system = new("db.system", system);
    }

    public static LoadDiagnostics Start(ILoggerFactory? loggers, JsonInput input, SqlDialect dialect, LoadMode mode)
    {
        ILogger logger = loggers?.CreateLogger("Transmog.Data.Loading") ?? NullLogger.Instance;
        string system = SystemName(dialect);
        Activity? activity = Source.StartActivity("transmog.load", ActivityKind.Client);
        activity?.SetTag("db.system", system);
        activity?.SetTag("transmog.input", input.Description);
        activity?.SetTag("transmog.load.mode", mode.ToString());
        LoadStarted(logger, system, mode, input.Description);
        return new LoadDiagnostics(logger, activity, system);
    }

    /// <summary>The OpenTelemetry <c>db.system</c> name.</summary>
    internal static string SystemName(SqlDialect dialect) => dialect switch
    {
        SqlDialect.PostgreSql => "postgresql",
        SqlDialect.MySql => "mysql",
        SqlDialect.SqlServer => "mssql",
        SqlDialect.Sqlite => "sqlite",
        _ => "duckdb",
    };

    public void Ddl(string sql) => DdlStatement(_logger, sql);

    public Activity? StartTable(TableNames target)
    {
        Activity? activity = Source.StartActivity("transmog.load.table", ActivityKind.Client);
        activity?.SetTag("db.system", _system.Value);
        activity?.SetTag("transmog.table", target.Table.Name);
        activity?.SetTag("db.collection.name", target.Name);
        return activity;
    }

    public void TableLoaded(Activity? activity, LoadedTable table, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("transmog.table", table.Name);
        RowsLoaded.Add(table.RowsInserted, _system, tag);
        Duration.Record(elapsed.TotalSeconds, _system, tag);
        activity?.SetTag("transmog.rows", table.RowsInserted);
        TableLoadedEvent(_logger, table.Name, table.DatabaseName, table.RowsRead, table.RowsInserted, (long)elapsed.TotalMilliseconds);
    }

    public void Committed(IReadOnlyList<LoadedTable> tables)
    {
        TimeSpan elapsed = Stopwatch.GetElapsedTime(_started);
        Duration.Record(elapsed.TotalSeconds, _system);
        long rows = 0;
        foreach (LoadedTable t in tables)
        {
            rows += t.RowsInserted;
        }

        _activity?.SetTag("transmog.rows", rows);
        _done = true;
        LoadCommitted(_logger, tables.Count, rows, (long)elapsed.TotalMilliseconds);
    }

    public void RolledBack(Exception failure)
    {
        _done = true;
        _activity?.SetStatus(ActivityStatusCode.Error, failure.Message);
        _activity?.AddException(failure);
        LoadFailed(_logger, failure, failure.Message);
    }

    public void Dispose()
    {
        if (!_done)
        {
            // Failed before its transaction began (reading the schema, planning the tables): nothing was written.
            _activity?.SetStatus(ActivityStatusCode.Error, "The load stopped before its transaction began.");
            LoadFailed(_logger, null, "the load stopped before its transaction began");
        }

        _activity?.Dispose();
    }

    [LoggerMessage(EventId = 20, EventName = "LoadStarted", Level = LogLevel.Information, Message = "Load into {DbSystem} ({Mode}) started: input {Input}")]
    private static partial void LoadStarted(ILogger logger, string dbSystem, LoadMode mode, string input);

    [LoggerMessage(EventId = 21, EventName = "DdlStatement", Level = LogLevel.Information, Message = "DDL: {Sql}")]
    private static partial void DdlStatement(ILogger logger, string sql);

    [LoggerMessage(EventId = 22, EventName = "TableLoaded", Level = LogLevel.Information,
        Message = "Table {Table} loaded into {DatabaseName}: {RowsRead} rows read, {RowsInserted} inserted, in {ElapsedMs} ms")]
    private static partial void TableLoadedEvent(ILogger logger, string table, string databaseName, long rowsRead, long rowsInserted, long elapsedMs);

    [LoggerMessage(EventId = 23, EventName = "LoadCommitted", Level = LogLevel.Information, Message = "Load committed: {Tables} tables, {Rows} rows inserted, in {ElapsedMs} ms")]
    private static partial void LoadCommitted(ILogger logger, int tables, long rows, long elapsedMs);

    [LoggerMessage(EventId = 24, EventName = "LoadFailed", Level = LogLevel.Error, Message = "Load failed and rolled back, nothing committed: {Reason}")]
    private static partial void LoadFailed(ILogger logger, Exception? exception, string reason);
}
