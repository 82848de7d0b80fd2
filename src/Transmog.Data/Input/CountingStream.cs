namespace Transmog.Data.Input;

/// <summary>Counts the bytes read through it (for progress and limits).</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("The input stream has no known length.");

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException("The input stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        BytesRead += n;
        return n;
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
