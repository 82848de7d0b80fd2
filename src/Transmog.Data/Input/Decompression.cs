using System.IO.Compression;

namespace Transmog.Data.Input;

/// <summary>Recognises gzip by its magic bytes (1F 8B), whatever the file is called, and decompresses it as a stream.</summary>
internal static class Decompression
{
    public static Stream Wrap(Stream raw)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = 0;
        while (read < 2)
        {
            int n = raw.Read(magic[read..]);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        Stream replayed = new PrefixedStream(magic[..read].ToArray(), raw);
        // Decompression runs on another core, ahead of the parser.
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B
            ? new ReadAheadStream(new GZipStream(replayed, CompressionMode.Decompress, leaveOpen: false))
            : replayed;
    }
}
