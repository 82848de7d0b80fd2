using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Transmog.Data.Feeds;
using Transmog.Data.Diagnostics;
using Transmog.Data.Flattening;
using Transmog.Data.Input;
using Transmog.Data.Rows;

namespace Transmog.Data.Pipeline;

/// <summary>
/// One run over one input, following its <see cref="TablePlan"/>: fixes the schema (explicit, exact scan, or
/// inference window) and drives the data passes the plan asks for, sending each table's committed rows where its
/// consumer wants them (live, spill, memory, queue, nowhere). Every row gets the same id on every pass of the run
/// (the random seed and the timestamp are the run's).
/// </summary>
/// <remarks>
/// The one protocol of a run, written here only: when the schema comes from an exact scan, the scan keeps the rows
/// the plan wants (<see cref="TablePlan.ScanFeeds"/>) and the input is parsed once; otherwise, or when the scan
/// kept the wrong tables, a data pass parses the input again or goes on from the inference window — at once
/// (<see cref="TablePlan.DataPassAtOnce"/>) or when a table is opened (<see cref="OpenTable"/>).
/// </remarks>
internal sealed class FlattenRun : IRowPump, IDisposable
{
    private const int ProgressEveryRecords = 4096;

    private readonly JsonInput _input;
    private readonly TableRegistry _registry;
    private readonly IdFactory _ids;
    private readonly IProgress<FlattenProgress>? _progress;
    private readonly CancellationToken _cancellationToken;
    private readonly List<TableFeed> _feeds = [];
    private RecordParser? _heldParser;
    private IFlattenPass? _data;
    private int _dataPasses;
    private long _nextProgressAt;
    private ExceptionDispatchInfo? _failure;
    private Func<TableModel, TableFeed>? _feedFor;
    private FlattenPhase _phase = FlattenPhase.Flatten;
    private RunDiagnostics _diagnostics = null!;
    private RejectedRecord? _firstReject;
    private bool _scanPass;

    private FlattenRun(JsonInput input, TransmogOptions options, TableRegistry registry, TablePlan plan, RejectSink rejects,
        IProgress<FlattenProgress>? progress, CancellationToken cancellationToken)
    {
        _input = input;
        Options = options;
        _registry = registry;
        Plan = plan;
        Rejects = rejects;
        _progress = progress;
        _cancellationToken = cancellationToken;
        _ids = new IdFactory(options.IdGeneration, RandomNumberGenerator.GetBytes(16), input is JsonInput.FileInput file ? file.Path : string.Empty);
        DateTime now = DateTime.UtcNow;
        Timestamp = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }

    public TransmogOptions Options { get; }

    /// <summary>How the tables are consumed.</summary>
    public TablePlan Plan { get; }

    /// <summary>Where rejected records go.</summary>
    public RejectSink Rejects { get; }

    /// <summary>The run's instant, the same on every row; microsecond precision.</summary>
    public DateTime Timestamp { get; }

    public TransmogSchema Schema { get; private set; } = null!;

    /// <summary>The tables in schema order (main first).</summary>
    public IReadOnlyList<TableModel> Tables => _registry.Tables;

    /// <summary>The input's length in bytes when known.</summary>
    public long? InputLength => _input.Length;

    /// <summary>Records read by the current (or last) pass.</summary>
    public long Records => _data?.Records ?? 0;

    /// <summary>Records rejected by the current (or last) pass.</summary>
    public long Rejected => _data?.Rejected ?? 0;

    /// <summary>Whether the current pass has read the whole input.</summary>
    public bool Ended => _data?.Ended ?? false;

    /// <summary>Whether the schema scan kept the rows: readers can read them without another pass.</summary>
    public bool RowsKept { get; private set; }

    /// <inheritdoc />
    public int BatchSize => Options.BatchSize;

    /// <summary>
    /// Opens a run: fixes its schema, keeping rows during an exact scan where the plan wants them, and begins the
    /// data pass at once when the plan says so.
    /// </summary>
    /// <exception cref="ArgumentException">The options, the plan's tables or the input do not fit together.</exception>
    public static FlattenRun Open(JsonInput input, string name, TransmogOptions? options, TablePlan plan, RejectSink rejects,
        IProgress<FlattenProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (plan.RereadsInput && !input.CanReopen)
        {
            throw new ArgumentException($"TableReadMode.Rescan re-reads the input, but the {input.Description} input can be read once. Use Sequential.");
        }

        options = (options ?? TransmogOptions.Default).Validate();
        TableRegistry registry = options.Schema is { } schema
            ? TableRegistry.FromSchema(schema, name, options)
            : new TableRegistry(name, options);
        var run = new FlattenRun(input, options, registry, plan, rejects, progress, cancellationToken) { _diagnostics = RunDiagnostics.Start(input, name, options) };
        try
        {
            run.FixSchema(plan.ScanFeeds);
            run._diagnostics.SchemaFixed(run.Tables);
            plan.Resolve(run.Schema, run.Tables);
            if (plan.DataPassAtOnce)
            {
                TableModel? opened = plan.Use == TableUse.OneTable ? plan.Wanted[0] : null;

                // A scan that kept every wanted table's rows needs no data pass.
                if (!run.RowsKept || (opened is not null && run.FeedOf(opened) is DiscardFeed))
                {
                    run.BeginData(opened);
                }
            }

            if (plan.RunsToEndAtOnce && run._data is { Ended: false })
            {
                run.RunToEnd();
            }
        }
        catch (Exception ex)
        {
            run._diagnostics.Failed(ex);
            run.Dispose();
            throw;
        }

        return run;
    }

