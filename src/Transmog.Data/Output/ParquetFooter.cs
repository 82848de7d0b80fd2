namespace Transmog.Data.Output;

/// <summary>
/// Rewrites the footer (the Thrift-compact <c>FileMetaData</c>) that Parquet.Net 6.1 writes, for what its schema API
/// cannot express: the JSON logical type on text columns holding JSON, and UUID columns without Parquet.Net's column
/// chunk min/max statistics (it writes them in .NET's mixed-endian byte order while the values are big-endian, which
/// would mislead engines that prune row groups by statistics; the null count is kept).
/// </summary>
/// <remarks>
/// The footer is read and written in one pass: every value is copied byte for byte (unknown fields too), only the
/// structures on the way to the changed fields are descended into. Runs once per file, on the footer only, never per
/// row. It also cuts a segment's footer down to its row group and puts a file's footer together from them
/// (<see cref="ParquetSegments"/>: one Parquet.Net writer per row group, so that no writer holds every row group's metadata).
/// </remarks>
internal static class ParquetFooter
{
    // Thrift compact protocol types.
    private const byte Stop = 0;
    private const byte BoolTrue = 1;
    private const byte BoolFalse = 2;
    private const byte Byte = 3;
    private const byte I16 = 4;
    private const byte I32 = 5;
    private const byte I64 = 6;
    private const byte Double = 7;
    private const byte Binary = 8;
    private const byte List = 9;
    private const byte Set = 10;
    private const byte Map = 11;
    private const byte Struct = 12;

    // Field ids of parquet.thrift.
    private const short FileMetaDataSchema = 2;
    private const short FileMetaDataRowGroups = 4;
    private const short SchemaElementConvertedType = 6;
    private const short SchemaElementLogicalType = 10;
    private const short LogicalTypeJson = 12;
    private const short FileMetaDataNumRows = 3;
    private const short RowGroupColumns = 1;
    private const short RowGroupFileOffset = 5;
    private const short RowGroupOrdinal = 7;
    private const short ColumnChunkMetaData = 3;
    private const short ColumnMetaDataStatistics = 12;
    private const int ConvertedTypeJson = 19;

    /// <summary>Statistics fields dropped for UUID columns: max, min, max_value, min_value, is_max/min_value_exact.</summary>
    private static readonly short[] MinMaxFields = [1, 2, 5, 6, 7, 8];

    /// <summary>Returns the footer with the JSON logical type on <paramref name="jsonColumns"/> and no min/max statistics
    /// on <paramref name="uuidColumns"/> (ordinals among the leaf columns of a flat schema).</summary>
    /// <param name="footer">The serialized <c>FileMetaData</c>.</param>
    /// <param name="jsonColumns">Column ordinals holding JSON text.</param>
    /// <param name="uuidColumns">Column ordinals of UUID type.</param>
    /// <returns>The serialized, changed <c>FileMetaData</c>.</returns>
    /// <exception cref="InvalidDataException">The footer is not the Thrift structure expected.</exception>
    public static byte[] Patch(ReadOnlySpan<byte> footer, IReadOnlyList<int> jsonColumns, IReadOnlyList<int> uuidColumns)
    {
        var output = new MemoryStream(footer.Length + 256);
        Patch(footer, jsonColumns, uuidColumns, output);
        return output.ToArray();
    }

    /// <summary>Writes the footer with the changes to <paramref name="output"/> as it is read (no copy of it is held:
    /// the footer of a wide table grows with the input, 7 MB at 1 GB of tweets).</summary>
    /// <param name="footer">The serialized <c>FileMetaData</c>.</param>
    /// <param name="jsonColumns">Column ordinals holding JSON text.</param>
    /// <param name="uuidColumns">Column ordinals of UUID type.</param>
    /// <param name="output">Where the changed <c>FileMetaData</c> goes.</param>
    /// <returns>The bytes written.</returns>
    /// <exception cref="InvalidDataException">The footer is not the Thrift structure expected.</exception>
    public static long Patch(ReadOnlySpan<byte> footer, IReadOnlyList<int> jsonColumns, IReadOnlyList<int> uuidColumns, Stream output)
    {
        var counting = new CountingWriteStream(output);
        var rewriter = new Rewriter(footer, jsonColumns, uuidColumns, counting);
        rewriter.RewriteStruct(Kind.FileMetaData, -1);
        if (rewriter.Position != footer.Length)
        {
            throw new InvalidDataException($"The Parquet footer has {footer.Length - rewriter.Position} bytes after its end.");
        }

        counting.Flush();
        return counting.Written;
    }

