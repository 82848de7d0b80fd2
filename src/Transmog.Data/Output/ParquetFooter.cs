using System.Buffers.Binary;

namespace Transmog.Data.Output;

/// <summary>
/// Rewrites the footer (the Thrift-compact <c>FileMetaData</c>) that Parquet.Net 6.1 writes, for what its schema API
/// cannot express: the JSON logical type on text columns holding JSON, and UUID columns without Parquet.Net's column
/// chunk min/max statistics (it writes them in .NET's mixed-endian byte order while the values are big-endian, which
/// would mislead engines that prune row groups by statistics; the null count is kept).
/// </summary>
/// <remarks>
/// The footer is parsed into a generic tree of Thrift fields (every field kept, unknown ones too), the few fields
/// above are changed, and the tree is written back: the rest of the footer is byte for byte what Parquet.Net wrote.
/// Runs once per file, on the footer only (kilobytes to a few megabytes), never per row.
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
    private const short RowGroupColumns = 1;
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
    /// <exception cref="InvalidDataException">The footer is not the flat Thrift structure expected.</exception>
    public static byte[] Patch(ReadOnlySpan<byte> footer, IReadOnlyList<int> jsonColumns, IReadOnlyList<int> uuidColumns)
    {
        var reader = new Reader(footer);
        StructValue meta = reader.ReadStruct();
        if (reader.Position != footer.Length)
        {
            throw new InvalidDataException($"The Parquet footer has {footer.Length - reader.Position} bytes after its end.");
        }

        if (jsonColumns.Count > 0)
        {
            ListValue schema = meta.Get<ListValue>(FileMetaDataSchema) ?? throw new InvalidDataException("The Parquet footer has no schema.");
            foreach (int column in jsonColumns)
            {
                // Element 0 is the root; a flat schema's leaves follow in column order.
                var element = schema.Items[column + 1] as StructValue ?? throw new InvalidDataException($"The Parquet footer has no schema element for column {column}.");
                element.Set(SchemaElementConvertedType, I32, ConvertedTypeJson);
                var json = new StructValue();
                json.Set(LogicalTypeJson, Struct, new StructValue());
                element.Set(SchemaElementLogicalType, Struct, json);
            }
        }

        if (uuidColumns.Count > 0 && meta.Get<ListValue>(FileMetaDataRowGroups) is { } rowGroups)
        {
            foreach (StructValue rowGroup in rowGroups.Items.Cast<StructValue>())
            {
                ListValue chunks = rowGroup.Get<ListValue>(RowGroupColumns) ?? throw new InvalidDataException("A Parquet row group has no columns.");
                foreach (int column in uuidColumns)
                {
                    var chunk = chunks.Items[column] as StructValue ?? throw new InvalidDataException($"A Parquet row group has no chunk for column {column}.");
                    if (chunk.Get<StructValue>(ColumnChunkMetaData)?.Get<StructValue>(ColumnMetaDataStatistics) is { } statistics)
                    {
                        foreach (short field in MinMaxFields)
                        {
                            statistics.Remove(field);
                        }
                    }
                }
            }
        }

        var output = new MemoryStream(footer.Length + 256);
        Write(output, meta);
        return output.ToArray();
    }

    /// <summary>A Thrift struct: its fields in the order read (written back in that order).</summary>
    private sealed class StructValue
    {
        public List<(short Id, byte Type, object? Value)> Fields { get; } = [];

        public T? Get<T>(short id)
            where T : class
        {
            foreach ((short Id, byte Type, object? Value) field in Fields)
            {
                if (field.Id == id)
                {
                    return field.Value as T;
                }
            }

            return null;
        }

        public void Set(short id, byte type, object value)
        {
            for (int i = 0; i < Fields.Count; i++)
            {
                if (Fields[i].Id == id)
                {
                    Fields[i] = (id, type, value);
                    return;
                }
            }

            // Thrift readers accept fields in any order; ascending ids keep the short delta headers.
            int at = 0;
            while (at < Fields.Count && Fields[at].Id < id)
            {
                at++;
            }

            Fields.Insert(at, (id, type, value));
        }

        public void Remove(short id) => Fields.RemoveAll(f => f.Id == id);
    }

    private sealed class ListValue(byte elementType, List<object?> items)
    {
        public byte ElementType { get; } = elementType;

        public List<object?> Items { get; } = items;
    }

    /// <summary>A value kept as its encoded bytes (maps, which nothing here changes).</summary>
    private sealed class RawValue(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public int Position { get; private set; }

        public StructValue ReadStruct()
        {
            var result = new StructValue();
            short last = 0;
            while (true)
            {
                byte header = ReadByte();
                byte type = (byte)(header & 0x0F);
                if (type == Stop)
                {
                    return result;
                }

                int delta = header >> 4;
                short id = delta != 0 ? (short)(last + delta) : (short)ZigZag(ReadVarint());
                last = id;
                object? value = type is BoolTrue or BoolFalse ? null : ReadValue(type);
                result.Fields.Add((id, type, value));
            }
        }

        private object? ReadValue(byte type)
        {
            switch (type)
            {
                case Byte:
                    return ReadByte();
                case I16:
                case I32:
                case I64:
                    return ZigZag(ReadVarint());
                case Double:
                    double d = BinaryPrimitives.ReadDoubleLittleEndian(Take(8));
                    return d;
                case Binary:
                    return Take(checked((int)ReadVarint())).ToArray();
                case List:
                case Set:
                    byte header = ReadByte();
                    byte elementType = (byte)(header & 0x0F);
                    int count = header >> 4;
                    if (count == 15)
                    {
                        count = checked((int)ReadVarint());
                    }

                    var items = new List<object?>(count);
                    for (int i = 0; i < count; i++)
                    {
                        items.Add(elementType is BoolTrue or BoolFalse ? ReadByte() : ReadValue(elementType));
                    }

                    return new ListValue((byte)((type == Set ? 0x80 : 0) | elementType), items);
                case Map:
                    int start = Position;
                    int entries = checked((int)ReadVarint());
                    if (entries > 0)
                    {
                        byte kinds = ReadByte();
                        for (int i = 0; i < entries; i++)
                        {
                            SkipValue((byte)(kinds >> 4));
                            SkipValue((byte)(kinds & 0x0F));
                        }
                    }

                    return new RawValue(_data[start..Position].ToArray());
                case Struct:
                    return ReadStruct();
                default:
                    throw new InvalidDataException($"Unknown Thrift type {type} in the Parquet footer at byte {Position}.");
            }
        }

        private void SkipValue(byte type)
        {
            if (type is BoolTrue or BoolFalse)
            {
                ReadByte();
            }
            else
            {
                ReadValue(type);
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

        private static long ZigZag(ulong n) => (long)(n >> 1) ^ -(long)(n & 1);
    }

    private static void Write(Stream output, StructValue value)
    {
        short last = 0;
        foreach ((short id, byte type, object? field) in value.Fields)
        {
            int delta = id - last;
            if (delta is > 0 and <= 15)
            {
                output.WriteByte((byte)((delta << 4) | type));
            }
            else
            {
                output.WriteByte(type);
                WriteVarint(output, ZigZag(id));
            }

            last = id;
            if (type is not (BoolTrue or BoolFalse))
            {
                WriteValue(output, type, field);
            }
        }

        output.WriteByte(Stop);
    }

    private static void WriteValue(Stream output, byte type, object? value)
    {
        switch (type)
        {
            case Byte:
                output.WriteByte((byte)value!);
                break;
            case I16:
            case I32:
            case I64:
                WriteVarint(output, ZigZag(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)));
                break;
            case Double:
                Span<byte> d = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleLittleEndian(d, (double)value!);
                output.Write(d);
                break;
            case Binary:
                byte[] bytes = (byte[])value!;
                WriteVarint(output, (ulong)bytes.Length);
                output.Write(bytes);
                break;
            case List:
            case Set:
                var list = (ListValue)value!;
                byte elementType = (byte)(list.ElementType & 0x0F);
                if (list.Items.Count < 15)
                {
                    output.WriteByte((byte)((list.Items.Count << 4) | elementType));
                }
                else
                {
                    output.WriteByte((byte)(0xF0 | elementType));
                    WriteVarint(output, (ulong)list.Items.Count);
                }

                foreach (object? item in list.Items)
                {
                    if (elementType is BoolTrue or BoolFalse)
                    {
                        output.WriteByte((byte)item!);
                    }
                    else
                    {
                        WriteValue(output, elementType, item);
                    }
                }

                break;
            case Map:
                output.Write(((RawValue)value!).Bytes);
                break;
            case Struct:
                Write(output, (StructValue)value!);
                break;
            default:
                throw new InvalidDataException($"Unknown Thrift type {type}.");
        }
    }

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

    /// <summary>
    /// A write-only, non-seekable view of the output (Parquet.Net then counts positions itself) that passes writes
    /// through until <see cref="Capture"/> is set, and from then on keeps them: the footer, its length and the magic.
    /// </summary>
    internal sealed class CapturingStream(Stream inner) : Stream
    {
        private MemoryStream? _captured;

        /// <summary>Keep what is written from now on instead of passing it on.</summary>
        public void Capture() => _captured = new MemoryStream();

        /// <summary>Writes the captured footer, changed by <paramref name="patch"/>, with its length and the magic.</summary>
        public async Task WritePatchedFooterAsync(Func<ReadOnlyMemory<byte>, byte[]> patch, CancellationToken cancellationToken)
        {
            MemoryStream captured = _captured ?? throw new InvalidOperationException("Nothing was captured.");
            ReadOnlyMemory<byte> tail = captured.GetBuffer().AsMemory(0, (int)captured.Length);
            if (tail.Length < 8 || !tail.Span[^4..].SequenceEqual("PAR1"u8)
                || BinaryPrimitives.ReadInt32LittleEndian(tail.Span[^8..]) != tail.Length - 8)
            {
                throw new InvalidDataException("Parquet.Net wrote a footer of an unexpected form.");
            }

            byte[] footer = patch(tail[..^8]);
            byte[] end = new byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(end, footer.Length);
            "PAR1"u8.CopyTo(end.AsSpan(4));
            await inner.WriteAsync(footer, cancellationToken).ConfigureAwait(false);
            await inner.WriteAsync(end, cancellationToken).ConfigureAwait(false);
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
            if (_captured is null)
            {
                inner.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            _captured is null ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_captured is not null)
            {
                _captured.Write(buffer);
            }
            else
            {
                inner.Write(buffer);
            }
        }

        public override void WriteByte(byte value) => Write([value]);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_captured is not null)
            {
                _captured.Write(buffer.Span);
                return ValueTask.CompletedTask;
            }

            return inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
