using System.Buffers;
using System.Collections.Concurrent;

namespace Transmog.Data.Input;

/// <summary>
/// Reads an inner stream on a background thread into a few pooled blocks, so that slow work behind it (gzip
/// decompression) runs on another core while the caller parses. Memory is bounded by <c>blocks × blockSize</c>.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyInputStream
{
    private readonly Stream _inner;
    private readonly BlockingCollection<(byte[] Buffer, int Length, Exception? Error)> _blocks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private byte[]? _current;
    private int _currentLength;
    private int _position;
    private bool _done;

    public ReadAheadStream(Stream inner, int blocks = 4, int blockSize = 1 << 20)
    {
        _inner = inner;
        _blocks = new BlockingCollection<(byte[], int, Exception?)>(blocks);
        _producer = Task.Factory.StartNew(() => Produce(blockSize), TaskCreationOptions.LongRunning);
    }

    private void Produce(int blockSize)
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                byte[] buffer = ArrayPool<byte>.Shared.Rent(blockSize);
                int filled = 0;
                Exception? error = null;
                try
                {
                    while (filled < blockSize)
                    {
                        int n = _inner.Read(buffer, filled, blockSize - filled);
                        if (n == 0)
                        {
                            break;
                        }

                        filled += n;
                    }
                }
                catch (Exception ex)
                {
                    error = ex;
                }

                // The bytes read before an error come first, so the error surfaces exactly where it happened.
                if (filled > 0)
                {
                    _blocks.Add((buffer, filled, null), _stop.Token);
                }
                else
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                if (error is not null)
                {
                    _blocks.Add(([], 0, error), _stop.Token);
                    break;
                }

                if (filled == 0)
                {
                    _blocks.Add(([], 0, null), _stop.Token);
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed while reading ahead.
        }
        finally
        {
            _blocks.CompleteAdding();
        }
    }

    public override int Read(Span<byte> buffer)
    {
        while (!_done && (_current is null || _position == _currentLength))
        {
            if (_current is not null)
            {
                ArrayPool<byte>.Shared.Return(_current);
                _current = null;
            }

            if (!_blocks.TryTake(out var block, Timeout.Infinite))
            {
                _done = true;
                break;
            }

            if (block.Error is not null)
            {
                _done = true;
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(block.Error);
            }

            if (block.Length == 0)
            {
                ArrayPool<byte>.Shared.Return(block.Buffer);
                _done = true;
                break;
            }

            _current = block.Buffer;
            _currentLength = block.Length;
            _position = 0;
        }

        if (_done && (_current is null || _position == _currentLength))
        {
            return 0;
        }

        int n = Math.Min(buffer.Length, _currentLength - _position);
        _current.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Cancel();
            while (_blocks.TryTake(out var block))
            {
                if (block.Buffer.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(block.Buffer);
                }
            }

            try
            {
                _producer.Wait();
            }
            catch (AggregateException)
            {
                // Its error, if any, was handed to the reader.
            }

            while (_blocks.TryTake(out var block))
            {
                if (block.Buffer.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(block.Buffer);
                }
            }

            if (_current is not null)
            {
                ArrayPool<byte>.Shared.Return(_current);
                _current = null;
            }

            _inner.Dispose();
            _blocks.Dispose();
            _stop.Dispose();
        }

        base.Dispose(disposing);
    }
}
