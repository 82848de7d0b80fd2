using Transmog.Data.Flattening;
using Transmog.Data.Pipeline;

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
    private readonly FlattenRun _run;
    private readonly TableReadMode _mode;
    private readonly CancellationTokenSource _stop;
    private readonly HashSet<int> _opened = [];
    private TransmogDataReader? _current;
    private Task? _pump;
    private bool _disposed;

    private TransmogTableSet(FlattenRun run, TableReadMode mode, CancellationTokenSource stop)
    {
        _run = run;
        _mode = mode;
        _stop = stop;
        Tables = [.. run.Plan.Wanted.Select(t => t.Public!)];
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
        ArgumentNullException.ThrowIfNull(input);
        TablePlan plan = TablePlan.ForReadMode(mode, tables?.ToArray(), spillDirectory);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            // Except in Rescan mode, an exact scan keeps the wanted tables' rows in spill files as it goes: the input
            // is parsed once and every reader reads its table's file (on any thread).
            FlattenRun run = FlattenRun.Open(input, name, options, plan, new RejectSink(keep: true), null, stop.Token);
            return new TransmogTableSet(run, mode, stop);
        }
        catch
        {
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

    /// <summary>Records rejected so far (under <see cref="RecoveryMode.Skip"/> or <see cref="RecoveryMode.Skip"/>).</summary>
    public IReadOnlyList<RejectedRecord> Rejects => _run.Rejects.Snapshot();

    /// <summary>Opens the reader of one table. Each table can be read once.</summary>
    /// <param name="table">The table name (exact, then ignoring case).</param>
    /// <exception cref="ArgumentException">No such table, or it was not asked for.</exception>
    /// <exception cref="InvalidOperationException">The table was read already, or (in the one-after-another modes) the previous reader is still open.</exception>
    public TransmogDataReader OpenReader(string table)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        TableModel model = Find(_run, table);
        if (!_run.Plan.Wants(model))
        {
            throw new ArgumentException($"Table '{model.Name}' was not among the tables asked for when the set was opened.");
        }

        if (!_opened.Add(model.Index))
        {
            throw new InvalidOperationException($"Table '{model.Name}' has been read already; each table can be read once.");
        }

        if (_mode != TableReadMode.Concurrent)
        {
            RequirePreviousClosed(model);
        }

        _run.OpenTable(model, first: _opened.Count == 1);
        if (_mode == TableReadMode.Concurrent && !_run.RowsKept)
        {
            _pump ??= _run.PumpInBackground();
        }

        _current = TransmogDataReader.Over(_run, [model], ownsRun: false);
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
