namespace Transmog.Data.Input;

/// <summary>
/// One task's share of a several-file input (<see cref="JsonInput.Shard"/>): computed by every task alone, with no
/// coordination, from the file list and the files' sizes, so every task of a run gets the same plan.
/// </summary>
/// <remarks>
/// <para>The files, in the input's order, are laid end to end; their total stored size is cut into
/// <c>count</c> ranges of (nearly) equal bytes, range <c>k</c> being <c>[floor(k·T/N), floor((k+1)·T/N))</c>.</para>
/// <para>A file that can be split at newlines (uncompressed JSON Lines, see <see cref="IsSplittable"/>) gives each range
/// that overlaps it the lines that start inside the range: a range that begins inside a line skips to the next line
/// start, and a range reads on past its end to finish the line that straddles it (the rule of Hadoop's
/// <c>LineRecordReader</c>, stated on line starts). So each line is read by exactly one task. Any other file (compressed,
/// a single document, an array, a value stream, UTF-16/32) goes whole to the range that holds its first byte.</para>
/// </remarks>
internal static class ShardPlan
{
    /// <summary>The files (or parts of files) of task <paramref name="index"/> of <paramref name="count"/>, in input order.</summary>
    public static IReadOnlyList<InputFile> For(IReadOnlyList<InputFile> files, int index, int count, InputFormat format, TransmogOptions options)
    {
        var sizes = new long[files.Count];
        long total = 0;
        for (int i = 0; i < files.Count; i++)
        {
            sizes[i] = SizeOf(files[i]);
            total += sizes[i];
        }

        long start = RangeStart(index, count, total);
        long end = RangeStart(index + 1, count, total);
        var share = new List<InputFile>();
        long fileStart = 0;
        for (int i = 0; i < files.Count; i++)
        {
            long fileEnd = fileStart + sizes[i];
            if (sizes[i] > 0 && options.RecordsPath is null && IsSplittable(files[i], format))
            {
                long from = Math.Max(start, fileStart);
                long to = Math.Min(end, fileEnd);
                if (from < to)
                {
                    share.Add(files[i] with { Range = new ByteRange(from - fileStart, to - fileStart) });
                }
            }
            else if (Owner(fileStart, count, total) == index)
            {
                share.Add(files[i]);
            }

            fileStart = fileEnd;
        }

        return share;
    }

    /// <summary>The first byte of range <paramref name="k"/> of <paramref name="count"/> over <paramref name="total"/> bytes.</summary>
    internal static long RangeStart(int k, int count, long total) => (long)((UInt128)(ulong)total * (ulong)k / (ulong)count);

    /// <summary>
    /// The range holding byte <paramref name="offset"/>: the last non-empty range starting at or before it (so the end
    /// of the input, where an empty file may sit, belongs to the last non-empty range; with no bytes at all, to 0).
    /// </summary>
    internal static int Owner(long offset, int count, long total)
    {
        int owner = 0;
        for (int k = 0; k < count; k++)
        {
            long start = RangeStart(k, count, total);
            if (start <= offset && start < RangeStart(k + 1, count, total))
            {
                owner = k;
            }
        }

        return owner;
    }

    private static long SizeOf(InputFile file)
    {
        try
        {
            return new FileInfo(file.Path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file that cannot be read still has its place (size 0): the task that owns it reports the error.
            return 0;
        }
    }

    /// <summary>
    /// Whether a file can be split at newlines: JSON Lines by its name (<c>.jsonl</c>, <c>.ndjson</c>) or by the input's
    /// format, and stored as plain UTF-8 (no gzip or zstd magic, not <c>.br</c>, no UTF-16/32 byte order mark).
    /// </summary>
    internal static bool IsSplittable(InputFile file, InputFormat format)
    {
        if (format != InputFormat.JsonLines && (format != InputFormat.Auto || file.Open().FormatFromName() != InputFormat.JsonLines))
        {
            return false;
        }

        if (file.Path.EndsWith(".br", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] head;
        try
        {
            using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            head = Decompression.Peek(stream, 4);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return !(head is [0x1F, 0x8B, ..] or [0x28, 0xB5, 0x2F, 0xFD] or [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] or [0x00, 0x00, 0xFE, 0xFF]);
    }

    /// <summary>
    /// Where the lines of a range begin: the first line start at or after <paramref name="offset"/> (0 for 0; the file's
    /// length when no line starts there).
    /// </summary>
    /// <remarks>A line starts at 0 and after every LF; CRLF ends a line at its LF.</remarks>
    internal static long LineStartAtOrAfter(FileStream file, long offset)
    {
        if (offset <= 0)
        {
            return 0;
        }

        long length = file.Length;
        if (offset >= length)
        {
            return length;
        }

        // The line that byte offset - 1 ends (or is inside of) ends at the first LF at or after it.
        file.Position = offset - 1;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long position = offset - 1;
            while (true)
            {
                int n = file.Read(buffer, 0, buffer.Length);
                if (n == 0)
                {
                    return length;
                }

                int lf = buffer.AsSpan(0, n).IndexOf((byte)'\n');
                if (lf >= 0)
                {
                    return position + lf + 1;
                }

                position += n;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The number of LFs before <paramref name="offset"/>: the 1-based line of that offset is one more.</summary>
    /// <remarks>Read at memory speed (a vectorized count) only for a range that starts inside a file.</remarks>
    internal static long LinesBefore(FileStream file, long offset)
    {
        file.Position = 0;
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            long lines = 0;
            long left = offset;
            while (left > 0)
            {
                int n = file.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0)
                {
                    break;
                }

                lines += buffer.AsSpan(0, n).Count((byte)'\n');
                left -= n;
            }

            return lines;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>A part of a stored file: bytes <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive).</summary>
internal readonly record struct ByteRange(long Start, long End);
