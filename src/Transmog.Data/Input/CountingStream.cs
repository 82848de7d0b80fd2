namespace Transmog.Data.Input;

/// <summary>Counts the bytes read through it (for progress and limits).</summary>
internal sealed class CountingStream(Stream inner) : ReadOnlyInputStream
{
    /// <summary>Bytes read through this stream, plus <see cref="BytesBefore"/>.</summary>
    public long BytesRead => BytesBefore + _read;

    /// <summary>Bytes read before this stream (the earlier files of a several-file input).</summary>
    public long BytesBefore { get; set; }

    private long _read;

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException("The input stream cannot seek.");
    }

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        _read += n;
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
