using Transmog.Data.Feeds;
using Transmog.Data.Flattening;
using Transmog.Data.Pipeline;
using Transmog.Data.Rows;

namespace Transmog.Data;

/// <summary>
/// All tables of one input, each readable as its own <see cref="TransmogDataReader"/>, in one of the
/// <see cref="TableReadMode"/>s. Memory stays bounded whatever the input size.
/// </summary>
/// <example>
/// <code>
/// using var tables = TransmogTableSet.Open(JsonInput.FromFile("orders.jsonl"), "orders");
/// foreach (TransmogTable table in tables.Tables)          // parent first
/// {
///     using TransmogDataReader reader = tables.OpenReader(table.Name);
///     await bulkCopy.WriteToServerAsync(reader);
/// }
/// </code>
/// </example>
public sealed class TransmogTableSet : IDisposable
{
    private const int QueueCapacity = 4;

    private readonly FlattenRun _run;
    private readonly TableReadMode _mode;
    private readonly string? _spillDirectory;
    private readonly HashSet<int> _wanted;
    private readonly List<RejectedRecord> _rejects = [];
    private readonly CancellationTokenSource _stop;
    private readonly HashSet<int> _opened = [];
    private TransmogDataReader? _current;
    private Task? _pump;
    private bool _disposed;

    private TransmogTableSet(FlattenRun run, TableReadMode mode, HashSet<int> wanted, string? spillDirectory, CancellationTokenSource stop)
    {
        _run = run;
        _mode = mode;
        _wanted = wanted;
        _spillDirectory = spillDirectory;
        _stop = stop;
        Tables = [.. run.Tables.Where(t => wanted.Contains(t.Index)).Select(t => t.Public!)];
    }

