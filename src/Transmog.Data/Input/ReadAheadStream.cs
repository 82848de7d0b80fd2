using System.IO.Pipelines;
using System.Runtime.ExceptionServices;

namespace Transmog.Data.Input;

/// <summary>
/// Reads an inner stream on a background thread into a <see cref="Pipe"/>, so that slow work behind it (gzip
/// decompression) runs on another core while the caller parses. Memory is bounded by the pipe's pause threshold,
/// <c>blocks × blockSize</c> (plus the block being filled). An error of the inner stream surfaces on the reading
/// thread after every byte read before it, so it is reported where it happened.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyInputStream
{
    private readonly Stream _inner;
    private readonly Pipe _pipe;
    private readonly Stream _ahead;
    private readonly Task _producer;

    // Set by the producer before it completes the pipe; thrown once the reader has had every byte before it.
    private volatile Exception? _error;
    private bool _errorThrown;

    public ReadAheadStream(Stream inner, int blocks = 4, int blockSize = 1 << 20)
    {
        _inner = inner;

        // Inline schedulers: each side wakes the other on its own thread (no thread-pool hop, none needed: the
        // producer is a thread of its own and the reader blocks in Read).
        _pipe = new Pipe(new PipeOptions(
            pool: null,
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: (long)blocks * blockSize,
            resumeWriterThreshold: (long)Math.Max(1, blocks / 2) * blockSize,
            minimumSegmentSize: blockSize,
            useSynchronizationContext: false));
        _ahead = _pipe.Reader.AsStream(leaveOpen: true);
        _producer = Task.Factory.StartNew(() => Produce(blockSize), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private void Produce(int blockSize)
    {
        PipeWriter writer = _pipe.Writer;
        try
        {
            while (true)
            {
                Memory<byte> block = writer.GetMemory(blockSize);
                int filled = 0;
                try
                {
                    while (filled < block.Length)
                    {
                        int n = _inner.Read(block.Span[filled..]);
                        if (n == 0)
                        {
                            break;
                        }

                        filled += n;
                    }
                }
                catch (Exception ex)
                {
                    _error = ex;
                }

                // The bytes read before an error come first, so the error surfaces exactly where it happened.
                if (filled > 0)
                {
                    writer.Advance(filled);
                    ValueTask<FlushResult> flush = writer.FlushAsync();
                    FlushResult flushed = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                    if (flushed.IsCompleted || flushed.IsCanceled)
                    {
                        // The reader is gone (disposed).
                        return;
                    }
                }

                if (_error is not null || filled == 0)
                {
                    return;
                }
            }
        }
        finally
        {
            writer.Complete();
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        int n = _ahead.Read(buffer);
        if (n == 0 && _error is { } error && !_errorThrown)
        {
            _errorThrown = true;
            ExceptionDispatchInfo.Throw(error);
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The producer's next flush sees the reader gone and stops; a flush waiting for room returns at once.
            _pipe.Reader.Complete();
            _pipe.Writer.CancelPendingFlush();
            try
            {
                _producer.Wait();
            }
            catch (AggregateException)
            {
                // Its error, if any, was handed to the reader.
            }

            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
