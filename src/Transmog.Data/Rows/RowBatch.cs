using System.Buffers;

namespace Transmog.Data.Rows;

/// <summary>A batch of serialized rows (<see cref="RowBuffer"/> format) in a pooled array, owned by one reader.</summary>
internal sealed class RowBatch : IDisposable
{
    public RowBatch(int capacity)
    {
        Data = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 256));
    }

    public byte[] Data { get; private set; }

    public int Length { get; set; }

    public int Rows { get; set; }

    /// <summary>Makes room for <paramref name="length"/> bytes (contents are not kept).</summary>
    public void EnsureCapacity(int length)
    {
        if (Data.Length < length)
        {
            ArrayPool<byte>.Shared.Return(Data);
            Data = ArrayPool<byte>.Shared.Rent(length);
        }
    }

    /// <summary>Copies a span of serialized rows in.</summary>
    public void Load(ReadOnlySpan<byte> rows, int count)
    {
        EnsureCapacity(rows.Length);
        rows.CopyTo(Data);
        Length = rows.Length;
        Rows = count;
    }

    public void Dispose()
    {
        byte[] data = Data;
        Data = [];
        if (data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }
}
