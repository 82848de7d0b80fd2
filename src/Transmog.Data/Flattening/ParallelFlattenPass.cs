using System.Runtime.ExceptionServices;
using Transmog.Data.Input;
using Transmog.Data.Rows;

namespace Transmog.Data.Flattening;

/// <summary>
/// A pass that flattens on several cores: the caller's thread reads records (for JSON Lines that is finding line
/// ends, far cheaper than flattening) and copies them into chunks; worker threads flatten whole chunks into the
/// chunk's own row buffers, and so does the caller's thread whenever it would otherwise wait (so n-way parallelism
/// takes n - 1 extra threads and no core spins); the caller's thread commits chunks strictly in input order into each table's
/// <see cref="TableModel.Rows"/>. Rows, rejects and errors therefore arrive exactly as a record-by-record
/// <see cref="FlattenPass"/> delivers them, and ids are the same (they depend on the record, not the thread).
/// </summary>
/// <remarks>
/// The schema grows in input order too: a worker may add a table or column only when every earlier chunk is
/// flattened (<see cref="DiscoveryGate"/>). A record error under <see cref="RecoveryMode.Strict"/> stops its chunk;
/// the rows of the records before it are committed, and the error is thrown by the step after (as a sequential pass
/// throws at the record). Memory is bounded by the chunks in flight: about two per worker.
/// </remarks>
internal sealed class ParallelFlattenPass : IFlattenPass
{
    /// <summary>Input bytes per chunk: large enough that handing chunks between threads costs little.</summary>
    internal const int DefaultChunkBytes = 256 * 1024;

    private const int MaxChunkRecords = 8192;

    /// <summary>A chunk's buffer larger than this (grown for a huge record) is not kept for the next chunk.</summary>
    private const int MaxKeptBytes = 4 << 20;

    private readonly RecordParser _parser;
    private readonly bool _ownsParser;
    private readonly TableRegistry _registry;
    private readonly IdFactory _ids;
    private readonly TransmogOptions _options;
    private readonly bool _keepRows;
    private readonly Action<RejectedRecord>? _onReject;
    private readonly CancellationToken _cancellationToken;
    private readonly int _workerCount;
    private readonly int _chunkBytes;
    private readonly int _maxInFlight;
    private readonly DiscoveryGate _gate;
    private readonly object _queueLock = new();
    private readonly Queue<Chunk> _work = new();
    private readonly Queue<Chunk> _inFlight = new();
    private readonly Stack<Chunk> _free = new();
    private readonly List<Thread> _workers = [];
    private readonly List<TableModel> _touched = [];
    private readonly List<TableModel> _tablesSnapshot = [];
    private RecordFlattener? _callerFlattener;
    private long _nextChunk;
    private bool _inputDone;
    private volatile bool _stopping;
    private ExceptionDispatchInfo? _error;

    /// <param name="parser">Where records come from.</param>
    /// <param name="ownsParser">Dispose the parser with the pass.</param>
    /// <param name="registry">The tables.</param>
    /// <param name="ids">The run's id factory.</param>
    /// <param name="keepRows">Commit rows (a data pass), or count and drop them (a schema scan).</param>
    /// <param name="onReject">Where rejected records go; <c>null</c> to drop them.</param>
    /// <param name="workers">Worker threads besides the caller's (at least 1; the caller's thread reads, commits, and flattens when it would wait).</param>
    /// <param name="chunkBytes">Input bytes per chunk.</param>
    /// <param name="cancellationToken">Checked between chunks and, by the workers, between records.</param>
    public ParallelFlattenPass(RecordParser parser, bool ownsParser, TableRegistry registry, IdFactory ids, bool keepRows, Action<RejectedRecord>? onReject,
        int workers, int chunkBytes, CancellationToken cancellationToken)
    {
        _parser = parser;
        _ownsParser = ownsParser;
        _registry = registry;
        _ids = ids;
        _options = parser.Options;
        _keepRows = keepRows;
        _onReject = onReject;
        _workerCount = Math.Max(1, workers);
        _chunkBytes = Math.Max(1, chunkBytes);
        _maxInFlight = (2 * (_workerCount + 1)) + 1;
        _cancellationToken = cancellationToken;
        _gate = new DiscoveryGate(registry.SyncRoot);
    }

    public long Records { get; private set; }

    public long Rejected { get; private set; }

