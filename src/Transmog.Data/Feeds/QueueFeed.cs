using Transmog.Data.Flattening;

namespace Transmog.Data.Feeds;

/// <summary>
/// Rows handed from the pass's thread to a reader on another thread through a bounded queue of batches. It never
/// deadlocks: when the queue is full and its reader has not started (or has not taken a batch for a while), the
/// table's later rows go to a spill file instead of blocking, and the reader reads them after the queue once the
/// pass has ended. Memory stays bounded by the queue's capacity in batches.
/// </summary>
internal sealed class QueueFeed : TableFeed
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromMilliseconds(500);

    private readonly Queue<RowBatch> _queue = new();
    private readonly object _lock = new();
    private readonly int _capacity;
    private readonly string? _spillDirectory;
    private readonly CancellationToken _cancellationToken;
    private RowStore? _spill;
    private bool _completed;
    private Exception? _failure;
    private bool _readerStarted;

    // Batches the reader has taken: a reader that takes none for a while is stalled.
    private int _taken;

    public QueueFeed(int capacity, string? spillDirectory, CancellationToken cancellationToken)
    {
        _capacity = capacity;
        _spillDirectory = spillDirectory;
        _cancellationToken = cancellationToken;
    }

    public override void OnCommitted(TableModel table, int batchSize)
    {
        if (table.Rows.CommittedRows >= batchSize)
        {
            Hand(table);
        }
    }

    public override void OnEnd(TableModel table)
    {
        if (table.Rows.CommittedRows > 0)
        {
            Hand(table);
        }

        lock (_lock)
        {
            _completed = true;
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Marks the feed failed: its reader throws the pass's error instead of waiting.</summary>
    public void Fail(Exception error)
    {
        lock (_lock)
        {
            _failure = error;
            _completed = true;
            Monitor.PulseAll(_lock);
        }
    }

    private void Hand(TableModel table)
    {
        lock (_lock)
        {
            if (_spill is null)
            {
                DateTime stalledSince = DateTime.UtcNow;
                int taken = _taken;
                while (_queue.Count >= _capacity && _readerStarted)
                {
                    _cancellationToken.ThrowIfCancellationRequested();
                    Monitor.Wait(_lock, 50);
                    if (_taken != taken)
                    {
                        taken = _taken;
                        stalledSince = DateTime.UtcNow;
                    }
                    else if (DateTime.UtcNow - stalledSince > StallLimit)
                    {
                        // The reader started but takes nothing: it may be waiting for another table. Spill.
                        break;
                    }
                }

                if (_queue.Count < _capacity)
                {
                    var batch = new RowBatch(table.Rows.CommittedLength);
                    batch.Load(table.Rows.Committed, table.Rows.CommittedRows);
                    _queue.Enqueue(batch);
                    Monitor.PulseAll(_lock);
                    table.Rows.ClearCommitted();
                    return;
                }

                _spill = RowStore.SpillFile(_spillDirectory);
            }
        }

        // Once spilling, every later batch of this table goes to the file, keeping row order.
        _spill.Append(table.Rows.Committed, table.Rows.CommittedRows);
        table.Rows.ClearCommitted();
    }

    public override IRowSource OpenSource(FlattenRun run, TableModel table) => new Source(this);

    public override RowStore? Spill => _spill;

    public override void Dispose()
    {
        lock (_lock)
        {
            while (_queue.TryDequeue(out RowBatch? batch))
            {
                batch.Dispose();
            }
        }

        _spill?.Dispose();
    }

    private sealed class Source(QueueFeed feed) : IRowSource
    {
        private IRowSource? _spillSource;

        public bool TryFill(RowBatch batch)
        {
            if (_spillSource is not null)
            {
                return _spillSource.TryFill(batch);
            }

            RowBatch? next;
            lock (feed._lock)
            {
                feed._readerStarted = true;
                while (feed._queue.Count == 0 && !feed._completed)
                {
                    feed._cancellationToken.ThrowIfCancellationRequested();
                    Monitor.Wait(feed._lock, 100);
                }

                if (feed._failure is not null)
                {
                    throw new TransmogException("Flattening stopped: " + feed._failure.Message, feed._failure);
                }

                feed._queue.TryDequeue(out next);
                feed._taken++;
                Monitor.PulseAll(feed._lock);
            }

            if (next is not null)
            {
                batch.Load(next.Data.AsSpan(0, next.Length), next.Rows);
                next.Dispose();
                return true;
            }

            // Queue drained and the pass is over: what did not fit is in the spill file.
            if (feed._spill is null)
            {
                return false;
            }

            _spillSource = feed._spill.OpenSource();
            return _spillSource.TryFill(batch);
        }

        public void Dispose() => _spillSource?.Dispose();
    }
}
