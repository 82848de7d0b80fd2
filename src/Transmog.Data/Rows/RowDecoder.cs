using System.Buffers.Binary;

namespace Transmog.Data.Rows;

/// <summary>
/// The reading half of the row format that <see cref="RowBuffer"/> writes (<c>[int32 length][cells]</c>, a cell
/// <c>[varint column][kind][varint length][bytes]</c>, null cells not written): finds where each cell of a row is,
/// without copying or decoding it. Readers decode a cell only when a getter asks for it.
/// </summary>
internal static class RowDecoder
{
    /// <summary>
    /// Records where the cells of the row at <paramref name="position"/> are, stamping each with
    /// <paramref name="stamp"/> (a slot with another stamp is a null of this row); moves past the row.
    /// </summary>
    /// <param name="data">A batch of rows.</param>
    /// <param name="position">The row's first byte; on return, the next row's.</param>
    /// <param name="cells">A slot per column index; cells of columns beyond it are skipped.</param>
    /// <param name="stamp">The row's stamp, new for every row.</param>
    public static void ReadRow(ReadOnlySpan<byte> data, ref int position, Span<CellSlot> cells, int stamp)
    {
        int length = BinaryPrimitives.ReadInt32LittleEndian(data[position..]);
        int p = position + 4;
        int end = p + length;
        while (p < end)
        {
            int column = RowBuffer.ReadVarint(data, ref p);
            CellKind kind = (CellKind)data[p++];
            int cellLength = RowBuffer.ReadVarint(data, ref p);
            if (column < cells.Length)
            {
                cells[column] = new CellSlot(p, cellLength, stamp, kind);
            }

            p += cellLength;
        }

        position = end;
    }
}

/// <summary>Where one cell of the current row is in the batch; a stamp other than the row's means null (not written).</summary>
internal readonly record struct CellSlot(int Offset, int Length, int Stamp, CellKind Kind);
