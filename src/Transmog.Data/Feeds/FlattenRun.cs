using System.Security.Cryptography;
using Transmog.Data.Flattening;
using Transmog.Data.Input;

namespace Transmog.Data.Feeds;

/// <summary>
/// One run over one input: fixes the schema (explicit, exact scan, or inference window), then drives the data pass
/// and sends each table's committed rows where its consumer wants them (live, spill, memory, nowhere).
/// Every row gets the same id on every pass of the run (the random seed and the timestamp are the run's).
/// </summary>
internal sealed class FlattenRun : IDisposable
{
    private const int ProgressEveryRecords = 4096;

    private readonly JsonInput _input;
    private readonly TableRegistry _registry;
    private readonly IdFactory _ids;
    private readonly IProgress<FlattenProgress>? _progress;
    private readonly CancellationToken _cancellationToken;
    private RecordParser? _heldParser;
    private FlattenPass? _data;
    private TableFeed[] _feeds = [];
    private Action<RejectedRecord>? _onReject;

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

    /// <summary>Records read by the data pass.</summary>
    public long Records => _data?.Records ?? 0;

    /// <summary>Records rejected by the data pass.</summary>
    public long Rejected => _data?.Rejected ?? 0;

    public bool Ended => _data?.Ended ?? false;

    /// <summary>Opens a run and fixes its schema (reading the input once for an exact scan when it can be reopened).</summary>
    public static FlattenRun Start(JsonInput input, string name, TransmogOptions? options, IProgress<FlattenProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(name);
        options = (options ?? TransmogOptions.Default).Validate();
        TableRegistry registry = options.Schema is { } schema
            ? TableRegistry.FromSchema(schema, name, options)
            : new TableRegistry(name, options);
        var run = new FlattenRun(input, options, registry, progress, cancellationToken);
        try
        {
            run.FixSchema();
        }
        catch
        {
            run.Dispose();
            throw;
        }

        return run;
    }

    private void FixSchema()
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
            using var scan = new FlattenPass(new RecordParser(_input, Options), ownsParser: true, _registry, _ids, keepRows: false, onReject: null, _cancellationToken);
            while (scan.Step())
            {
                if (scan.Records % ProgressEveryRecords == 0)
                {
                    _progress?.Report(new FlattenProgress("scan", scan.Records, scan.BytesRead, _input.Length, scan.Rejected));
                }
            }

            Schema = _registry.Freeze();
            return;
        }

        _heldParser = new RecordParser(_input, Options);
        List<(byte[] Bytes, RawRecord Record)> held = _heldParser.Prefetch(Options.InferenceWindow);
        using (var scan = new FlattenPass(_heldParser, ownsParser: false, _registry, _ids, keepRows: false, onReject: null, _cancellationToken))
        {
            foreach ((byte[] _, RawRecord record) in held)
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
        foreach (TableModel t in _registry.Tables)
        {
            t.RowCount = 0;
            t.Rows.Rollback();
            t.Rows.ClearCommitted();
        }

        _feeds = [.. feeds];
        _onReject = onReject;
        RecordParser parser = _heldParser ?? new RecordParser(_input, Options);
        _heldParser = null;
        _data = new FlattenPass(parser, ownsParser: true, _registry, _ids, keepRows: true, _onReject, _cancellationToken);
    }

    /// <summary>Flattens one more record and hands its rows on; <c>false</c> at the end of the input.</summary>
    public bool Advance()
    {
        FlattenPass data = _data ?? throw new InvalidOperationException("The data pass has not begun.");
        if (data.Ended)
        {
            return false;
        }

        if (!data.Step())
        {
            foreach (TableModel t in _registry.Tables)
            {
                FeedOf(t).OnEnd(t);
            }

            _progress?.Report(new FlattenProgress("flatten", data.Records, data.BytesRead, _input.Length, data.Rejected));
            return false;
        }

        int batchSize = Options.BatchSize;
        foreach (TableModel t in data.Touched)
        {
            FeedOf(t).OnCommitted(t, batchSize);
        }

        if (data.Records % ProgressEveryRecords == 0)
        {
            _progress?.Report(new FlattenProgress("flatten", data.Records, data.BytesRead, _input.Length, data.Rejected));
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
        if (table.Index < _feeds.Length && _feeds[table.Index] is LiveFeed)
        {
            _feeds[table.Index] = DiscardFeed.Instance;
            table.Rows.ClearCommitted();
        }
    }

    /// <summary>The feed of a table in the current pass.</summary>
    public TableFeed FeedOf(TableModel table) => table.Index < _feeds.Length ? _feeds[table.Index] : DiscardFeed.Instance;

    private void EndData()
    {
        _data?.Dispose();
        _data = null;
        foreach (TableFeed feed in _feeds)
        {
            feed.Dispose();
        }

        _feeds = [];
    }

    public void Dispose()
    {
        EndData();
        _heldParser?.Dispose();
        _registry.Dispose();
    }
}