    /// <summary>Reads the input once and returns its tables, columns and types (with row counts after an exact scan).</summary>
    public static TransmogSchema ReadSchema(JsonInput input, string name, TransmogOptions? options, CancellationToken cancellationToken)
    {
        using FlattenRun run = Open(input, name, options, TablePlan.SchemaOnly(), new RejectSink(keep: false), null, cancellationToken);
        return run.Schema;
    }

    /// <summary>
    /// A consumer opens a table's reader: begins the data pass the plan asks for then (the first table of
    /// <see cref="TableUse.Sequential"/> is served live; <see cref="TableUse.Rescan"/> re-reads the input per table).
    /// </summary>
    /// <param name="table">The table opened.</param>
    /// <param name="first">Whether it is the first table opened in this run.</param>
    public void OpenTable(TableModel table, bool first)
    {
        switch (Plan.Use)
        {
            case TableUse.Sequential when first && !RowsKept:
            case TableUse.Rescan:
                BeginData(table);
                break;
        }
    }

    /// <summary>Runs the data pass to the end on another thread (concurrent readers), failing every queue with its error.</summary>
    public Task PumpInBackground() => Task.Run(() =>
    {
        try
        {
            RunToEnd();
        }
        catch (Exception ex)
        {
            foreach (TableModel t in Tables)
            {
                if (FeedOf(t) is QueueFeed queue)
                {
                    queue.Fail(ex);
                }
            }
        }
    });

    private void FixSchema(Func<TableModel, TableFeed>? keep)
    {
        if (_registry.Frozen)
        {
            Schema = _registry.Schema;
            return;
        }

        SchemaInference inference = Options.SchemaInference;
        if (inference == SchemaInference.Auto)
        {
            inference = _input.CanReopen ? SchemaInference.FullScan : SchemaInference.Window;
        }

        if (inference == SchemaInference.FullScan && !_input.CanReopen)
        {
            throw new ArgumentException(
                $"SchemaInference.FullScan needs an input that can be read twice, but the {_input.Description} input can be read once. Use Window or an explicit Schema.");
        }

        if (inference == SchemaInference.FullScan)
        {
            // A scan that keeps no rows reports no rejects: the data pass reports them.
            _phase = keep is null ? FlattenPhase.Scan : FlattenPhase.Flatten;
            _feedFor = keep ?? (_ => DiscardFeed.Instance);
            _data = NewPass(new RecordParser(_input, Options), keepRows: keep is not null, keep is null ? null : Rejects.Add);
            _scanPass = keep is null;
            RunToEnd();
            _phase = FlattenPhase.Flatten;
            Schema = _registry.Freeze(countsKnown: true);
            RowsKept = keep is not null;
            return;
        }

        _heldParser = new RecordParser(_input, Options);
        List<RawRecord> held = _heldParser.Prefetch(Options.InferenceWindow);
        using (var scan = new FlattenPass(_heldParser, ownsParser: false, _registry, _ids, keepRows: false, onReject: null, _cancellationToken))
        {
            foreach (RawRecord record in held)
            {
                scan.ProcessHeld(record);
            }
        }

        // Counts of a window are not the input's.
        Schema = _registry.Freeze(countsKnown: false);
    }

    /// <summary>
    /// Starts a data pass with each table's feed from the plan. A run may make several passes one after another
    /// (re-reading an input that can be reopened); every pass gives every row the same id. The first data pass
    /// reports every reject (again, if a scan kept some); later ones report none.
    /// </summary>
    private void BeginData(TableModel? opened)
    {
        if (_data is not null && !_input.CanReopen)
        {
            throw new ArgumentException($"The {_input.Description} input can be read once: its tables cannot be read by re-reading it.");
        }

        EndData();
        _failure = null;
        foreach (TableModel t in _registry.Tables)
        {
            t.RowCount = 0;
            t.Rows.Rollback();
            t.Rows.ClearCommitted();
        }

        foreach (TableModel t in _registry.Tables)
        {
            _feeds.Add(Plan.DataFeed(t, opened, _cancellationToken));
            _diagnostics.SpillOpened(_feeds[^1], t);
        }

        _feedFor = null;
        RowsKept = false;
        Action<RejectedRecord>? onReject = null;
        if (_dataPasses++ == 0)
        {
            Rejects.Reset();
            onReject = Rejects.Add;
        }

        RecordParser parser = _heldParser ?? new RecordParser(_input, Options);
        _heldParser = null;
        _data = NewPass(parser, keepRows: true, onReject);
        _scanPass = false;
    }