    /// <summary>
    /// Writes the one row group of a footer Parquet.Net wrote for a segment of the file (<see cref="ParquetSegments"/>),
    /// its file offsets moved by <paramref name="shift"/> to where the segment's bytes are in the file, its ordinal (if the writer wrote one) set,
    /// without min/max statistics on <paramref name="uuidColumns"/>.
    /// </summary>
    /// <param name="footer">The segment's serialized <c>FileMetaData</c>, holding one row group.</param>
    /// <param name="shift">Added to every file offset of the row group.</param>
    /// <param name="ordinal">The row group's place in the file.</param>
    /// <param name="uuidColumns">Column ordinals of UUID type.</param>
    /// <param name="destination">Where the serialized <c>RowGroup</c> goes.</param>
    /// <exception cref="InvalidDataException">The footer is not the Thrift structure expected.</exception>
    public static void WriteRowGroup(ReadOnlySpan<byte> footer, long shift, int ordinal, IReadOnlyList<int> uuidColumns, Stream destination)
    {
        var counting = new CountingWriteStream(destination);
        var rewriter = new Rewriter(footer, [], uuidColumns, counting) { Segment = true, Shift = shift, Ordinal = ordinal };
        if (rewriter.RowGroupsOnly() != 1)
        {
            throw new InvalidDataException("A Parquet segment's footer does not hold exactly one row group.");
        }

        counting.Flush();
    }

    /// <summary>
    /// Writes the footer of a file made of segments: the fields of <paramref name="template"/> (a segment's footer:
    /// schema, writer, column orders; JSON columns annotated) with the file's row count and its row groups, read from
    /// <paramref name="rowGroups"/> as <see cref="WriteRowGroup"/> wrote them.
    /// </summary>
    /// <returns>The bytes written.</returns>
    /// <exception cref="InvalidDataException">The template is not the Thrift structure expected.</exception>
    public static long WriteCombined(ReadOnlySpan<byte> template, IReadOnlyList<int> jsonColumns, long rows, int rowGroupCount, Stream rowGroups, Stream output)
    {
        byte[] patched = jsonColumns.Count > 0 ? Patch(template, jsonColumns, []) : template.ToArray();
        var counting = new CountingWriteStream(output);
        var rewriter = new Rewriter(patched, [], [], counting);
        rewriter.Combine(rows, rowGroupCount, rowGroups);
        counting.Flush();
        return counting.Written;
    }

    /// <summary>The structures on the way to the fields changed; every other value is copied as it is.</summary>
    private enum Kind
    {
        Other,
        FileMetaData,
        SchemaElement,
        RowGroup,
        ColumnChunk,
        ColumnMetaData,
        Statistics,
    }

    /// <summary>
    /// Reads the footer and writes the changed copy in one pass: values are copied byte for byte, field headers are
    /// written anew (a dropped or added field changes the next field's id delta), and only the structures on the way to
    /// a changed field are descended into. Memory: none beyond the output stream's buffer.
    /// </summary>
    private ref struct Rewriter(ReadOnlySpan<byte> data, IReadOnlyList<int> jsonColumns, IReadOnlyList<int> uuidColumns, Stream output)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public Stream Output { get; } = output;

        public int Position { get; private set; }

        /// <summary>Whether row groups are rewritten for a segment: offsets shifted, ordinal set.</summary>
        public bool Segment { get; init; }

        /// <summary>Added to every file offset of a segment's row group.</summary>
        public long Shift { get; init; }

