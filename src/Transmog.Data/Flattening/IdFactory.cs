using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Transmog.Data.Flattening;

/// <summary>
/// Produces row ids. Root ids follow the strategy (Hash and Fields exactly as Python transmog); every child id is
/// derived from its parent's id, its table and its position, so it is unique and the same on every pass of a run
/// (under Random too: the run's seed makes root ids repeatable across passes).
/// </summary>
internal sealed class IdFactory
{
    private readonly IdGeneration _strategy;
    private readonly byte[] _seed;

    public IdFactory(IdGeneration strategy, ReadOnlySpan<byte> runSeed)
    {
        _strategy = strategy;
        _seed = runSeed.ToArray();
    }

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
                Span<byte> input = stackalloc byte[_seed.Length + 8];
                _seed.CopyTo(input);
                BinaryPrimitives.WriteInt64LittleEndian(input[_seed.Length..], recordNumber);
                return ShapedGuid(input, version: 4);
        }
    }

    /// <summary>A generated id for a row of <paramref name="tableName"/> at <paramref name="index"/> under <paramref name="parent"/>.</summary>
    public static Guid Child(in RowId parent, string tableName, long index)
    {
        int nameLength = Encoding.UTF8.GetByteCount(tableName);
        int length = parent.Length + 1 + nameLength + 1 + 8;
        byte[]? rented = null;
        Span<byte> input = length <= 512 ? stackalloc byte[length] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        parent.CopyTo(input, out int written);
        input[written++] = (byte)'/';
        written += Encoding.UTF8.GetBytes(tableName, input[written..]);
        input[written++] = (byte)'/';
        BinaryPrimitives.WriteInt64LittleEndian(input[written..], index);
        written += 8;
        Guid id = UuidV5.Create(UuidV5.TransmogNamespace, input[..written]);
        if (rented is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }

        return id;
    }

    /// <summary>A UUID of the given version and RFC 4122 variant from the SHA-1 of <paramref name="input"/>.</summary>
    private static Guid ShapedGuid(ReadOnlySpan<byte> input, int version)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | (version << 4));
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
