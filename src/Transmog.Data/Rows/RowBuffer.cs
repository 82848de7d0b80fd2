using System.Buffers.Binary;
using Transmog.Data.Input;

namespace Transmog.Data.Rows;

/// <summary>
/// Rows of one table serialized into a pooled byte buffer: the compact form rows take between the flattener and a
/// reader, in memory and in spill files alike. A row is <c>[int32 length][cells]</c>, a cell
/// <c>[varint column][kind][varint length][bytes]</c>; null cells are not written.
/// </summary>
/// <remarks>
/// Rows of the record being flattened stay uncommitted until the record is complete, so a record that fails half
/// way (under <see cref="RecoveryMode.Skip"/>) is rolled back whole and never half-written.
/// </remarks>
internal sealed class RowBuffer : IDisposable
{
    private PooledBuffer _buffer;
    private int _length;
    private int _rowStart = -1;

    public RowBuffer(int initialCapacity = 4096)
    {
        _buffer = new PooledBuffer(initialCapacity);
    }

    /// <summary>The bytes the buffer can hold before it grows.</summary>
    public int Capacity => _buffer.Capacity;

    /// <summary>Bytes of complete, committed rows.</summary>
    public int CommittedLength { get; private set; }

    /// <summary>Committed rows.</summary>
    public int CommittedRows { get; private set; }

    /// <summary>Rows written since the last commit.</summary>
    public int PendingRows { get; private set; }

    /// <summary>The committed rows' bytes.</summary>
    public ReadOnlySpan<byte> Committed => _buffer.Bytes.AsSpan(0, CommittedLength);

    public void BeginRow()
    {
        EnsureCapacity(4);
        _rowStart = _length;
        _length += 4;
    }

    public void EndRow()
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.Bytes.AsSpan(_rowStart), _length - _rowStart - 4);
        _rowStart = -1;
        PendingRows++;
    }

    /// <summary>Writes one cell; returns the span to fill with <paramref name="length"/> bytes.</summary>
    public Span<byte> WriteCell(int column, CellKind kind, int length)
    {
        EnsureCapacity(11 + length);
        WriteVarint(column);
        _buffer.Bytes[_length++] = (byte)kind;
        WriteVarint(length);
        Span<byte> data = _buffer.Bytes.AsSpan(_length, length);
        _length += length;
        return data;
    }

    public void WriteCell(int column, CellKind kind, ReadOnlySpan<byte> data) => data.CopyTo(WriteCell(column, kind, data.Length));

    /// <summary>Shrinks the last cell written to <paramref name="actualLength"/> bytes (after unescaping into it).</summary>
    public void TrimLastCell(int reservedLength, int actualLength)
    {
        // The length varint was sized for reservedLength; rewrite the cell tail when the varint size changes.
        int dataStart = _length - reservedLength;
        int oldVarint = VarintSize(reservedLength);
        int newVarint = VarintSize(actualLength);
        int varintStart = dataStart - oldVarint;
        if (oldVarint != newVarint)
        {
            Buffer.BlockCopy(_buffer.Bytes, dataStart, _buffer.Bytes, varintStart + newVarint, actualLength);
        }

        int p = varintStart;
        WriteVarintAt(ref p, actualLength);
        _length = varintStart + newVarint + actualLength;
    }

    /// <summary>Makes the rows written since the last commit visible.</summary>
    public void Commit()
    {
        CommittedLength = _length;
        CommittedRows += PendingRows;
        PendingRows = 0;
    }

    /// <summary>Appends rows committed elsewhere (in another buffer) as committed rows of this one.</summary>
    public void AppendCommitted(ReadOnlySpan<byte> rows, int count)
    {
        if (_length != CommittedLength)
        {
            throw new InvalidOperationException("Committed rows cannot be appended after uncommitted ones.");
        }

        EnsureCapacity(rows.Length);
        rows.CopyTo(_buffer.Bytes.AsSpan(_length));
        _length += rows.Length;
        CommittedLength = _length;
        CommittedRows += count;
    }

    /// <summary>
    /// Counts the rows written since the last commit as committed but forgets their bytes: for a pass that only
    /// counts rows (a schema scan), which so keeps the buffer as small as one record's rows.
    /// </summary>
    public void CommitCountOnly()
    {
        CommittedRows += PendingRows;
        PendingRows = 0;
        _length = CommittedLength;
        _rowStart = -1;
    }

    /// <summary>Forgets the rows written since the last commit.</summary>
    public void Rollback()
    {
        _length = CommittedLength;
        _rowStart = -1;
        PendingRows = 0;
    }

    /// <summary>Forgets the committed rows once they were handed on (pending rows are kept).</summary>
    public void ClearCommitted()
    {
        int pending = _length - CommittedLength;
        if (pending > 0)
        {
            Buffer.BlockCopy(_buffer.Bytes, CommittedLength, _buffer.Bytes, 0, pending);
        }

        if (_rowStart >= 0)
        {
            _rowStart -= CommittedLength;
        }

        _length = pending;
        CommittedLength = 0;
        CommittedRows = 0;
    }

    private void EnsureCapacity(int extra) => _buffer.EnsureCapacity(_length + extra, _length);

    private void WriteVarint(int value) => WriteVarintAt(ref _length, value);

    private void WriteVarintAt(ref int position, int value)
    {
        uint v = (uint)value;
        while (v >= 0x80)
        {
            _buffer.Bytes[position++] = (byte)(v | 0x80);
            v >>= 7;
        }

        _buffer.Bytes[position++] = (byte)v;
    }

    private static int VarintSize(int value)
    {
        uint v = (uint)value;
        int size = 1;
        while (v >= 0x80)
        {
            v >>= 7;
            size++;
        }

        return size;
    }

    /// <summary>Reads a varint at <paramref name="position"/> of <paramref name="data"/>.</summary>
    public static int ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        int result = 0;
        int shift = 0;
        while (true)
        {
            byte b = data[position++];
            result |= (b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }

            shift += 7;
        }
    }

    public void Dispose() => _buffer.Return();
}
