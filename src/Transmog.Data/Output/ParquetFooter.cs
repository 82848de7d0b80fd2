using System.Buffers.Binary;

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
/// row; it holds the footer and its copy (Parquet.Net holds the footer's objects anyway until the file ends).
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
                byte header = ReadByte();
                byte type = (byte)(header & 0x0F);
                short id = 0;
                if (type != Stop)
                {
                    int delta = header >> 4;
                    id = delta != 0 ? (short)(lastRead + delta) : checked((short)ZigZag(ReadVarint()));
                    lastRead = id;
                }

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

                FieldHeader(id, type, ref lastWritten);
                if (type is BoolTrue or BoolFalse)
                {
                    continue;
                }

                (Kind inner, bool isList) = (kind, id) switch
                {
                    (Kind.FileMetaData, FileMetaDataSchema) when jsonColumns.Count > 0 => (Kind.SchemaElement, true),
                    (Kind.FileMetaData, FileMetaDataRowGroups) when uuidColumns.Count > 0 => (Kind.RowGroup, true),
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

    /// <summary>
    /// A write-only, non-seekable view of the output (Parquet.Net then counts positions itself) that passes writes
    /// through until <see cref="Capture"/> is set, and from then on keeps them: the footer, its length and the magic.
    /// </summary>
    internal sealed class CapturingStream(Stream inner, CapturingStream.PatchFooter patch) : WriteOnlyStream
    {
        private bool _capturing;
        private MemoryStream? _captured;
        private int _inlineFooterLength = -1;
        private long _inlinePatchedLength;

        /// <summary>Writes the patched form of a serialized footer to an output; returns the bytes written.</summary>
        public delegate long PatchFooter(ReadOnlySpan<byte> footer, Stream output);

        /// <summary>Keep what is written from now on instead of passing it on.</summary>
        public void Capture() => _capturing = true;

        /// <summary>Writes the captured footer, changed by the patch, then its length and the magic.</summary>
        public async Task WritePatchedFooterAsync(CancellationToken cancellationToken)
        {
            if (!_capturing)
            {
                throw new InvalidOperationException("Nothing was captured.");
            }

            ReadOnlyMemory<byte> tail = _captured is null ? ReadOnlyMemory<byte>.Empty : _captured.GetBuffer().AsMemory(0, (int)_captured.Length);
            long length;
            if (_inlineFooterLength >= 0)
            {
                // The footer came in one write and went to the file patched; what followed must be its length and the magic.
                if (tail.Length != 8 || !tail.Span[^4..].SequenceEqual("PAR1"u8) || BinaryPrimitives.ReadInt32LittleEndian(tail.Span) != _inlineFooterLength)
                {
                    throw new InvalidDataException("Parquet.Net wrote a footer of an unexpected form.");
                }

                length = _inlinePatchedLength;
            }
            else
            {
                if (tail.Length < 8 || !tail.Span[^4..].SequenceEqual("PAR1"u8)
                    || BinaryPrimitives.ReadInt32LittleEndian(tail.Span[^8..]) != tail.Length - 8)
                {
                    throw new InvalidDataException("Parquet.Net wrote a footer of an unexpected form.");
                }

                // Any stream but a file (which may allow only asynchronous writes) gets the patched footer from one buffer.
                var buffered = new MemoryStream(tail.Length + 256);
                length = patch(tail.Span[..^8], buffered);
                _captured = null;
                await inner.WriteAsync(buffered.GetBuffer().AsMemory(0, (int)buffered.Length), cancellationToken).ConfigureAwait(false);
            }

            byte[] end = new byte[8];
            BinaryPrimitives.WriteInt32LittleEndian(end, checked((int)length));
            "PAR1"u8.CopyTo(end.AsSpan(4));
            await inner.WriteAsync(end, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// Parquet.Net 6 writes the serialized footer in one call, then its length and the magic: into a file, the
        /// footer is patched right there, as it is read, so no copy of it is held (it grows with the input: 7 MB for
        /// the wide table of 1 GB of tweets). Anything else is kept, and checked, for <see cref="WritePatchedFooterAsync"/>.
        /// </summary>
        private void Keep(ReadOnlySpan<byte> buffer)
        {
            if (_captured is null && _inlineFooterLength < 0 && buffer.Length > 8 && inner is FileStream)
            {
                _inlinePatchedLength = patch(buffer, inner);
                _inlineFooterLength = buffer.Length;
                return;
            }

            (_captured ??= new MemoryStream()).Write(buffer);
        }

        public override void Flush()
        {
            if (!_capturing)
            {
                inner.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) =>
            !_capturing ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_capturing)
            {
                Keep(buffer);
            }
            else
            {
                inner.Write(buffer);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_capturing)
            {
                Keep(buffer.Span);
                return ValueTask.CompletedTask;
            }

            return inner.WriteAsync(buffer, cancellationToken);
        }
    }
}
