using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text.Json;
using Transmog.Data.Python;

namespace Transmog.Data.Flattening;

/// <summary>
/// Produces row ids. Root ids follow the strategy (Hash and Fields exactly as Python transmog, SHA-1 UUIDv5);
/// every child id is derived from its parent's id, its table and its position, so it is unique and the same on
/// every pass of a run (under Random too: the run's seed makes root ids repeatable across passes).
/// </summary>
/// <remarks>
/// Generated ids that need no compatibility (Random roots, all children) use XxHash128, not SHA-1: they are made
/// for every row, and a cryptographic hash there cost more than all the rest of flattening together.
/// </remarks>
internal sealed class IdFactory
{
    private readonly IdGeneration _strategy;
    private readonly ulong _seed;

    /// <param name="strategy">The id strategy.</param>
    /// <param name="runSeed">16 random bytes of the run (Random root ids).</param>
    /// <param name="sourceName">The name of a single-file input for <see cref="IdGenerationKind.Position"/> ids (records of several files carry theirs).</param>
    public IdFactory(IdGeneration strategy, ReadOnlySpan<byte> runSeed, string sourceName = "")
    {
        SourceName = sourceName;
        _strategy = strategy;
        _seed = BinaryPrimitives.ReadUInt64LittleEndian(runSeed) ^ BinaryPrimitives.ReadUInt64LittleEndian(runSeed[8..]);
    }

    /// <summary>The name of a single-file input (its path as given); empty for streams, text and records.</summary>
    public string SourceName { get; }

    /// <summary>A root record's id (not for <see cref="IdGenerationKind.Natural"/>, which reads the record's field).</summary>
    public Guid Root(JsonElement record, long recordNumber)
    {
        switch (_strategy.Kind)
        {
            case IdGenerationKind.Hash:
                return PythonCompatibleIds.ForRecord(record);
            case IdGenerationKind.Fields:
                return PythonCompatibleIds.ForFields(record, _strategy.FieldNames);
            default:
                Span<byte> input = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(input, recordNumber);
                return Shape(XxHash128.HashToUInt128(input, (long)_seed), version: 4);
        }
    }

    /// <summary>A <see cref="IdGenerationKind.Position"/> root id: of the file's name and the record's byte offset in it.</summary>
    public static Guid Position(string fileName, long byteOffset)
    {
        int length = System.Text.Encoding.UTF8.GetMaxByteCount(fileName.Length) + 9;
        byte[]? rented = null;
        Span<byte> input = length <= 512 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        int written = System.Text.Encoding.UTF8.GetBytes(fileName, input);
        input[written++] = 0;
        BinaryPrimitives.WriteInt64LittleEndian(input[written..], byteOffset);
        written += 8;
        Guid id = Shape(XxHash128.HashToUInt128(input[..written]), version: 8);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return id;
    }

    /// <summary>A generated id for a row of the table named <paramref name="tableNameUtf8"/> at <paramref name="index"/> under <paramref name="parent"/>.</summary>
    public static Guid Child(in RowId parent, ReadOnlySpan<byte> tableNameUtf8, long index)
    {
        int length = parent.Length + 1 + tableNameUtf8.Length + 8;
        byte[]? rented = null;
        Span<byte> input = length <= 512 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        parent.CopyTo(input, out int written);
        input[written++] = (byte)'/';
        tableNameUtf8.CopyTo(input[written..]);
        written += tableNameUtf8.Length;
        BinaryPrimitives.WriteInt64LittleEndian(input[written..], index);
        written += 8;
        Guid id = Shape(XxHash128.HashToUInt128(input[..written]), version: 8);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        return id;
    }

    /// <summary>A UUID of the given version and RFC 4122 variant from 128 hash bits.</summary>
    private static Guid Shape(UInt128 hash, int version)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, hash);
        bytes[6] = (byte)((bytes[6] & 0x0F) | (version << 4));
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
