namespace Transmog.Data.Input;

/// <summary>A read-only stream over memory the caller owns, without copying it.</summary>
internal sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => memory.Length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("The input stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(buffer.Length, memory.Length - _position);
        memory.Span.Slice(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The input stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("The input stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The input stream is read-only.");
}