    /// <summary>
    /// Opens the tables of an input: fixes the schema (an exact scan of an input that can be reopened, else an
    /// inference window) and prepares the chosen way of reading.
    /// </summary>
    /// <param name="input">The JSON.</param>
    /// <param name="name">The entity name.</param>
    /// <param name="options">The flattening options.</param>
    /// <param name="mode">How the tables will be read.</param>
    /// <param name="tables">The tables that will be read (others are discarded at no cost); <c>null</c> for all.</param>
    /// <param name="spillDirectory">Where temporary spill files go; the system temp directory when <c>null</c>.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="TransmogException">The input, the options or a table name are invalid.</exception>
    public static TransmogTableSet Open(JsonInput input, string name = "data", TransmogOptions? options = null, TableReadMode mode = TableReadMode.Sequential,
        IEnumerable<string>? tables = null, string? spillDirectory = null, CancellationToken cancellationToken = default)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentException($"Unknown table read mode {mode}.");
        }

        if (mode == TableReadMode.Rescan && !input.CanReopen)
        {
            throw new ArgumentException($"TableReadMode.Rescan re-reads the input, but the {input.Description} input can be read once. Use Sequential.");
        }

        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        HashSet<string>? names = tables is null ? null : new HashSet<string>(tables, StringComparer.OrdinalIgnoreCase);
        var rejects = new List<RejectedRecord>();

        // Except in Rescan mode, an exact scan keeps the wanted tables' rows in spill files as it goes: the input
        // is parsed once and every reader reads its table's file (on any thread).
        FlattenRun run = FlattenRun.Start(input, name, options, null, stop.Token,
            mode == TableReadMode.Rescan ? null : t => names is null || names.Contains(t.Name) ? new StoreFeed(RowStore.SpillFile(spillDirectory)) : DiscardFeed.Instance,
            rejects.Add);
        try
        {
            var wanted = new HashSet<int>();
            if (tables is null)
            {
                wanted.UnionWith(run.Tables.Select(t => t.Index));
            }
            else
            {
                foreach (string table in tables)
                {
                    wanted.Add(Find(run, table).Index);
                }
            }

            var set = new TransmogTableSet(run, mode, wanted, spillDirectory, stop);
            set._rejects.AddRange(rejects);
            if (mode == TableReadMode.Concurrent && !run.RowsKept)
            {
                var demand = new QueueDemand();
                run.BeginData([.. run.Tables.Select(t => wanted.Contains(t.Index) ? (TableFeed)new QueueFeed(demand, QueueCapacity, spillDirectory, stop.Token) : DiscardFeed.Instance)], set.Reject);
            }

            return set;
        }
        catch
        {
            run.Dispose();
            stop.Dispose();
            throw;
        }
    }

    /// <summary>The tables that can be read, main first, then children in first-seen order.</summary>
    public IReadOnlyList<TransmogTable> Tables { get; }

    /// <summary>The schema of every table of the input.</summary>
    public TransmogSchema Schema => _run.Schema;

    /// <summary>The run's timestamp.</summary>
    public DateTime Timestamp => _run.Timestamp;

    /// <summary>Records rejected so far (under <see cref="RecoveryMode.Skip"/> or <see cref="SchemaDriftPolicy.Reject"/>).</summary>
    public IReadOnlyList<RejectedRecord> Rejects
    {
        get
        {
            lock (_rejects)
            {
                return [.. _rejects];
            }
        }
    }

    /// <summary>Opens the reader of one table. Each table can be read once.</summary>
    /// <param name="table">The table name (exact, then ignoring case).</param>
    /// <exception cref="ArgumentException">No such table, or it was not asked for.</exception>
    /// <exception cref="InvalidOperationException">The table was read already, or (in the one-after-another modes) the previous reader is still open.</exception>
    public TransmogDataReader OpenReader(string table)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TableModel model = Find(_run, table);
        if (!_wanted.Contains(model.Index))
        {
            throw new ArgumentException($"Table '{model.Name}' was not among the tables asked for when the set was opened.");
        }

        if (!_opened.Add(model.Index))
        {
            throw new InvalidOperationException($"Table '{model.Name}' has been read already; each table can be read once.");
        }

        switch (_mode)
        {
            case TableReadMode.Sequential:
                RequirePreviousClosed(model);
                if (_opened.Count == 1 && !_run.RowsKept)
                {
                    // The first table read is served live; every other wanted table waits in a spill file.
                    _run.BeginData([.. _run.Tables.Select(t =>
                        t == model ? new LiveFeed()
                        : _wanted.Contains(t.Index) ? new StoreFeed(RowStore.SpillFile(_spillDirectory))
                        : (TableFeed)DiscardFeed.Instance)], Reject);
                }

                break;
            case TableReadMode.Rescan:
                RequirePreviousClosed(model);
                _run.BeginData([.. _run.Tables.Select(t => t == model ? new LiveFeed() : (TableFeed)DiscardFeed.Instance)], _opened.Count == 1 ? Reject : null);
                break;
            case TableReadMode.Concurrent when !_run.RowsKept:
                _pump ??= Task.Run(Pump);
                break;
        }

        _current = new TransmogDataReader([new ReaderTable(model.Public!, model.PublicToIndex, model.Columns.Count, () => _run.OpenSource(model))], _run.Timestamp, null, _run.Options.BatchSize);
        return _current;
    }

    private void RequirePreviousClosed(TableModel next)
    {
        if (_current is { IsClosed: false })
        {
            throw new InvalidOperationException(
                $"Close the reader of table '{_current.Table.Name}' before opening '{next.Name}' ({_mode} mode reads one table after another; use TableReadMode.Concurrent to read tables at the same time).");
        }
    }

    private void Pump()
    {
        try
        {
            _run.RunToEnd();
        }
        catch (Exception ex)
        {
            foreach (TableModel t in _run.Tables)
            {
                if (_run.FeedOf(t) is QueueFeed queue)
                {
                    queue.Fail(ex);
                }
            }
        }
    }

    private void Reject(RejectedRecord reject)
    {
        lock (_rejects)
        {
            _rejects.Add(reject);
        }
    }

    private static TableModel Find(FlattenRun run, string table)
    {
        ArgumentNullException.ThrowIfNull(table);
        TransmogTable found = run.Schema.Require(table);
        return run.Tables.First(t => t.Public == found);
    }

    /// <summary>Stops the run and deletes its temporary files.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        try
        {
            _pump?.Wait();
        }
        catch (AggregateException)
        {
            // The pump's failure reached the readers; disposing only waits for it.
        }

        _run.Dispose();
        _stop.Dispose();
    }
}
