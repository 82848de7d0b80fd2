using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Transmog.Data.Feeds;
using Transmog.Data.Flattening;

namespace Transmog.Data.Diagnostics;

/// <summary>
/// What one <see cref="Pipeline.FlattenRun"/> reports: its activity, its log events and its metrics, at the run's start, when
/// its schema is fixed, at the end of each pass, for each spill file and at its end. Never per row; without a logger
/// and without listeners every call is a few field reads.
/// </summary>
internal sealed class RunDiagnostics
{
    private readonly ILogger _logger;
    private readonly Activity? _activity;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly KeyValuePair<string, object?> _entity;
    private long _bytes;
    private long _records;
    private long _rejected;
    private Exception? _failure;
    private bool _ended;

    private RunDiagnostics(ILogger logger, Activity? activity, string entity)
    {
        _logger = logger;
        _activity = activity;
        _entity = new("transmog.entity", entity);
    }

    public static RunDiagnostics Start(JsonInput input, string entity, TransmogOptions options)
    {
        ILogger logger = options.LoggerFactory?.CreateLogger(Log.Category) ?? NullLogger.Instance;
        Activity? activity = Telemetry.StartDetached("transmog.run");
        activity?.SetTag("transmog.entity", entity);
        activity?.SetTag("transmog.input", input.Description);
        var diagnostics = new RunDiagnostics(logger, activity, entity);
        if (logger.IsEnabled(LogLevel.Information))
        {
            string schema = options.Schema is not null ? "explicit schema"
                : options.SchemaInference == SchemaInference.Window || (options.SchemaInference == SchemaInference.Auto && !input.CanReopen) ? $"window of {options.InferenceWindow} records"
                : "full scan";
            Log.RunStarted(logger, input.Description, entity, schema, Describe(options));
        }

        return diagnostics;
    }

    /// <summary>The settings that shape the output, in one line.</summary>
    internal static string Describe(TransmogOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"ArrayMode={o.ArrayMode}, IdGeneration={o.IdGeneration}, RecoveryMode={o.RecoveryMode}, SchemaDrift={o.SchemaDrift}, IncludeNulls={o.IncludeNulls}, StringifyValues={o.StringifyValues}, MaxDepth={o.MaxDepth}, BatchSize={o.BatchSize}, Threads={o.EffectiveParallelism}");

    public void SchemaFixed(IReadOnlyList<TableModel> tables)
    {
        _activity?.SetTag("transmog.tables", tables.Count);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            int columns = 0;
            foreach (TableModel t in tables)
            {
                columns += t.Columns.Count;
            }

            Log.SchemaFixed(_logger, tables.Count, string.Join(", ", tables.Select(t => t.Name)), columns);
        }
    }

    public void SpillOpened(TableFeed feed, TableModel table)
    {
        if (feed.Spill is { FilePath: { } path } && _logger.IsEnabled(LogLevel.Debug))
        {
            Log.SpillFileOpened(_logger, path, table.Name);
        }
    }

    public void SpillDeleted(TableFeed feed, string table)
    {
        if (feed.Spill is { FilePath: { } path } spill)
        {
            long bytes = spill.Bytes;
            Telemetry.SpillBytes.Add(bytes, _entity);
            Log.SpillFileDeleted(_logger, path, table, bytes);
        }
    }

    /// <summary>A pass stopped (at the end of the input or earlier): its counts go to the metrics and the log.</summary>
    public void PassEnded(bool scan, bool complete, long records, long bytes, long rejected, RejectedRecord? firstReject, IReadOnlyList<TableModel> tables, bool rowsCounted)
    {
        var pass = new KeyValuePair<string, object?>("transmog.pass", scan ? "scan" : "data");
        Telemetry.Records.Add(records, _entity, pass);
        Telemetry.InputBytes.Add(bytes, _entity, pass);
        _bytes += bytes;
        if (!scan || rowsCounted)
        {
            _records = records;
            _rejected = rejected;
            if (rejected > 0)
            {
                Telemetry.Rejects.Add(rejected, _entity);
                if (firstReject is not null)
                {
                    Log.RecordsRejected(_logger, rejected, firstReject.Position.ToString(), firstReject.Error);
                }
            }
        }

        if (rowsCounted && Telemetry.Rows.Enabled)
        {
            foreach (TableModel t in tables)
            {
                Telemetry.Rows.Add(t.RowCount, new KeyValuePair<string, object?>("transmog.table", t.Name));
            }
        }

        Log.PassEnded(_logger, scan ? "scan" : "data", records, bytes, rejected, complete);
    }

    public void Failed(Exception failure) => _failure ??= failure;

    public void Ended(IReadOnlyList<TableModel> tables)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        TimeSpan elapsed = Stopwatch.GetElapsedTime(_started);
        Telemetry.RunDuration.Record(elapsed.TotalSeconds, _entity);
        long rows = 0;
        foreach (TableModel t in tables)
        {
            rows += t.RowCount;
        }

        if (_failure is null)
        {
            Log.RunEnded(_logger, _records, _rejected, _bytes, tables.Count, rows, (long)elapsed.TotalMilliseconds);
        }
        else
        {
            if (_failure is TransmogSchemaDriftException drift)
            {
                Log.SchemaDrift(_logger, drift.Table, drift.ColumnName, drift.Position.ToString(), drift.Message);
            }

            Log.RunFailed(_logger, _failure, _records, (long)elapsed.TotalMilliseconds, _failure.Message);
        }

        if (_activity is not null)
        {
            _activity.SetTag("transmog.records", _records);
            _activity.SetTag("transmog.rejected", _rejected);
            _activity.SetTag("transmog.bytes_read", _bytes);
            if (_failure is not null)
            {
                _activity.SetStatus(ActivityStatusCode.Error, _failure.Message);
                _activity.AddException(_failure);
            }

            _activity.Stop();
        }
    }
}
