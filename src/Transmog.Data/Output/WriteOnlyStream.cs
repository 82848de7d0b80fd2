namespace Transmog.Data.Output;

/// <summary>
/// The common ground of the output wrappers: forward-only, write-only, no length or position (Parquet.Net then counts
/// positions itself). Subclasses implement <see cref="Write(ReadOnlySpan{byte})"/> and <c>Flush</c>.
/// </summary>
internal abstract class WriteOnlyStream : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException("The output stream has no known length.");

    public override long Position
    {
        get => throw new NotSupportedException("The output stream cannot seek.");
        set => throw new NotSupportedException("The output stream cannot seek.");
    }

    public abstract override void Write(ReadOnlySpan<byte> buffer);

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("The output stream is write-only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The output stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("The output stream cannot seek.");
}