        /// <summary>The ordinal a segment's row group gets.</summary>
        public int Ordinal { get; init; }

        /// <summary>Reads a <c>FileMetaData</c> and writes only its row groups (rewritten); returns how many.</summary>
        public int RowGroupsOnly()
        {
            int groups = 0;
            short lastRead = 0;
            while (true)
            {
                (short id, byte type) = ReadFieldHeader(ref lastRead);
                if (type == Stop)
                {
                    return groups;
                }

                if (id == FileMetaDataRowGroups && type == List)
                {
                    (int count, byte elementType) = ListHeader();
                    if (elementType != Struct)
                    {
                        throw new InvalidDataException("The Parquet footer's row groups are not structs.");
                    }

                    for (int i = 0; i < count; i++)
                    {
                        RewriteStruct(Kind.RowGroup, -1);
                        groups++;
                    }
                }
                else
                {
                    Skip(type);
                }
            }
        }

        /// <summary>Copies a <c>FileMetaData</c> with <paramref name="rows"/> as its row count and the row groups of
        /// <paramref name="rowGroups"/> (serialized structs, <paramref name="count"/> of them) as its row groups.</summary>
        public void Combine(long rows, int count, Stream rowGroups)
        {
            short lastRead = 0;
            short lastWritten = 0;
            bool written = false;
            while (true)
            {
                (short id, byte type) = ReadFieldHeader(ref lastRead);
                if (!written && (type == Stop || id >= FileMetaDataNumRows))
                {
                    FieldHeader(FileMetaDataNumRows, I64, ref lastWritten);
                    WriteVarint(Output, ZigZag(rows));
                    FieldHeader(FileMetaDataRowGroups, List, ref lastWritten);
                    if (count < 15)
                    {
                        Output.WriteByte((byte)((count << 4) | Struct));
                    }
                    else
                    {
                        Output.WriteByte(0xF0 | Struct);
                        WriteVarint(Output, (ulong)count);
                    }

                    rowGroups.Position = 0;
                    rowGroups.CopyTo(Output);
                    written = true;
                }

                if (type == Stop)
                {
                    Output.WriteByte(Stop);
                    return;
                }

                if (id is FileMetaDataNumRows or FileMetaDataRowGroups)
                {
                    Skip(type);
                    continue;
                }

                FieldHeader(id, type, ref lastWritten);
                if (type is not (BoolTrue or BoolFalse))
                {
                    Copy(type);
                }
            }
        }

        private (short Id, byte Type) ReadFieldHeader(ref short lastRead)
        {
            byte header = ReadByte();
            byte type = (byte)(header & 0x0F);
            if (type == Stop)
            {
                return (0, Stop);
            }

            int delta = header >> 4;
            short id = delta != 0 ? (short)(lastRead + delta) : checked((short)ZigZag(ReadVarint()));
            lastRead = id;
            return (id, type);
        }

        /// <summary>Whether a field is a file offset (i64) of a segment's row group, to be shifted.</summary>
        private static bool IsOffset(Kind kind, short id) => (kind, id) switch
        {
            (Kind.RowGroup, RowGroupFileOffset) => true,
            (Kind.ColumnChunk, 2 or 4 or 6) => true, // file_offset, offset_index_offset, column_index_offset
            (Kind.ColumnMetaData, 9 or 10 or 11 or 14) => true, // data, index and dictionary page offsets, bloom filter offset
            _ => false,
        };

