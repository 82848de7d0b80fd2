using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Transmog.Data.Rows;

/// <summary>
/// One table's rows kept for later: in memory (the in-memory result) or in a temporary spill file that is deleted
/// on dispose. Chunks are <c>[int32 bytes][int32 rows][rows]</c>, rows in <see cref="RowBuffer"/> format.
/// </summary>
internal sealed class RowStore : IDisposable
{
    private readonly Stream _stream;
    private readonly string? _path;
    private bool _sealed;
    private bool _readFrom;
    private bool _disposed;
    private long _finalBytes;

    private RowStore(Stream stream, string? path)
    {
        _stream = stream;
        _path = path;
    }

    public long Rows { get; private set; }

    public long Bytes => _disposed ? _finalBytes : _stream.Length;

    /// <summary>The spill file's path; <c>null</c> in memory.</summary>
    public string? FilePath => _path;

    public static RowStore InMemory() => new(new MemoryStream(), null);

    /// <summary>A spill file in <paramref name="directory"/> (the system temp directory when <c>null</c>).</summary>
    public static RowStore SpillFile(string? directory)
    {
        (string path, FileStream stream) = TemporaryFiles.Create(directory, "spill", ".rows", FileShare.Read, "a spill file");
        return new RowStore(stream, path);
    }

    /// <summary>Appends committed rows.</summary>
    public void Append(ReadOnlySpan<byte> rows, int count)
    {
        if (count == 0)
        {
            return;
        }

        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(header, rows.Length);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], count);
        try
        {
            _stream.Write(header);
            _stream.Write(rows);
        }
        catch (IOException ex)
        {
            throw new TransmogException($"Writing rows to the spill file '{_path}' failed (disk full?): {ex.Message}", ex);
        }

        Rows += count;
    }

    /// <summary>Makes every row appended so far visible to a reader opened with <see cref="OpenTailSource"/>.</summary>
    public void Flush()
    {
        try
        {
            _stream.Flush();
        }
        catch (IOException ex)
        {
            throw new TransmogException($"Writing rows to the spill file '{_path}' failed (disk full?): {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A reader of a spill file's rows from the start while rows are still appended: it may read only chunks
    /// appended and flushed (<see cref="Flush"/>) before each <see cref="IRowSource.TryFill"/>.
    /// </summary>
    public IRowSource OpenTailSource()
    {
        if (_path is null)
        {
            throw new InvalidOperationException("Only a spill file can be read while it is appended to.");
        }

        // Unbuffered: a buffer filled near the end of what is written would go stale as the file grows.
        return new Source(new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 0), null);
    }

    /// <summary>A reader of the stored rows from the start; the store accepts no more rows after this.</summary>
    public IRowSource OpenSource()
    {
        if (!_sealed)
        {
            try
            {
                _stream.Flush();
            }
            catch (IOException ex)
            {
                throw new TransmogException($"Writing rows to the spill file '{_path}' failed (disk full?): {ex.Message}", ex);
            }

            _sealed = true;
        }

        if (_stream is MemoryStream memory)
        {
            return new Source(new MemoryStream(memory.GetBuffer(), 0, (int)memory.Length, writable: false), null);
        }

        // Read once, front to back: the pages of rows read go back to the system as the reading goes on, so a second
        // reader would find holes.
        if (_readFrom)
        {
            throw new InvalidOperationException("The rows of a spill file can be read once.");
        }

        _readFrom = true;
        SafeFileHandle written = ((FileStream)_stream).SafeFileHandle;
        return new Source(new FileStream(_path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16), written);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _finalBytes = _stream.Length;
        _disposed = true;
        if (_path is not null)
        {
            TemporaryFiles.Remove(_path);
        }

        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Disposing flushes the write buffer; on a full disk that fails. The file is temporary and is deleted
            // on close all the same: never let this hide the error that stopped the run.
        }
    }

    /// <param name="stream">Where the rows are read.</param>
    /// <param name="written">The spill file as written (open for writing), whose read front is freed
    /// (<see cref="SpillHoles"/>); <c>null</c> to keep everything.</param>
    private sealed class Source(Stream stream, SafeFileHandle? written) : IRowSource
    {
        private long _freed;

        public bool TryFill(RowBatch batch)
        {
            if (written is not null && stream.Position - _freed >= SpillHoles.Step)
            {
                // Whole steps only (batches are copies, so nothing read is in use; steps keep the calls few).
                long upTo = stream.Position - (stream.Position % SpillHoles.Step);
                if (!SpillHoles.TryPunch(written, _freed, upTo - _freed))
                {
                    written = null;
                }

                _freed = upTo;
            }

            Span<byte> header = stackalloc byte[8];
            if (stream.ReadAtLeast(header, 8, throwOnEndOfStream: false) < 8)
            {
                return false;
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(header);
            batch.EnsureCapacity(length);
            stream.ReadExactly(batch.Data, 0, length);
            batch.Length = length;
            batch.Rows = BinaryPrimitives.ReadInt32LittleEndian(header[4..]);
            return true;
        }

        public void Dispose() => stream.Dispose();
    }
}
