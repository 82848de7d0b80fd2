namespace Transmog.Benchmarks.Generators;

/// <summary>
/// An input generated while it is read (<c>--stream</c>): a producer thread runs the shape's generator (same
/// generator, same seed, so the same bytes as the file of that size) into a bounded in-memory pipe, and the
/// measurement reads <see cref="Stream"/>. Nothing touches the disk, so inputs far larger than the free space
/// (10 GB) can be measured. The pipe is one ring buffer of <see cref="PipeBytes"/>, allocated once: the producer
/// blocks while it is full, the reader while it is empty, and neither allocates, so the measured process's managed
/// heap holds only the measured code's objects.
/// </summary>
internal sealed class StreamedInput : IDisposable
{
    /// <summary>The pipe's capacity.</summary>
    public const int PipeBytes = 1 << 20;

    private readonly RingPipe _pipe = new(PipeBytes);
    private readonly Thread _producer;
    private Exception? _failure;

    private StreamedInput(string shape, long targetBytes, int seed, string? corpusDirectory)
    {
        Stream = new PipeReaderStream(_pipe);
        _producer = new Thread(() => Produce(shape, targetBytes, seed, corpusDirectory))
        {
            IsBackground = true,
            Name = "input generator",
        };
    }

    /// <summary>The generated input, to be read once from start to end.</summary>
    public Stream Stream { get; }

    /// <summary>Bytes generated (valid after <see cref="Finish"/>).</summary>
    public long Bytes { get; private set; }

    /// <summary>Records generated (valid after <see cref="Finish"/>).</summary>
    public long Records { get; private set; }

    /// <summary>Managed bytes the producer thread allocated: not the measured code's, so subtracted from its allocations.</summary>
    public long ProducerAllocatedBytes { get; private set; }

    /// <summary>Starts generating <paramref name="shape"/> (customers, customers-array or tweets).</summary>
    /// <exception cref="ArgumentException">The shape is unknown, or tweets without the corpus file.</exception>
    public static StreamedInput Start(string shape, long targetBytes, int seed, string? corpusDirectory)
    {
        if (shape is not ("customers" or "customers-array" or "tweets"))
        {
            throw new ArgumentException($"Unknown shape '{shape}'.");
        }

        if (shape == "tweets" && (corpusDirectory is null || !File.Exists(Path.Combine(corpusDirectory, TweetsGenerator.SourceFile))))
        {
            throw new ArgumentException($"The tweets shape needs {TweetsGenerator.SourceFile} in the corpus (corpus: {corpusDirectory ?? "none"}).");
        }

        var input = new StreamedInput(shape, targetBytes, seed, corpusDirectory);
        input._producer.Start();
        return input;
    }

    /// <summary>Waits for the producer and rethrows its failure, if any (call after the reader has seen the end).</summary>
    public void Finish()
    {
        _producer.Join();
        if (_failure is not null)
        {
            throw new InvalidOperationException("Generating the streamed input failed: " + _failure.Message, _failure);
        }
    }

    public void Dispose()
    {
        // A reader that stops early closes the pipe: the producer's next write sees it and stops.
        _pipe.CloseReader();
        _producer.Join();
    }

    private void Produce(string shape, long targetBytes, int seed, string? corpusDirectory)
    {
        long allocated0 = GC.GetAllocatedBytesForCurrentThread();
        try
        {
            using var sink = new PipeWriterStream(_pipe);
            long bytes;
            Records = shape switch
            {
                "customers" => CustomersGenerator.Generate(sink, targetBytes, seed, asArray: false, out bytes),
                "customers-array" => CustomersGenerator.Generate(sink, targetBytes, seed, asArray: true, out bytes),
                _ => TweetsGenerator.Generate(Path.Combine(corpusDirectory!, TweetsGenerator.SourceFile), sink, targetBytes, seed, out bytes),
            };
            Bytes = bytes;
            ProducerAllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - allocated0;
            _pipe.CloseWriter(null);
        }
        catch (ObjectDisposedException) when (_pipe.ReaderClosed)
        {
            // The reader stopped early.
        }
        catch (Exception ex)
        {
            _failure = ex;
            _pipe.CloseWriter(ex);
        }
    }

    /// <summary>A fixed ring buffer between one writer thread and one reader thread.</summary>
    private sealed class RingPipe(int capacity)
    {
        private readonly byte[] _buffer = new byte[capacity];
        private readonly object _gate = new();
        private int _start;
        private int _count;
        private bool _writerClosed;
        private Exception? _writerFailure;

        public bool ReaderClosed { get; private set; }

        /// <summary>Copies all of <paramref name="data"/> in, waiting for room.</summary>
        public void Write(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                lock (_gate)
                {
                    while (_count == _buffer.Length && !ReaderClosed)
                    {
                        Monitor.Wait(_gate);
                    }

                    ObjectDisposedException.ThrowIf(ReaderClosed, this);
                    int end = (_start + _count) % _buffer.Length;
                    int n = Math.Min(data.Length, Math.Min(_buffer.Length - _count, _buffer.Length - end));
                    data[..n].CopyTo(_buffer.AsSpan(end));
                    _count += n;
                    data = data[n..];
                    Monitor.PulseAll(_gate);
                }
            }
        }

        /// <summary>Copies up to <paramref name="destination"/>'s length out, waiting for data; 0 at the end.</summary>
        public int Read(Span<byte> destination)
        {
            if (destination.IsEmpty)
            {
                return 0;
            }

            lock (_gate)
            {
                while (_count == 0 && !_writerClosed)
                {
                    Monitor.Wait(_gate);
                }

                if (_count == 0)
                {
                    return _writerFailure is null ? 0 : throw new IOException("The input generator failed.", _writerFailure);
                }

                int n = Math.Min(destination.Length, Math.Min(_count, _buffer.Length - _start));
                _buffer.AsSpan(_start, n).CopyTo(destination);
                _start = (_start + n) % _buffer.Length;
                _count -= n;
                Monitor.PulseAll(_gate);
                return n;
            }
        }

        public void CloseWriter(Exception? failure)
        {
            lock (_gate)
            {
                _writerClosed = true;
                _writerFailure = failure;
                Monitor.PulseAll(_gate);
            }
        }

        public void CloseReader()
        {
            lock (_gate)
            {
                ReaderClosed = true;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>The reading end: what the library (or the raw scan) reads.</summary>
    private sealed class PipeReaderStream(RingPipe pipe) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(Span<byte> buffer) => pipe.Read(buffer);

        public override int Read(byte[] buffer, int offset, int count) => pipe.Read(buffer.AsSpan(offset, count));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(pipe.Read(buffer.AsSpan(offset, count)));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(pipe.Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                pipe.CloseReader();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>The writing end: what the generator writes to.</summary>
    private sealed class PipeWriterStream(RingPipe pipe) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer) => pipe.Write(buffer);

        public override void Write(byte[] buffer, int offset, int count) => pipe.Write(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