        /// <summary>Rewrites one struct of <paramref name="kind"/>; <paramref name="column"/> is the leaf column it
        /// belongs to (schema elements, column chunks and what they hold), else -1.</summary>
        public void RewriteStruct(Kind kind, int column)
        {
            bool json = kind == Kind.SchemaElement && Contains(jsonColumns, column);
            bool uuid = kind == Kind.Statistics && Contains(uuidColumns, column);
            short lastRead = 0;
            short lastWritten = 0;
            bool convertedWritten = false;
            bool logicalWritten = false;
            while (true)
            {
                (short id, byte type) = ReadFieldHeader(ref lastRead);

                if (json)
                {
                    // The JSON annotation replaces Parquet.Net's UTF8/STRING one, each at its place in id order.
                    if (!convertedWritten && (type == Stop || id >= SchemaElementConvertedType))
                    {
                        FieldHeader(SchemaElementConvertedType, I32, ref lastWritten);
                        WriteVarint(Output, ZigZag(ConvertedTypeJson));
                        convertedWritten = true;
                    }

                    if (!logicalWritten && (type == Stop || id >= SchemaElementLogicalType))
                    {
                        FieldHeader(SchemaElementLogicalType, Struct, ref lastWritten);
                        short innerLast = 0;
                        FieldHeader(LogicalTypeJson, Struct, ref innerLast);
                        Output.WriteByte(Stop); // JsonType {}
                        Output.WriteByte(Stop); // LogicalType
                        logicalWritten = true;
                    }

                    if (id is SchemaElementConvertedType or SchemaElementLogicalType && type != Stop)
                    {
                        Skip(type);
                        continue;
                    }
                }

                if (type == Stop)
                {
                    Output.WriteByte(Stop);
                    return;
                }

                if (uuid && Array.IndexOf(MinMaxFields, id) >= 0)
                {
                    Skip(type);
                    continue;
                }

                if (Segment && type == I64 && IsOffset(kind, id))
                {
                    long offset = ZigZag(ReadVarint()) + Shift;
                    FieldHeader(id, type, ref lastWritten);
                    WriteVarint(Output, ZigZag(offset));
                    continue;
                }

                if (Segment && kind == Kind.RowGroup && id == RowGroupOrdinal && type == I16)
                {
                    // Parquet.Net 6.1 writes no ordinal; a writer that does would give every segment 0. An ordinal
                    // past an i16 is left out (it is optional) rather than wrapped.
                    ReadVarint();
                    if (Ordinal <= short.MaxValue)
                    {
                        FieldHeader(id, type, ref lastWritten);
                        WriteVarint(Output, ZigZag((long)Ordinal));
                    }

                    continue;
                }

                FieldHeader(id, type, ref lastWritten);
                if (type is BoolTrue or BoolFalse)
                {
                    continue;
                }

                (Kind inner, bool isList) = (kind, id) switch
                {
                    (Kind.FileMetaData, FileMetaDataSchema) when jsonColumns.Count > 0 => (Kind.SchemaElement, true),
                    (Kind.FileMetaData, FileMetaDataRowGroups) when uuidColumns.Count > 0 || Segment => (Kind.RowGroup, true),
                    (Kind.RowGroup, RowGroupColumns) => (Kind.ColumnChunk, true),
                    (Kind.ColumnChunk, ColumnChunkMetaData) => (Kind.ColumnMetaData, false),
                    (Kind.ColumnMetaData, ColumnMetaDataStatistics) => (Kind.Statistics, false),
                    _ => (Kind.Other, false),
                };

                if (inner == Kind.Other || (isList ? type != List : type != Struct))
                {
                    Copy(type);
                }
                else if (!isList)
                {
                    RewriteStruct(inner, column);
                }
                else
                {
                    // A list of structs: schema elements count the root first, column chunks start at column 0.
                    int start = Position;
                    (int count, byte elementType) = ListHeader();
                    Output.Write(_data[start..Position]);
                    if (elementType != Struct)
                    {
                        throw new InvalidDataException($"The Parquet footer's field {id} is a list of type {elementType}, not of structs.");
                    }

                    for (int i = 0; i < count; i++)
                    {
                        RewriteStruct(inner, inner == Kind.SchemaElement ? i - 1 : inner == Kind.ColumnChunk ? i : -1);
                    }
                }
            }
        }