    public long BytesRead => _parser.BytesStream.BytesRead;

    public bool Ended { get; private set; }

    public List<TableModel> Touched => _touched;

    public bool Step()
    {
        if (_error is not null)
        {
            // The failure of a chunk committed by the last step: its rows are handed on, now the error comes.
            StopWorkers();
            _error.Throw();
        }

        _cancellationToken.ThrowIfCancellationRequested();
        if (Ended)
        {
            return false;
        }

        FillPipeline();
        _touched.Clear();
        if (_inFlight.Count == 0)
        {
            Ended = true;
            StopWorkers();
            return false;
        }

        Chunk oldest = _inFlight.Peek();
        while (!oldest.Completed.IsSet)
        {
            // Rather than wait, flatten a chunk no worker has taken yet (often the oldest itself).
            Chunk? waiting = null;
            lock (_queueLock)
            {
                _work.TryDequeue(out waiting);
            }

            if (waiting is null)
            {
                oldest.Completed.Wait(_cancellationToken);
                break;
            }

            Flatten(_callerFlattener ??= NewFlattener(), waiting);
        }

        _inFlight.Dequeue();
        try
        {
            Commit(oldest);
        }
        finally
        {
            oldest.Reset();
            _free.Push(oldest);
        }

        return true;
    }

    /// <summary>Reads records into chunks and hands them to the workers until enough are in flight.</summary>
    private void FillPipeline()
    {
        while (!_inputDone && _inFlight.Count < _maxInFlight)
        {
            Chunk chunk = _free.Count > 0 ? _free.Pop() : new Chunk();
            Fill(chunk);
            if (chunk.Count == 0 && chunk.ReaderRejects.Count == 0 && chunk.InputError is null)
            {
                _free.Push(chunk);
                return;
            }

            chunk.Sequence = _nextChunk++;
            _inFlight.Enqueue(chunk);
            if (_workers.Count == 0 && _inputDone)
            {
                // The whole input fit in one chunk: no thread is worth starting for it.
                Flatten(_callerFlattener ??= NewFlattener(), chunk);
                continue;
            }

            StartWorkers();
            lock (_queueLock)
            {
                _work.Enqueue(chunk);
                Monitor.Pulse(_queueLock);
            }
        }
    }

    private void Fill(Chunk chunk)
    {
        while (chunk.Length < _chunkBytes && chunk.Count < MaxChunkRecords)
        {
            bool more;
            RawRecord record;
            try
            {
                more = _parser.TryNextRaw(out record);
            }
            catch (Exception ex)
            {
                // Thrown after the rows of the records before it are committed, as a sequential pass would.
                TakeReaderRejects(chunk);
                chunk.InputError = ExceptionDispatchInfo.Capture(ex);
                _inputDone = true;
                return;
            }

            TakeReaderRejects(chunk);
            if (!more)
            {
                _inputDone = true;
                return;
            }

            chunk.Add(record);
        }
    }

    private void TakeReaderRejects(Chunk chunk)
    {
        List<RejectedRecord> rejects = _parser.ReaderRejects;
        if (rejects.Count == 0)
        {
            return;
        }

        // The reader found these looking for the record it returned: they come before it.
        foreach (RejectedRecord r in rejects)
        {
            chunk.ReaderRejects.Add((chunk.Count, r));
        }

        rejects.Clear();
    }

    private void StartWorkers()
    {
        if (_workers.Count > 0)
        {
            return;
        }

        for (int i = 0; i < _workerCount; i++)
        {
            // Made here, so that a worker thread runs nothing that can fail outside a chunk.
            RecordFlattener flattener = NewFlattener();
            var thread = new Thread(() => WorkerLoop(flattener))
            {
                IsBackground = true,
                Name = "Transmog flatten worker " + (i + 1),
            };
            _workers.Add(thread);
            thread.Start();
        }
    }

    private RecordFlattener NewFlattener() => new(_options, _registry, _ids, _parser.DocumentOptions, _gate);

    private void WorkerLoop(RecordFlattener flattener)
    {
        while (true)
        {
            Chunk chunk;
            lock (_queueLock)
            {
                while (_work.Count == 0 && !_stopping)
                {
                    Monitor.Wait(_queueLock);
                }

                if (_work.Count == 0)
                {
                    return;
                }

                chunk = _work.Dequeue();
            }

            Flatten(flattener, chunk);
        }
    }

