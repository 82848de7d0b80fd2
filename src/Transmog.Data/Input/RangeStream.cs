namespace Transmog.Data.Input;

/// <summary>The next <c>length</c> bytes of a stream from its current position (a shard's part of a file); owns the stream.</summary>
internal sealed class RangeStream(Stream inner, long length) : ReadOnlyInputStream
{
    private long _left = length;

    public override int Read(Span<byte> buffer)
    {
        if (_left <= 0)
        {
            return 0;
        }

        int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, _left)]);
        _left -= n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
