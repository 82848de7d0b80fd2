using System.IO.Compression;
using System.IO.Hashing;

namespace Transmog.Data.Input;

/// <summary>
/// Recognises the compression of an input by its magic bytes, whatever the file is called: gzip (1F 8B) and zstd
/// (28 B5 2F FD); Brotli, which has none, by the file extension <c>.br</c>. Decompresses it as a stream on another
/// core, then transcodes UTF-16 and UTF-32 with a byte order mark to UTF-8 (<see cref="Transcoding"/>). Only a few
/// leading bytes are peeked and replayed, so a stream that cannot seek (stdin) works.
/// </summary>
internal static class Decompression
{
    private static ReadOnlySpan<byte> ZstdMagic => [0x28, 0xB5, 0x2F, 0xFD];

    /// <param name="raw">The input as stored.</param>
    /// <param name="name">The file name, if any: <c>.br</c> means Brotli.</param>
    public static Stream Wrap(Stream raw, string? name = null)
    {
        byte[] magic = Peek(raw, 4);
        Stream replayed = new PrefixedStream(magic, raw);
        Stream decompressed;
        if (magic.Length >= 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            // Decompression runs on another core, ahead of the parser.
            decompressed = new ReadAheadStream(new VerifiedGzipStream(replayed));
        }
        else if (magic.AsSpan().SequenceEqual(ZstdMagic))
        {
            decompressed = new ReadAheadStream(new DecodingGuardStream(new ZstdSharp.DecompressionStream(replayed, leaveOpen: false), "zstd"));
        }
        else if (name is not null && name.EndsWith(".br", StringComparison.OrdinalIgnoreCase))
        {
            decompressed = new ReadAheadStream(new DecodingGuardStream(new VerifiedBrotliStream(replayed), "Brotli"));
        }
        else
        {
            return Transcoding.Wrap(replayed);
        }

        return Transcoding.Wrap(decompressed);
    }

    /// <summary>Reads up to <paramref name="count"/> bytes (fewer only at the end of the stream).</summary>
    internal static byte[] Peek(Stream stream, int count)
    {
        byte[] bytes = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = stream.Read(bytes.AsSpan(read));
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read == count ? bytes : bytes[..read];
    }
}

/// <summary>
/// A gzip input whose end is checked. <see cref="GZipStream"/> returns end-of-stream, without an error, when the
/// compressed data stops early (a truncated download or copy), so a file cut at a record boundary would lose its
/// last records silently. This stream checks the last member's trailer (CRC-32 and length of its data, RFC 1952)
/// against what was decompressed and throws <see cref="InvalidDataException"/> when they disagree.
/// </summary>
/// <remarks>
/// Concatenated members (<c>cat a.gz b.gz</c>, bgzip) are decompressed by <see cref="GZipStream"/> as one stream; a
/// member ends where one of its reads ends, so the CRC-32 state is kept at every read boundary (12 bytes per read)
/// and the last member's CRC is derived from the running CRC and the state where that member began.
/// </remarks>
internal sealed class VerifiedGzipStream : ReadOnlyInputStream
{
    private readonly TailStream _raw;
    private readonly GZipStream _gzip;
    private readonly Crc32 _crc = new();
    private readonly List<(long Position, uint Crc)> _boundaries = [(0, 0)];
    private long _position;
    private bool _verified;

    public VerifiedGzipStream(Stream raw)
    {
        _raw = new TailStream(raw);
        _gzip = new GZipStream(_raw, CompressionMode.Decompress, leaveOpen: false);
    }

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("The input stream cannot seek.");
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        int n = _gzip.Read(buffer);
        if (n > 0)
        {
            _crc.Append(buffer[..n]);
            _position += n;
            _boundaries.Add((_position, _crc.GetCurrentHashAsUInt32()));
            return n;
        }

        if (!_verified)
        {
            _verified = true;
            Verify();
        }

        return 0;
    }

    private void Verify()
    {
        if (!_raw.TryGetTrailer(out uint expectedCrc, out uint expectedSize))
        {
            throw new InvalidDataException("truncated: it ends before its first member is complete.");
        }

        uint total = _crc.GetCurrentHashAsUInt32();
        for (int i = _boundaries.Count - 1; i >= 0; i--)
        {
            (long start, uint crcBefore) = _boundaries[i];
            long length = _position - start;
            if ((uint)length != expectedSize)
            {
                continue;
            }

            if (Crc32Math.Suffix(total, crcBefore, length) == expectedCrc)
            {
                return;
            }
        }

        throw new InvalidDataException(
            $"truncated or corrupt: its trailer does not match the {_position} bytes decompressed (CRC-32 or length differs).");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gzip.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>Passes reads through, remembering the last 8 bytes and the total read (the gzip trailer).</summary>
    private sealed class TailStream(Stream inner) : ReadOnlyInputStream
    {
        private readonly byte[] _tail = new byte[8];
        private long _total;

        public bool TryGetTrailer(out uint crc, out uint size)
        {
            // The smallest gzip member is 20 bytes: a 10-byte header, an empty deflate block, the 8-byte trailer.
            Span<byte> ordered = stackalloc byte[8];
            for (int i = 0; i < 8; i++)
            {
                ordered[i] = _tail[(int)((_total + i) % 8)];
            }

            crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(ordered);
            size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(ordered[4..]);
            return _total >= 20;
        }

        public override long Position
        {
            get => _total;
            set => throw new NotSupportedException("The input stream cannot seek.");
        }

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            for (int i = Math.Max(0, n - 8); i < n; i++)
            {
                _tail[(int)((_total + i) % 8)] = buffer[i];
            }

            _total += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>CRC-32 (IEEE, reflected) arithmetic after zlib's <c>crc32_combine</c>.</summary>
internal static class Crc32Math
{
    private const uint Polynomial = 0xEDB88320;

    /// <summary>
    /// The CRC-32 of the last <paramref name="length"/> bytes of a message, from the CRC of the whole message and the
    /// CRC of the part before them: <c>crc(B) = crc(AB) ^ crc(A)·x^(8·|B|) mod P</c>.
    /// </summary>
    public static uint Suffix(uint whole, uint prefix, long length) => whole ^ MultiplyModP(XPow8N(length), prefix);

    private static uint MultiplyModP(uint a, uint b)
    {
        uint m = 1u << 31;
        uint p = 0;
        while (true)
        {
            if ((a & m) != 0)
            {
                p ^= b;
                if ((a & (m - 1)) == 0)
                {
                    break;
                }
            }

            m >>= 1;
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }

        return p;
    }

    /// <summary>x^(8·n) modulo P, reflected.</summary>
    private static uint XPow8N(long n)
    {
        uint p = 1u << 31; // x^0
        int k = 3;          // x^(2^3) = x^8 per byte
        while (n != 0)
        {
            if ((n & 1) != 0)
            {
                p = MultiplyModP(XPow2K(k), p);
            }

            n >>= 1;
            k++;
        }

        return p;
    }

    /// <summary>x^(2^k) modulo P.</summary>
    private static uint XPow2K(int k)
    {
        uint p = 1u << 30; // x^1
        for (int i = 0; i < k; i++)
        {
            p = MultiplyModP(p, p);
        }

        return p;
    }
}