    /// <summary>Flattens one chunk into its own row buffers; never throws (failures are kept in the chunk).</summary>
    private void Flatten(RecordFlattener flattener, Chunk chunk)
    {
        int i = 0;
        try
        {
            flattener.Bind(chunk.RowsFor, chunk.Sequence);
            for (; i < chunk.Count; i++)
            {
                if (_stopping)
                {
                    chunk.Fail(i, ExceptionDispatchInfo.Capture(new OperationCanceledException("The flatten pass stopped.")));
                    return;
                }

                if (_cancellationToken.IsCancellationRequested)
                {
                    chunk.Fail(i, ExceptionDispatchInfo.Capture(new OperationCanceledException(_cancellationToken)));
                    return;
                }

                RawRecord record = chunk.Record(i);
                if (RecordOutcome.Flatten(flattener, record) is { } error)
                {
                    if (!RecordOutcome.IsRejected(error, _options))
                    {
                        chunk.Fail(i, ExceptionDispatchInfo.Capture(error));
                        return;
                    }

                    chunk.Rejects.Add((i, RecordOutcome.Reject(error, record)));
                    continue;
                }

                foreach (TableTarget t in flattener.Touched)
                {
                    if (_keepRows)
                    {
                        t.Rows.Commit();
                    }
                    else
                    {
                        // A pass that only counts rows keeps no bytes of them.
                        t.Rows.CommitCountOnly();
                    }
                }
            }
        }
        catch (Exception ex)
        {
            flattener.RollBackRecord();
            chunk.Fail(Math.Min(i, chunk.Count), ExceptionDispatchInfo.Capture(ex));
        }
        finally
        {
            _gate.Done(chunk.Sequence);
            chunk.Completed.Set();
        }
    }

    /// <summary>Hands a flattened chunk on, in input order: its rejects, then its rows into the tables.</summary>
    private void Commit(Chunk chunk)
    {
        int end = chunk.FailedAt >= 0 ? chunk.FailedAt : chunk.Count;
        int readerReject = 0;
        int reject = 0;
        for (int i = 0; ; i++)
        {
            while (readerReject < chunk.ReaderRejects.Count && chunk.ReaderRejects[readerReject].Before <= i)
            {
                Records++;
                Rejected++;
                _onReject?.Invoke(chunk.ReaderRejects[readerReject].Reject);
                readerReject++;
            }

            if (i >= end)
            {
                break;
            }

            Records++;
            if (reject < chunk.Rejects.Count && chunk.Rejects[reject].At == i)
            {
                Rejected++;
                _onReject?.Invoke(chunk.Rejects[reject].Reject);
                reject++;
            }
        }

        if (chunk.FailedAt >= 0)
        {
            Records++;
        }

        RowBuffer?[] rows = chunk.Rows;
        List<TableModel> tables;
        lock (_registry.SyncRoot)
        {
            // A snapshot: workers may add tables meanwhile, but no row of this chunk is in a table added after it.
            tables = _registry.Tables;
            _tablesSnapshot.Clear();
            for (int t = 0; t < rows.Length && t < tables.Count; t++)
            {
                _tablesSnapshot.Add(tables[t]);
            }
        }

        for (int t = 0; t < _tablesSnapshot.Count; t++)
        {
            RowBuffer? buffer = rows[t];
            if (buffer is null || buffer.CommittedRows == 0)
            {
                continue;
            }

            TableModel table = _tablesSnapshot[t];
            table.RowCount += buffer.CommittedRows;
            if (_keepRows)
            {
                table.Rows.AppendCommitted(buffer.Committed, buffer.CommittedRows);
            }

            buffer.ClearCommitted();
            _touched.Add(table);
        }

        _error = chunk.Error ?? chunk.InputError;
    }

    private void StopWorkers()
    {
        lock (_queueLock)
        {
            _stopping = true;
            _work.Clear();
            Monitor.PulseAll(_queueLock);
        }

        _gate.Stop();
        foreach (Thread t in _workers)
        {
            t.Join();
        }

        _workers.Clear();
    }

    public void Dispose()
    {
        StopWorkers();
        foreach (Chunk chunk in _inFlight)
        {
            chunk.Dispose();
        }

        _inFlight.Clear();
        foreach (Chunk chunk in _free)
        {
            chunk.Dispose();
        }

        _free.Clear();
        if (_ownsParser)
        {
            _parser.Dispose();
        }
    }

