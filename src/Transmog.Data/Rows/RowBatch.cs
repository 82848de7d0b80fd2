using Transmog.Data.Input;

namespace Transmog.Data.Rows;

/// <summary>A batch of serialized rows (<see cref="RowBuffer"/> format) in a pooled array, owned by one reader.</summary>
internal sealed class RowBatch : IDisposable
{
    private PooledBuffer _data;

    public RowBatch(int capacity)
    {
        _data = new PooledBuffer(Math.Max(capacity, 256));
    }

    public byte[] Data => _data.Bytes;

    public int Length { get; set; }

    public int Rows { get; set; }

    /// <summary>Makes room for <paramref name="length"/> bytes (contents are not kept).</summary>
    public void EnsureCapacity(int length) => _data.EnsureCapacityDiscarding(length);

    /// <summary>Copies a span of serialized rows in.</summary>
    public void Load(ReadOnlySpan<byte> rows, int count)
    {
        EnsureCapacity(rows.Length);
        rows.CopyTo(Data);
        Length = rows.Length;
        Rows = count;
    }

    public void Dispose() => _data.Return();
}
