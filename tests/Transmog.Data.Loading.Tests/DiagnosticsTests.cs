using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Transmog.Data.Loading.Tests;

/// <summary>
/// Logging, tracing and metrics as an operator subscribes to them: OpenTelemetry's SDK with its in-memory exporter on
/// the source and meter named <c>Transmog.Data</c>, and an <see cref="ILoggerFactory"/> on the options. Instruments are
/// process-wide and tests run in parallel, so each test uses an entity name of its own and reads only its own tags.
/// </summary>
public sealed class DiagnosticsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-diag-").FullName;
    private readonly string _entity = "diag_" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<Activity> _activities = [];
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _meters;

    public DiagnosticsTests()
    {
        _tracing = Sdk.CreateTracerProviderBuilder().AddSource("Transmog.Data").AddInMemoryExporter(_activities).Build()!;
        _meters = Sdk.CreateMeterProviderBuilder().AddMeter("Transmog.Data").AddInMemoryExporter(_metrics).Build()!;
    }

    public void Dispose()
    {
        _tracing.Dispose();
        _meters.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_load_reports_activities_metrics_and_log_events_with_the_right_values()
    {
        var logs = new CapturingLoggerFactory();
        string database = Path.Combine(_directory, "d.db");
        LoadResult result;
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=false"))
        {
            result = await TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection,
                new LoadOptions { Name = _entity, Flatten = TransmogOptions.Default with { LoggerFactory = logs } });
        }

        Flush();
        using FlattenResult expected = JsonFlattener.Flatten(JsonInput.FromFile(Repository.SamplePath), _entity);

        // Metrics: records, bytes, rows per table, rows loaded per table, durations, spill bytes.
        Assert.Equal(20, Sum("transmog.records", ("transmog.entity", _entity), ("transmog.pass", "data")));
        Assert.Equal(new FileInfo(Repository.SamplePath).Length, Sum("transmog.input.bytes", ("transmog.entity", _entity)));
        foreach (FlattenedTable table in expected.AllTables)
        {
            Assert.Equal(table.RowCount, Sum("transmog.rows", ("transmog.table", table.Name)));
            Assert.Equal(table.RowCount, Sum("transmog.load.rows", ("transmog.table", table.Name), ("db.system", "sqlite")));
            Assert.Equal(1, HistogramCount("transmog.load.duration", ("transmog.table", table.Name)));
        }

        Assert.True(Sum("transmog.spill.bytes", ("transmog.entity", _entity)) > 0);
        Assert.Equal(1, HistogramCount("transmog.run.duration", ("transmog.entity", _entity)));
        Assert.Equal(0, Sum("transmog.rejects", ("transmog.entity", _entity)));

        // Traces: the run (this test's entity) under one load, and one load child per table. Other tests load at the
        // same time, so the load is found through its run.
        Activity run = Assert.Single(_activities, a => a.OperationName == "transmog.run" && (string?)a.GetTagItem("transmog.entity") == _entity);
        Activity load = Assert.Single(_activities, a => a.SpanId == run.ParentSpanId);
        Assert.Equal("transmog.load", load.OperationName);
        Assert.Equal(result.RowsInserted, load.GetTagItem("transmog.rows"));
        Assert.Equal("sqlite", load.GetTagItem("db.system"));
        var tables = _activities.Where(a => a.OperationName == "transmog.load.table" && a.ParentSpanId == load.SpanId).ToList();
        Assert.Equal(expected.AllTables.Select(t => t.Name), tables.Select(t => (string)t.GetTagItem("transmog.table")!));
        Assert.Equal(expected.AllTables.Select(t => t.RowCount), tables.Select(t => (long)t.GetTagItem("transmog.rows")!));
        Assert.Equal(20L, run.GetTagItem("transmog.records"));
        Assert.Equal(4, run.GetTagItem("transmog.tables"));
        Assert.Equal(ActivityStatusCode.Unset, run.Status);

        // Logs: stable ids, once per run, table, statement or spill file: never per row.
        List<int> ids = logs.Ids;
        foreach (int id in new[] { 1, 2, 3, 6, 7, 8, 20, 21, 22, 23 })
        {
            Assert.Contains(id, ids);
        }

        Assert.Equal(4, ids.Count(id => id == 21));
        Assert.Equal(4, ids.Count(id => id == 22));
        Assert.True(ids.Count < 40, $"{ids.Count} events for {result.RowsRead} rows");
        Assert.DoesNotContain(ids, id => id is 4 or 5 or 9 or 24);
        string started = logs.Events.Single(e => e.Id.Id == 1).Message;
        Assert.Contains("customers.jsonl", started, StringComparison.Ordinal);
        Assert.Contains("ArrayMode=Smart", started, StringComparison.Ordinal);
        Assert.Contains($"{_entity}_orders_items", logs.Events.Single(e => e.Id.Id == 2).Message, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE", logs.Events.First(e => e.Id.Id == 21).Message, StringComparison.Ordinal);
        Assert.Equal("LoadCommitted", logs.Events.Single(e => e.Id.Id == 23).Id.Name);
        Assert.Equal("RunStarted", logs.Events.Single(e => e.Id.Id == 1).Id.Name);
    }

    [Fact]
    public async Task Rejects_are_counted_and_logged_once_with_the_first_position()
    {
        var logs = new CapturingLoggerFactory(LogLevel.Information);
        string input = Path.Combine(_directory, "bad.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1}\n{\"a\":}\n{\"a\":3}\n{\"a\"}\n");
        string dir = Path.Combine(_directory, "out");
        await JsonFlattener.FlattenStreamAsync(JsonInput.FromFile(input), dir, _entity,
            options: TransmogOptions.ErrorTolerant() with { LoggerFactory = logs, MaxDegreeOfParallelism = 1 });
        Flush();

        Assert.Equal(2, Sum("transmog.rejects", ("transmog.entity", _entity)));
        var rejected = logs.Events.Where(e => e.Id.Id == 4).ToList();
        Assert.Single(rejected);
        Assert.Equal(LogLevel.Warning, rejected[0].Level);
        Assert.Contains("2 records rejected", rejected[0].Message, StringComparison.Ordinal);
        Assert.Contains("line 2", rejected[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Ids, id => id is 3 or 6 or 7);
    }

    [Fact]
    public async Task A_failed_load_logs_the_failure_and_marks_the_activities()
    {
        var logs = new CapturingLoggerFactory();
        string input = Path.Combine(_directory, "bad.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\":1}\n{\"a\":}\n");
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "f.db")};Pooling=false");
        await Assert.ThrowsAsync<TransmogInputException>(() => TransmogLoader.LoadAsync(JsonInput.FromFile(input), connection,
            new LoadOptions { Name = _entity, Flatten = TransmogOptions.Default with { LoggerFactory = logs } }));
        Flush();

        var failed = logs.Events.Single(e => e.Id.Id == 9);
        Assert.IsType<TransmogInputException>(failed.Exception);
        Assert.Contains("line 2", failed.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Events, e => e.Id.Id == 24 && e.Level == LogLevel.Error);
        Activity run = Assert.Single(_activities, a => a.OperationName == "transmog.run" && (string?)a.GetTagItem("transmog.entity") == _entity);
        Assert.Equal(ActivityStatusCode.Error, run.Status);
    }

    [Fact]
    public void Schema_drift_is_logged_with_table_column_and_position()
    {
        var logs = new CapturingLoggerFactory();
        using var stream = new MemoryStream("{\"a\":1}\n{\"a\":2}\n{\"a\":3,\"b\":\"new\"}\n"u8.ToArray());
        var options = TransmogOptions.Default with { LoggerFactory = logs, SchemaInference = SchemaInference.Window, InferenceWindow = 2 };
        TransmogInputException drifted = Assert.ThrowsAny<TransmogInputException>(() =>
        {
            using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromStream(stream), _entity, options);
        });
        Assert.Equal("b", drifted.ColumnName);

        var drift = logs.Events.Single(e => e.Id.Id == 5);
        Assert.Contains(_entity, drift.Message, StringComparison.Ordinal);
        Assert.Contains("column b", drift.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", drift.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_logger_or_listener_nothing_is_reported_and_nothing_breaks()
    {
        // No logger factory: the run is the same; the test's own listeners see only what they subscribed to.
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFile(Repository.SamplePath), _entity);
        Assert.Equal(20, result.Main.RowCount);
        Assert.Null(TransmogOptions.Default.LoggerFactory);
    }

    /// <summary>
    /// Ends both providers (a last export of the cumulative metrics); from then on nothing is added to the lists, which
    /// other tests' activities would otherwise change while this one reads them.
    /// </summary>
    private void Flush()
    {
        _meters.Dispose();
        _tracing.Dispose();
    }

    private IEnumerable<MetricPoint> Points(string name, (string Key, string Value)[] tags)
    {
        // Cumulative temporality: the last export of an instrument holds its totals.
        if (_metrics.LastOrDefault(m => m.Name == name) is { } metric)
        {
            foreach (MetricPoint point in metric.MetricPoints)
            {
                var have = new Dictionary<string, object?>();
                foreach (KeyValuePair<string, object?> tag in point.Tags)
                {
                    have[tag.Key] = tag.Value;
                }

                if (tags.All(t => have.TryGetValue(t.Key, out object? v) && Equals(v, t.Value)))
                {
                    yield return point;
                }
            }
        }
    }

    private long Sum(string name, params (string Key, string Value)[] tags) => Points(name, tags).Sum(p => p.GetSumLong());

    private long HistogramCount(string name, params (string Key, string Value)[] tags) => Points(name, tags).Sum(p => p.GetHistogramCount());
}
