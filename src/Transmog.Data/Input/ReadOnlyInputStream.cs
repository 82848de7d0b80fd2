namespace Transmog.Data.Input;

/// <summary>
/// The common ground of the input streams: forward-only, read-only, no length. Subclasses implement
/// <see cref="Read(Span{byte})"/> only.
/// </summary>
internal abstract class ReadOnlyInputStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("The input stream has no known length.");

    public override long Position
    {
        get => throw new NotSupportedException("The input stream cannot seek.");
        set => throw new NotSupportedException("The input stream cannot seek.");
    }

    public abstract override int Read(Span<byte> buffer);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The input stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("The input stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The input stream is read-only.");
}
