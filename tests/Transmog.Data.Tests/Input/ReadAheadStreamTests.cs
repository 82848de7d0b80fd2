using Transmog.Data.Input;

namespace Transmog.Data.Tests.Input;

/// <summary>The read-ahead pipe in front of gzip decompression: bytes, errors and memory as a plain read would give.</summary>
public class ReadAheadStreamTests
{
    /// <summary>Gives <c>length</c> counted bytes (byte i is i mod 251), then fails or ends; remembers the thread and how far it was read.</summary>
    private sealed class SourceStream(int length, Exception? failure) : Stream
    {
        public int Position2 { get; private set; }

        public int? FailedOnThread { get; private set; }

        public bool Disposed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => Position2;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (Position2 == length && failure is not null)
            {
                FailedOnThread = Environment.CurrentManagedThreadId;
                throw failure;
            }

            // Odd-sized reads, so blocks end anywhere.
            int n = Math.Min(Math.Min(buffer.Length, length - Position2), 7919);
            for (int i = 0; i < n; i++)
            {
                buffer[i] = (byte)((Position2 + i) % 251);
            }

            Position2 += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }

    private static (byte[] Bytes, Exception? Error, int Thread) ReadAll(Stream stream, int chunk)
    {
        var bytes = new MemoryStream();
        byte[] buffer = new byte[chunk];
        try
        {
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                bytes.Write(buffer, 0, n);
            }

            return (bytes.ToArray(), null, Environment.CurrentManagedThreadId);
        }
        catch (Exception ex)
        {
            return (bytes.ToArray(), ex, Environment.CurrentManagedThreadId);
        }
    }

    [Theory]
    [InlineData(0, 1000)]
    [InlineData(1, 1000)]
    [InlineData(100_000, 1)]
    [InlineData(1_000_000, 65536)]
    [InlineData(3_000_000, 4096)]
    public void Every_byte_arrives_in_order(int length, int chunk)
    {
        var source = new SourceStream(length, null);
        using var ahead = new ReadAheadStream(source, blocks: 2, blockSize: 64 << 10);
        var (bytes, error, _) = ReadAll(ahead, chunk);
        Assert.Null(error);
        Assert.Equal(length, bytes.Length);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != (byte)(i % 251))
            {
                Assert.Fail($"byte {i} is {bytes[i]}, expected {i % 251}");
            }
        }
    }

    [Fact]
    public void An_error_of_the_inner_stream_surfaces_on_the_reading_thread_after_every_byte_before_it()
    {
        var failure = new InvalidDataException("The archive entry was compressed using an unsupported compression method.");
        var source = new SourceStream(777_777, failure);
        using var ahead = new ReadAheadStream(source, blocks: 2, blockSize: 64 << 10);
        var (bytes, error, thread) = ReadAll(ahead, 10_000);

        Assert.Equal(777_777, bytes.Length);
        Assert.Same(failure, error);
        Assert.Equal(Environment.CurrentManagedThreadId, thread);
        Assert.NotEqual(thread, source.FailedOnThread);

        // Thrown once, like a stream that has failed and ended.
        Assert.Equal(0, ahead.Read(new byte[10]));
    }

    [Fact]
    public void A_gzip_cut_short_is_an_input_error_at_its_position()
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 50_000).Select(i => "{\"i\":" + i + "}\n")));
        var gz = new MemoryStream();
        using (var zip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(text);
        }

        byte[] cut = gz.ToArray()[..^8];
        var ex = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromStream(new MemoryStream(cut)), "d").Dispose());
        Assert.Contains("gzip", ex.Message);
        Assert.Equal(text.Length, ex.ByteOffset);
    }

    [Fact]
    public void Reading_ahead_stops_at_the_pipe_bound_and_disposing_stops_the_producer()
    {
        var source = new SourceStream(100_000_000, null);
        var ahead = new ReadAheadStream(source, blocks: 2, blockSize: 64 << 10);
        Assert.Equal(1, ahead.Read(new byte[1]));

        // Whatever the producer manages meanwhile, it never holds more than the pause threshold plus one block
        // beyond what was read (a filled block is handed over whole).
        Thread.Sleep(300);
        Assert.InRange(source.Position2, 1, (3 * (64 << 10)) + 1 + (64 << 10));

        ahead.Dispose();
        Assert.True(source.Disposed);
        int stoppedAt = source.Position2;
        Thread.Sleep(50);
        Assert.Equal(stoppedAt, source.Position2);
    }
}
