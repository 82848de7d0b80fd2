using System.Threading.Channels;
using Transmog.Data.Flattening;
using Transmog.Data.Rows;

namespace Transmog.Data.Feeds;

/// <summary>
/// Rows handed from the pass's thread to a reader on another thread through a bounded channel of batches. Memory
/// stays bounded by the channel's capacity in batches; rows that do not fit overflow to a spill file, never to
/// memory. No decision depends on time.
/// </summary>
/// <remarks>
/// <para>The rule, when the channel is full: the pass waits for room only if the table's reader has started (asked
/// for rows once) and no reader of the pass is waiting for rows (<see cref="QueueDemand"/>). Otherwise the batch goes
/// to the spill file. A reader that starts to wait wakes a pass waiting on another table's full channel, which then
/// spills that batch and goes on.</para>
/// <para>Why it never deadlocks: the pass waits on table A only while A's channel is full (A's reader has rows to
/// read), A's reader has started, and every other reader is either busy in the consumer's code or has rows to read.
/// A reader that has been closed drops its table's later rows, so it never holds the pass. If the consumer's thread that reads A is
/// held up by another table's reader B (the same thread reading tables in turn, or a thread waiting for B's
/// thread), B asks for rows, finds none, waits, and so releases the pass. Only a consumer that waits for something
/// outside every reader can hold the pass, and that is the consumer's own deadlock.</para>
/// <para>Row order: once a batch has gone to the spill file, later batches follow it there until the reader has
/// read every spilled batch (it reads them while the pass goes on); then the channel is used again. A reader whose
/// consumer lags behind the others therefore costs disk, not memory and not the others' time.</para>
/// </remarks>
internal sealed class QueueFeed : TableFeed
{
    private readonly Channel<RowBatch> _channel;
    private readonly QueueDemand _demand;
    private readonly string? _spillDirectory;
    private readonly CancellationToken _cancellationToken;

    // Orders the channel against the spill file: taken for each batch handed or taken, never while waiting.
    private readonly object _lock = new();
    private RowStore? _spill;
    private int _spilledUnread;
    private bool _readerWaiting;
    private volatile bool _started;
    private volatile bool _abandoned;
    private volatile Exception? _failure;

    public QueueFeed(QueueDemand demand, int capacity, string? spillDirectory, CancellationToken cancellationToken)
    {
        _demand = demand;
        _spillDirectory = spillDirectory;
        _cancellationToken = cancellationToken;

        // Synchronous continuations: a blocked side wakes on the thread that frees it, not through the thread pool
        // (whose threads may all be readers blocked here).
        _channel = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
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

        _channel.Writer.TryComplete();
    }

    /// <summary>Marks the feed failed: its reader throws the pass's error instead of waiting.</summary>
    public void Fail(Exception error)
    {
        _failure = error;
        _channel.Writer.TryComplete();
    }

    private void Hand(TableModel table)
    {
        if (_abandoned)
        {
            table.Rows.ClearCommitted();
            return;
        }

        var batch = new RowBatch(table.Rows.CommittedLength);
        batch.Load(table.Rows.Committed, table.Rows.CommittedRows);
        table.Rows.ClearCommitted();
        while (true)
        {
            if (_cancellationToken.IsCancellationRequested)
            {
                batch.Dispose();
                _cancellationToken.ThrowIfCancellationRequested();
            }

            Task? readerWaits;
            lock (_lock)
            {
                if (_abandoned)
                {
                    batch.Dispose();
                    return;
                }

                if (_spilledUnread == 0 && _channel.Writer.TryWrite(batch))
                {
                    // A reader that was waiting has rows now: it no longer counts as waiting.
                    SetReaderWaiting(false);
                    return;
                }

                // Full, or older rows wait in the spill file: wait only for a started reader while nobody waits.
                readerWaits = _spilledUnread == 0 && _started ? _demand.UnlessWaiting() : null;
                if (readerWaits is null)
                {
                    SpillBatch(batch);
                    return;
                }
            }

            Task room = _channel.Writer.WaitToWriteAsync(_cancellationToken).AsTask();
            try
            {
                Task.WaitAny([room, readerWaits], _cancellationToken);
            }
            catch (OperationCanceledException)
            {
                batch.Dispose();
                throw;
            }
        }
    }

    private void SpillBatch(RowBatch batch)
    {
        try
        {
            _spill ??= RowStore.SpillFile(_spillDirectory);
            _spill.Append(batch.Data.AsSpan(0, batch.Length), batch.Rows);
            _spill.Flush();
        }
        finally
        {
            batch.Dispose();
        }

        _spilledUnread++;
    }

    /// <summary>Whether this table's reader waits with nothing to read (under <see cref="_lock"/>).</summary>
    private void SetReaderWaiting(bool waiting)
    {
        if (waiting != _readerWaiting)
        {
            _readerWaiting = waiting;
            if (waiting)
            {
                _demand.BeginWait();
            }
            else
            {
                _demand.EndWait();
            }
        }
    }

    /// <summary>The reader has gone: rows from now on are dropped, and the pass never waits for this table again.</summary>
    private void Abandon()
    {
        _abandoned = true;
        Drain();
    }

    private void Drain()
    {
        lock (_lock)
        {
            while (_channel.Reader.TryRead(out RowBatch? batch))
            {
                batch.Dispose();
            }
        }
    }

    public override IRowSource OpenSource(IRowPump run, TableModel table) => new Source(this);

    public override RowStore? Spill => _spill;

    public override void Dispose()
    {
        _abandoned = true;
        Drain();
        _spill?.Dispose();
    }

    private sealed class Source(QueueFeed feed) : IRowSource
    {
        private IRowSource? _spilled;

        public bool TryFill(RowBatch batch)
        {
            // The explicit "reader started" signal: from now on the pass may wait for this reader.
            feed._started = true;
            try
            {
                return Next(batch);
            }
            catch
            {
                lock (feed._lock)
                {
                    feed.SetReaderWaiting(false);
                }

                throw;
            }
        }

        private bool Next(RowBatch batch)
        {
            bool ended = false;
            while (true)
            {
                if (feed._failure is { } failure)
                {
                    throw new TransmogException("Flattening stopped: " + failure.Message, failure);
                }

                RowBatch? next;
                bool fromSpill = false;
                lock (feed._lock)
                {
                    if (!feed._channel.Reader.TryRead(out next) && feed._spilledUnread > 0)
                    {
                        feed._spilledUnread--;
                        fromSpill = true;
                    }

                    // Waiting means: nothing to read here, under the same lock as the pass's hand-over, so the pass
                    // never sees a reader as waiting while rows for it are queued.
                    feed.SetReaderWaiting(next is null && !fromSpill && !ended);
                }

                if (next is not null)
                {
                    batch.Load(next.Data.AsSpan(0, next.Length), next.Rows);
                    next.Dispose();
                    return true;
                }

                if (fromSpill)
                {
                    _spilled ??= feed._spill!.OpenTailSource();
                    if (!_spilled.TryFill(batch))
                    {
                        throw new TransmogException("The spill file of a queued table ended before its rows did.");
                    }

                    return true;
                }

                if (ended)
                {
                    return false;
                }

                // Nothing to read: wait for the pass, which knows it (a pass waiting on another table's full queue
                // spills that batch and comes back to this one).
                ValueTask<bool> more = feed._channel.Reader.WaitToReadAsync(feed._cancellationToken);
                ended = !(more.IsCompleted ? more.Result : more.AsTask().GetAwaiter().GetResult());
            }
        }

        public void Dispose()
        {
            feed.Abandon();
            _spilled?.Dispose();
        }
    }
}
