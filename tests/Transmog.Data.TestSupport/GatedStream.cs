namespace Transmog.Data.TestSupport;

/// <summary>
/// A read-once stream that gives the bytes before <c>gateAt</c>, then waits until the gate opens (a slow network
/// source); an <see cref="IOException"/> if it stays shut longer than <c>patience</c>.
/// </summary>
/// <param name="data">The bytes.</param>
/// <param name="gateAt">Where the stream waits.</param>
/// <param name="gate">Opened by the test.</param>
/// <param name="patience">How long it waits before it fails.</param>
/// <param name="maxRead">The most bytes one read returns.</param>
public sealed class GatedStream(byte[] data, int gateAt, ManualResetEventSlim gate, TimeSpan patience, int maxRead = int.MaxValue) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_position >= gateAt && !gate.Wait(patience))
        {
            throw new IOException("the gate never opened");
        }

        int limit = _position < gateAt ? gateAt - _position : data.Length - _position;
        int n = Math.Min(Math.Min(count, limit), maxRead);
        Array.Copy(data, _position, buffer, offset, n);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
