namespace Transmog.Data.Input;

/// <summary>Reads through to a caller's stream without disposing it (for <c>leaveOpen</c>).</summary>
internal sealed class NonClosingStream(Stream inner) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException("The input stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The input stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("The input stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The input stream is read-only.");
}