        private static bool Contains(IReadOnlyList<int> list, int value)
        {
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] == value)
                {
                    return true;
                }
            }

            return false;
        }

        private readonly void FieldHeader(short id, byte type, ref short last)
        {
            int delta = id - last;
            if (delta is > 0 and <= 15)
            {
                Output.WriteByte((byte)((delta << 4) | type));
            }
            else
            {
                Output.WriteByte(type);
                WriteVarint(Output, ZigZag(id));
            }

            last = id;
        }

        private void Copy(byte type)
        {
            int start = Position;
            Skip(type);
            Output.Write(_data[start..Position]);
        }

        private (int Count, byte ElementType) ListHeader()
        {
            byte header = ReadByte();
            int count = header >> 4;
            if (count == 15)
            {
                count = checked((int)ReadVarint());
            }

            return (count, (byte)(header & 0x0F));
        }

        /// <summary>Reads past one value of <paramref name="type"/> (a field's value, or a container's element).</summary>
        private void Skip(byte type)
        {
            switch (type)
            {
                case BoolTrue:
                case BoolFalse:
                    // Only inside containers does a bool take a byte; a bool field's value is its header's type.
                    break;
                case Byte:
                    ReadByte();
                    break;
                case I16:
                case I32:
                case I64:
                    ReadVarint();
                    break;
                case Double:
                    Take(8);
                    break;
                case Binary:
                    Take(checked((int)ReadVarint()));
                    break;
                case List:
                case Set:
                    (int count, byte elementType) = ListHeader();
                    for (int i = 0; i < count; i++)
                    {
                        SkipElement(elementType);
                    }

                    break;
                case Map:
                    int entries = checked((int)ReadVarint());
                    if (entries > 0)
                    {
                        byte kinds = ReadByte();
                        for (int i = 0; i < entries; i++)
                        {
                            SkipElement((byte)(kinds >> 4));
                            SkipElement((byte)(kinds & 0x0F));
                        }
                    }

                    break;
                case Struct:
                    while (true)
                    {
                        byte header = ReadByte();
                        byte fieldType = (byte)(header & 0x0F);
                        if (fieldType == Stop)
                        {
                            break;
                        }

                        if (header >> 4 == 0)
                        {
                            ReadVarint();
                        }

                        Skip(fieldType);
                    }

                    break;
                default:
                    throw new InvalidDataException($"Unknown Thrift type {type} in the Parquet footer at byte {Position}.");
            }
        }

        private void SkipElement(byte type)
        {
            if (type is BoolTrue or BoolFalse)
            {
                ReadByte();
            }
            else
            {
                Skip(type);
            }
        }

        private byte ReadByte() => Take(1)[0];

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count < 0 || _data.Length - Position < count)
            {
                throw new InvalidDataException("The Parquet footer ends in the middle of a value.");
            }

            ReadOnlySpan<byte> span = _data.Slice(Position, count);
            Position += count;
            return span;
        }

        private ulong ReadVarint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = ReadByte();
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw new InvalidDataException("A Thrift varint in the Parquet footer is too long.");
        }
    }

    private static long ZigZag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);

    private static ulong ZigZag(long n) => (ulong)((n << 1) ^ (n >> 63));

    private static void WriteVarint(Stream output, ulong value)
    {
        while (value >= 0x80)
        {
            output.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        output.WriteByte((byte)value);
    }

    /// <summary>Counts and buffers the rewriter's many small writes (64 KB at a time) on their way to the output.</summary>
    private sealed class CountingWriteStream(Stream inner) : WriteOnlyStream
    {
        private readonly byte[] _buffer = new byte[1 << 16];
        private int _used;

        public long Written { get; private set; }

        public override void Flush()
        {
            inner.Write(_buffer, 0, _used);
            _used = 0;
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Written += buffer.Length;
            if (buffer.Length > _buffer.Length - _used)
            {
                Flush();
                if (buffer.Length >= _buffer.Length)
                {
                    inner.Write(buffer);
                    return;
                }
            }

            buffer.CopyTo(_buffer.AsSpan(_used));
            _used += buffer.Length;
        }

        public override void WriteByte(byte value)
        {
            if (_used == _buffer.Length)
            {
                Flush();
            }

            _buffer[_used++] = value;
            Written++;
        }
    }
}
