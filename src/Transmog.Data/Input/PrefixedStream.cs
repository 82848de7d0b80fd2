namespace Transmog.Data.Input;

/// <summary>A read-only stream that replays a few bytes already read from another stream, then reads on from it.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
{
    private int _prefixPosition;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("The input stream has no known length.");

    public override long Position
    {
        get => throw new NotSupportedException("The input stream cannot seek.");
        set => throw new NotSupportedException("The input stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_prefixPosition < prefix.Length)
        {
            int n = Math.Min(buffer.Length, prefix.Length - _prefixPosition);
            prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
            _prefixPosition += n;
            return n;
        }

        return inner.Read(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The input stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("The input stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The input stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
