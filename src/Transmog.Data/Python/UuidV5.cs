using System.Buffers;
using System.Security.Cryptography;

namespace Transmog.Data.Python;

/// <summary>
/// Name-based UUIDs, version 5 (SHA-1), as specified by RFC 4122 §4.3 and produced by Python's
/// <c>uuid.uuid5(namespace, name)</c>: the namespace id is hashed as its 16 big-endian (network order) bytes,
/// followed by the name's UTF-8 bytes; the first 16 bytes of the digest get version 5 and the RFC 4122 variant.
/// </summary>
internal static class UuidV5
{
    /// <summary>The namespace Python transmog uses for its deterministic ids: <c>a9b8c7d6-e5f4-1234-abcd-0123456789ab</c>.</summary>
    public static readonly Guid TransmogNamespace = new("a9b8c7d6-e5f4-1234-abcd-0123456789ab");

    /// <summary>Number of bytes a namespace id occupies in front of the name in the hashed input.</summary>
    public const int NamespaceLength = 16;

    private const int StackLimit = 512;

    /// <summary>Creates the version 5 UUID of <paramref name="nameUtf8"/> in the namespace <paramref name="namespaceId"/>.</summary>
    /// <param name="namespaceId">The namespace id (its canonical text form is hashed in RFC 4122 byte order).</param>
    /// <param name="nameUtf8">The name, already encoded as UTF-8.</param>
    /// <returns>The same id as Python's <c>uuid.uuid5(namespaceId, name)</c>.</returns>
    public static Guid Create(Guid namespaceId, ReadOnlySpan<byte> nameUtf8)
    {
        int length = NamespaceLength + nameUtf8.Length;
        byte[]? rented = null;
        Span<byte> buffer = length <= StackLimit
            ? stackalloc byte[StackLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            WriteNamespace(namespaceId, buffer);
            nameUtf8.CopyTo(buffer[NamespaceLength..]);
            return CreateFromNamespacedName(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Writes the 16 RFC 4122 (big-endian) bytes of <paramref name="namespaceId"/> to the start of <paramref name="destination"/>.
    /// </summary>
    /// <param name="namespaceId">The namespace id.</param>
    /// <param name="destination">At least <see cref="NamespaceLength"/> bytes.</param>
    public static void WriteNamespace(Guid namespaceId, Span<byte> destination)
    {
        if (!namespaceId.TryWriteBytes(destination, bigEndian: true, out _))
        {
            throw new ArgumentException("The destination must hold at least 16 bytes.", nameof(destination));
        }
    }

    /// <summary>
    /// Creates a version 5 UUID from a buffer that already holds the namespace bytes (see <see cref="WriteNamespace"/>)
    /// followed by the UTF-8 name; this lets callers that build the name themselves avoid a copy.
    /// </summary>
    /// <param name="namespaceAndName">The 16 namespace bytes followed by the UTF-8 name.</param>
    /// <returns>The version 5 UUID.</returns>
    public static Guid CreateFromNamespacedName(ReadOnlySpan<byte> namespaceAndName)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(namespaceAndName, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }
}