    /// <summary>A pass over the whole input: on several cores unless the options ask for one.</summary>
    private IFlattenPass NewPass(RecordParser parser, bool keepRows, Action<RejectedRecord>? onReject)
    {
        _nextProgressAt = ProgressEveryRecords;
        _firstReject = null;
        if (onReject is { } report)
        {
            onReject = r =>
            {
                _firstReject ??= r;
                report(r);
            };
        }

        int workers = Options.EffectiveParallelism;

        // An input that fits in one chunk has nothing to share out: the record-by-record pass costs less.
        bool small = _input.Length is { } length && length <= Options.ChunkBytes;
        return workers > 1 && !small
            ? new ParallelFlattenPass(parser, ownsParser: true, _registry, _ids, keepRows, onReject, workers - 1, Options.ChunkBytes, _cancellationToken)
            : new FlattenPass(parser, ownsParser: true, _registry, _ids, keepRows, onReject, _cancellationToken);
    }

    /// <summary>Flattens one more record and hands its rows on; <c>false</c> at the end of the input.</summary>
    public bool Advance()
    {
        IFlattenPass data = _data ?? throw new InvalidOperationException("The data pass has not begun.");
        if (data.Ended)
        {
            return false;
        }

        // A pass that failed stays failed: reading on must not look like the end of the data.
        _failure?.Throw();
        bool stepped;
        try
        {
            stepped = data.Step();
        }
        catch (Exception ex)
        {
            _failure = ExceptionDispatchInfo.Capture(ex);
            _diagnostics.Failed(ex);
            throw;
        }

        if (!stepped)
        {
            foreach (TableModel t in _registry.Tables)
            {
                FeedOf(t).OnEnd(t);
            }

            _progress?.Report(new FlattenProgress(_phase, data.Records, data.BytesRead, _input.Length, data.Rejected));
            return false;
        }

        int batchSize = Options.BatchSize;
        foreach (TableModel t in data.Touched)
        {
            FeedOf(t).OnCommitted(t, batchSize);
        }

        if (data.Records >= _nextProgressAt)
        {
            _nextProgressAt = data.Records + ProgressEveryRecords;
            _progress?.Report(new FlattenProgress(_phase, data.Records, data.BytesRead, _input.Length, data.Rejected));
        }

        return true;
    }

    /// <summary>Runs the data pass to the end of the input.</summary>
    public void RunToEnd()
    {
        while (Advance())
        {
        }
    }

    /// <summary>The rows of a table for its reader, from the feed the pass gives it.</summary>
    public IRowSource OpenSource(TableModel table) => FeedOf(table).OpenSource(this, table);

    /// <inheritdoc />
    public void Release(TableModel table)
    {
        if (table.Index < _feeds.Count && _feeds[table.Index] is LiveFeed)
        {
            _feeds[table.Index] = DiscardFeed.Instance;
            table.Rows.ClearCommitted();
        }
    }

    /// <summary>The feed of a table in the current pass (tables found during a keeping scan get theirs on first sight).</summary>
    public TableFeed FeedOf(TableModel table)
    {
        while (_feedFor is not null && _feeds.Count <= table.Index)
        {
            TableModel next;
            lock (_registry.SyncRoot)
            {
                // Flattening threads may be adding tables meanwhile.
                next = _registry.Tables[_feeds.Count];
            }

            _feeds.Add(_feedFor(next));
            _diagnostics.SpillOpened(_feeds[^1], next);
        }

        return table.Index < _feeds.Count ? _feeds[table.Index] : DiscardFeed.Instance;
    }

    private void EndData()
    {
        IFlattenPass? data = _data;
        (long records, long bytes, long rejected, bool ended) = data is null ? default : (data.Records, data.BytesRead, data.Rejected, data.Ended);
        data?.Dispose();
        _data = null;
        if (data is not null)
        {
            // A schema-only run (ReadSchema) has no data pass: its scan is the run, so its rejects and rows are the run's
            // (the schema command reports them and exits 3 on rejects, as flatten and load do).
            _diagnostics.PassEnded(_scanPass, ended, records, bytes, rejected, _firstReject, _registry.Tables, rowsCounted: !_scanPass || Plan.Use == TableUse.SchemaOnly);
        }

        for (int i = 0; i < _feeds.Count; i++)
        {
            _diagnostics.SpillDeleted(_feeds[i], i < _registry.Tables.Count ? _registry.Tables[i].Name : string.Empty);
            _feeds[i].Dispose();
        }

        _feeds.Clear();
    }

    public void Dispose()
    {
        EndData();
        _diagnostics?.Ended(_registry.Tables);
        _heldParser?.Dispose();
        _registry.Dispose();
    }
}
