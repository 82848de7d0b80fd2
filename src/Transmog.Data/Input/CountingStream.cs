namespace Transmog.Data.Input;

/// <summary>Counts the bytes read through it (for progress and limits).</summary>
internal sealed class CountingStream(Stream inner) : ReadOnlyInputStream
{
    public long BytesRead { get; private set; }

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException("The input stream cannot seek.");
    }

    public override int Read(Span<byte> buffer)
    {
        int n = inner.Read(buffer);
        BytesRead += n;
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