    /// <summary>Where one record of a chunk is in the chunk's bytes, and in the input.</summary>
    private readonly record struct RecordSlot(int Start, int Length, long Number, long Line, long Column, long ByteOffset, string Path, string? File, string? Key);

    /// <summary>Records copied out of the reader's buffer, and what flattening them produced.</summary>
    private sealed class Chunk : IDisposable
    {
        private PooledBuffer _bytes = new(DefaultChunkBytes + (16 * 1024));
        private RecordSlot[] _slots = new RecordSlot[64];

        public Chunk()
        {
            RowsFor = table =>
            {
                int index = table.Index;
                if (index >= Rows.Length)
                {
                    RowBuffer?[] rows = Rows;
                    Array.Resize(ref rows, Math.Max(rows.Length * 2, index + 1));
                    Rows = rows;
                }

                return Rows[index] ??= new RowBuffer(16 * 1024);
            };
        }

        public long Sequence { get; set; }

        public int Length { get; private set; }

        public int Count { get; private set; }

        /// <summary>Records the reader rejected, each before the record of its index.</summary>
        public List<(int Before, RejectedRecord Reject)> ReaderRejects { get; } = [];

        /// <summary>Records the flattener rejected (under the tolerant modes), by index.</summary>
        public List<(int At, RejectedRecord Reject)> Rejects { get; } = [];

        /// <summary>Each table's rows (by table index), committed record by record.</summary>
        public RowBuffer?[] Rows { get; private set; } = new RowBuffer?[8];

        public Func<TableModel, RowBuffer> RowsFor { get; }

        /// <summary>The record at which flattening stopped with <see cref="Error"/>; -1 when it did not.</summary>
        public int FailedAt { get; private set; } = -1;

        public ExceptionDispatchInfo? Error { get; private set; }

        /// <summary>The reader's failure after this chunk's records (the input stops there).</summary>
        public ExceptionDispatchInfo? InputError { get; set; }

        // No spinning: the caller waits only when every chunk is taken, i.e. when every core is busy.
        public ManualResetEventSlim Completed { get; } = new(false, spinCount: 0);

        public void Add(in RawRecord record)
        {
            ReadOnlySpan<byte> text = record.Utf8.Span;
            _bytes.EnsureCapacity(Length + text.Length, Length);

            if (Count == _slots.Length)
            {
                Array.Resize(ref _slots, _slots.Length * 2);
            }

            text.CopyTo(_bytes.Bytes.AsSpan(Length));
            _slots[Count++] = new RecordSlot(Length, text.Length, record.Number, record.Line, record.Column, record.ByteOffset, record.Path, record.File, record.Key);
            Length += text.Length;
        }

        public RawRecord Record(int index)
        {
            RecordSlot slot = _slots[index];
            return new RawRecord(_bytes.Bytes.AsMemory(slot.Start, slot.Length), slot.Number, slot.Line, slot.Column, slot.ByteOffset, slot.Path, slot.File, slot.Key);
        }

        public void Fail(int at, ExceptionDispatchInfo error)
        {
            FailedAt = at;
            Error = error;
        }

        /// <summary>Empties the chunk for reuse (keeping its buffers).</summary>
        public void Reset()
        {
            Length = 0;
            Array.Clear(_slots, 0, Count);
            Count = 0;
            ReaderRejects.Clear();
            Rejects.Clear();
            RowBuffer?[] buffers = Rows;
            for (int i = 0; i < buffers.Length; i++)
            {
                if (buffers[i] is not { } rows)
                {
                    continue;
                }

                if (rows.Capacity > MaxKeptBytes)
                {
                    // A huge record made this buffer huge: give it back rather than keep it for every later chunk.
                    rows.Dispose();
                    buffers[i] = null;
                    continue;
                }

                rows.Rollback();
                rows.ClearCommitted();
            }

            _bytes.Shrink(MaxKeptBytes, DefaultChunkBytes + (16 * 1024));

            FailedAt = -1;
            Error = null;
            InputError = null;
            Completed.Reset();
        }

        public void Dispose()
        {
            foreach (RowBuffer? rows in Rows)
            {
                rows?.Dispose();
            }

            Completed.Dispose();
            _bytes.Return();
        }
    }
}
