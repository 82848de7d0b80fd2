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
    private TableFeedMode[] _modes = [];
    private RowStore?[] _stores = [];
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

    /// <summary>Starts the data pass with a feed mode per table (by table index).</summary>
    public void BeginData(IReadOnlyList<TableFeedMode> modes, string? spillDirectory, Action<RejectedRecord>? onReject)
    {
        if (_data is not null)
        {
            throw new InvalidOperationException("The data pass has already begun.");
        }

        foreach (TableModel t in _registry.Tables)
        {
            t.RowCount = 0;
        }

        _modes = [.. modes];
        _stores = new RowStore?[_modes.Length];
        for (int i = 0; i < _modes.Length; i++)
        {
            _stores[i] = _modes[i] switch
            {
                TableFeedMode.Spill => RowStore.SpillFile(spillDirectory),
                TableFeedMode.Memory => RowStore.InMemory(),
                _ => null,
            };
        }

        _onReject = onReject;
        RecordParser parser = _heldParser ?? new RecordParser(_input, Options);
        _heldParser = null;
        _data = new FlattenPass(parser, ownsParser: true, _registry, _ids, keepRows: true, _onReject, _cancellationToken);
    }

    /// <summary>Flattens one more record and hands its rows on; <c>false</c> at the end of the input.</summary>
    public bool Advance()
    {
        FlattenPass data = _data ?? throw new InvalidOperationException("The data pass has not begun.");
        if (!data.Step())
        {
            FlushStores(all: true);
            _progress?.Report(new FlattenProgress("flatten", data.Records, data.BytesRead, _input.Length, data.Rejected));
            return false;
        }

        foreach (TableModel t in data.Touched)
        {
            TableFeedMode mode = t.Index < _modes.Length ? _modes[t.Index] : TableFeedMode.Discard;
            switch (mode)
            {
                case TableFeedMode.Discard:
                    t.Rows.ClearCommitted();
                    break;
                case TableFeedMode.Spill:
                case TableFeedMode.Memory:
                    if (t.Rows.CommittedRows >= Options.BatchSize || t.Rows.CommittedLength >= 1 << 20)
                    {
                        _stores[t.Index]!.Append(t.Rows.Committed, t.Rows.CommittedRows);
                        t.Rows.ClearCommitted();
                    }

                    break;
            }
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

    private void FlushStores(bool all)
    {
        foreach (TableModel t in _registry.Tables)
        {
            RowStore? store = t.Index < _stores.Length ? _stores[t.Index] : null;
            if (store is not null && (all || t.Rows.CommittedRows > 0))
            {
                store.Append(t.Rows.Committed, t.Rows.CommittedRows);
                t.Rows.ClearCommitted();
            }
        }
    }

    /// <summary>A source of a <see cref="TableFeedMode.Live"/> table's rows, pulling the pass forward as it is read.</summary>
    public IRowSource OpenLive(TableModel table) => new LiveSource(this, table);

    /// <summary>A source of a stored (spill or memory) table's rows; runs the pass to the end first.</summary>
    public IRowSource OpenStored(TableModel table)
    {
        if (!Ended)
        {
            RunToEnd();
        }

        RowStore store = _stores[table.Index] ?? throw new InvalidOperationException($"Table '{table.Name}' was not kept.");
        return store.OpenSource();
    }

    public void Dispose()
    {
        _data?.Dispose();
        _heldParser?.Dispose();
        foreach (RowStore? s in _stores)
        {
            s?.Dispose();
        }

        _registry.Dispose();
    }

    private sealed class LiveSource(FlattenRun run, TableModel table) : IRowSource
    {
        public bool TryFill(RowBatch batch)
        {
            int batchSize = run.Options.BatchSize;
            while (table.Rows.CommittedRows < batchSize && run.Advance())
            {
            }

            if (table.Rows.CommittedRows == 0)
            {
                return false;
            }

            batch.Load(table.Rows.Committed, table.Rows.CommittedRows);
            table.Rows.ClearCommitted();
            return true;
        }

        public void Dispose()
        {
        }
    }
}
