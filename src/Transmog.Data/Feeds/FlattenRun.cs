using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using Transmog.Data.Diagnostics;
using Transmog.Data.Flattening;
using Transmog.Data.Input;

namespace Transmog.Data.Feeds;

/// <summary>
/// One run over one input: fixes the schema (explicit, exact scan, or inference window) and drives data passes,
/// sending each table's committed rows where its consumer wants them (live, spill, memory, queue, nowhere).
/// Every row gets the same id on every pass of the run (the random seed and the timestamp are the run's).
/// </summary>
/// <remarks>
/// When the schema comes from an exact scan, the scan itself can keep the rows (<c>keep</c> in
/// <see cref="Start"/>): the input is then parsed once, and readers read the kept rows. Otherwise a data pass
/// (<see cref="BeginData"/>) parses the input again, or goes on from the inference window.
/// </remarks>
internal sealed class FlattenRun : IDisposable
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
    private long _nextProgressAt;
    private ExceptionDispatchInfo? _failure;
    private Func<TableModel, TableFeed>? _feedFor;
    private string _phase = "flatten";
    private RunDiagnostics _diagnostics = null!;
    private RejectedRecord? _firstReject;
    private bool _scanPass;

    private FlattenRun(JsonInput input, TransmogOptions options, TableRegistry registry, IProgress<FlattenProgress>? progress, CancellationToken cancellationToken)
    {
        _input = input;
        Options = options;
        _registry = registry;
        _progress = progress;
        _cancellationToken = cancellationToken;
        _ids = new IdFactory(options.IdGeneration, RandomNumberGenerator.GetBytes(16));
        DateTime now = DateTime.UtcNow;
        Timestamp = new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }

    public TransmogOptions Options { get; }

    /// <summary>The run's instant, the same on every row; microsecond precision.</summary>
    public DateTime Timestamp { get; }

    public TransmogSchema Schema { get; private set; } = null!;

    /// <summary>The tables in schema order (main first).</summary>
    public IReadOnlyList<TableModel> Tables => _registry.Tables;

    /// <summary>Records read by the current (or last) pass.</summary>
    public long Records => _data?.Records ?? 0;

    /// <summary>Records rejected by the current (or last) pass.</summary>
    public long Rejected => _data?.Rejected ?? 0;

    /// <summary>Whether the current pass has read the whole input.</summary>
    public bool Ended => _data?.Ended ?? false;

    /// <summary>Whether the schema scan kept the rows: readers can read them without another pass.</summary>
    public bool RowsKept { get; private set; }

    /// <summary>
    /// Opens a run and fixes its schema. With <paramref name="keep"/>, an exact scan keeps every table's rows in the
    /// feed that function gives it (the input is parsed once); rejected records then go to <paramref name="onReject"/>.
    /// </summary>
    public static FlattenRun Start(JsonInput input, string name, TransmogOptions? options, IProgress<FlattenProgress>? progress, CancellationToken cancellationToken,
        Func<TableModel, TableFeed>? keep = null, Action<RejectedRecord>? onReject = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(name);
        options = (options ?? TransmogOptions.Default).Validate();
        TableRegistry registry = options.Schema is { } schema
            ? TableRegistry.FromSchema(schema, name, options)
            : new TableRegistry(name, options);
        var run = new FlattenRun(input, options, registry, progress, cancellationToken) { _diagnostics = RunDiagnostics.Start(input, name, options) };
        try
        {
            run.FixSchema(keep, onReject);
            run._diagnostics.SchemaFixed(run.Tables);
        }
        catch (Exception ex)
        {
            run._diagnostics.Failed(ex);
            run.Dispose();
            throw;
        }

        return run;
    }

    private void FixSchema(Func<TableModel, TableFeed>? keep, Action<RejectedRecord>? onReject)
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
            throw new TransmogConfigurationException(
                $"SchemaInference.FullScan needs an input that can be read twice, but the {_input.Description} input can be read once. Use Window or an explicit Schema.");
        }

        if (inference == SchemaInference.FullScan)
        {
            _phase = keep is null ? "scan" : "flatten";
            _feedFor = keep ?? (_ => DiscardFeed.Instance);
            _data = NewPass(new RecordParser(_input, Options), keepRows: keep is not null, keep is null ? null : onReject);
            _scanPass = keep is null;
            RunToEnd();
            _phase = "flatten";
            Schema = _registry.Freeze();
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

        Schema = _registry.Freeze();
        foreach (TransmogTable t in Schema.Tables)
        {
            // Counts of a window are not the input's.
            t.RowCount = null;
        }
    }

    /// <summary>
    /// Starts a data pass with a feed per table (by table index). A run may make several passes one after another
    /// (re-reading an input that can be reopened); every pass gives every row the same id.
    /// </summary>
    public void BeginData(IReadOnlyList<TableFeed> feeds, Action<RejectedRecord>? onReject)
    {
        if (_data is not null && !_input.CanReopen)
        {
            throw new TransmogConfigurationException($"The {_input.Description} input can be read once: its tables cannot be read by re-reading it.");
        }

        EndData();
        _failure = null;
        foreach (TableModel t in _registry.Tables)
        {
            t.RowCount = 0;
            t.Rows.Rollback();
            t.Rows.ClearCommitted();
        }

        _feeds.AddRange(feeds);
        for (int i = 0; i < feeds.Count && i < _registry.Tables.Count; i++)
        {
            _diagnostics.SpillOpened(feeds[i], _registry.Tables[i]);
        }

        _feedFor = null;
        RowsKept = false;
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

    /// <summary>Stops feeding a table whose reader has gone: its rows are dropped from now on.</summary>
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
            _diagnostics.PassEnded(_scanPass, ended, records, bytes, rejected, _firstReject, _registry.Tables, rowsCounted: !_scanPass);
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
