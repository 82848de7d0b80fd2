using System.Buffers.Binary;
using Parquet;
using Parquet.Schema;
using Transmog.Data.Rows;

namespace Transmog.Data.Output;

/// <summary>
/// Writes one Parquet file as a run of segments, one Parquet.Net writer per row group, and the file's footer itself:
/// each segment's footer is cut down to its row group (offsets moved to where the segment lies in the file), kept in
/// a temporary file, and the footer is put together from them at the end.
/// </summary>
/// <remarks>
/// Why: a Parquet.Net writer keeps every row group's metadata as objects until its file ends, about half a kilobyte
/// per column per row group: 50 MB for the 245 columns of 1 GB of tweets, ten times that at 10 GB, so the writer's
/// memory grew with the input. Here no row group's metadata outlives its own writer; the serialized row groups (a
/// twentieth of that) wait on disk. The file is the one a single writer (with the same footer changes) writes, byte for
/// byte: compared on generated and real inputs at 100 rows per row group when this replaced the single writer.
/// </remarks>
internal sealed class ParquetSegments : IAsyncDisposable
{
    private readonly Stream _output;
    private readonly ParquetSchema _schema;
    private readonly ParquetOptions _options;
    private readonly IReadOnlyList<int> _jsonColumns;
    private readonly IReadOnlyList<int> _uuidColumns;
    private TemporaryFile? _rowGroups;
    private byte[]? _template;
    private long _position;
    private long _rows;
    private int _count;

    public ParquetSegments(Stream output, ParquetSchema schema, ParquetOptions options, IReadOnlyList<int> jsonColumns, IReadOnlyList<int> uuidColumns)
    {
        _output = output;
        _schema = schema;
        _options = options;
        _jsonColumns = jsonColumns;
        _uuidColumns = uuidColumns;
    }

    /// <summary>Writes one row group as a segment of the file.</summary>
    /// <param name="write">Writes the row group's columns.</param>
    /// <param name="rows">The row group's rows.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task WriteRowGroupAsync(Func<ParquetRowGroupWriter, Task> write, int rows, CancellationToken cancellationToken)
    {
        long start = _position;
        byte[] footer = await WriteSegmentAsync(write, cancellationToken).ConfigureAwait(false);

        // The segment's writer counted from its own start, magic included; its data lies at `start` in the file.
        _rowGroups ??= TemporaryFile.Create();
        ParquetFooter.WriteRowGroup(footer, start - (_count == 0 ? 0 : 4), _count, _uuidColumns, _rowGroups.Stream);
        _template ??= footer;
        _rows += rows;
        _count++;
    }

    /// <summary>Writes the footer, its length and the magic; a file without row groups gets its magic first.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        // Without row groups the template comes from a writer that writes none (its magic starts the file).
        _template ??= await WriteSegmentAsync(null, cancellationToken).ConfigureAwait(false);
        _rowGroups ??= TemporaryFile.Create();

        using TemporaryFile footer = TemporaryFile.Create();
        long length = ParquetFooter.WriteCombined(_template, _jsonColumns, _rows, _count, _rowGroups.Stream, footer.Stream);
        footer.Stream.Position = 0;
        await footer.Stream.CopyToAsync(_output, cancellationToken).ConfigureAwait(false);

        byte[] end = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(end, checked((int)length));
        "PAR1"u8.CopyTo(end.AsSpan(4));
        await _output.WriteAsync(end, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        _rowGroups?.Dispose();
        _rowGroups = null;
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs one Parquet.Net writer over the output (its magic only when it starts the file) and returns the footer it wrote.</summary>
    private async Task<byte[]> WriteSegmentAsync(Func<ParquetRowGroupWriter, Task>? write, CancellationToken cancellationToken)
    {
        var segment = new SegmentStream(_output, keepMagic: _position == 0);
        ParquetWriter writer = await ParquetWriter.CreateAsync(_schema, segment, _options, append: false, cancellationToken).ConfigureAwait(false);
        try
        {
            if (write is not null)
            {
                using ParquetRowGroupWriter rowGroup = writer.CreateRowGroup();
                await write(rowGroup).ConfigureAwait(false);
            }
        }
        catch
        {
            // The writer goes without leaving a valid-looking end in the file, and its own failure to close (likely,
            // after a failed row group) must not hide the error that stopped the write.
            segment.Capture();
            try
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The first failure is the one to report.
            }

            throw;
        }

        // Its footer, length and magic are kept, not written: the file's footer is put together at the end.
        segment.Capture();
        await writer.DisposeAsync().ConfigureAwait(false);

        _position += segment.Written;
        return segment.Footer();
    }

    /// <summary>
    /// A write-only, non-seekable view of the output for one segment's writer (it then counts positions itself, from
    /// 0): drops the magic the writer starts with unless the segment starts the file, and keeps what is written after
    /// <see cref="Capture"/> (the footer, its length, the magic) instead of passing it on.
    /// </summary>
    private sealed class SegmentStream(Stream inner, bool keepMagic) : WriteOnlyStream
    {
        private int _magicToDrop = keepMagic ? 0 : 4;
        private bool _capturing;
        private MemoryStream? _captured;

        /// <summary>Bytes passed on to the output.</summary>
        public long Written { get; private set; }

        public void Capture() => _capturing = true;

        /// <summary>The serialized footer kept after <see cref="Capture"/>, checked against its length and magic.</summary>
        public byte[] Footer()
        {
            ReadOnlySpan<byte> tail = _captured is null ? [] : _captured.GetBuffer().AsSpan(0, (int)_captured.Length);
            if (tail.Length < 8 || !tail[^4..].SequenceEqual("PAR1"u8) || BinaryPrimitives.ReadInt32LittleEndian(tail[^8..]) != tail.Length - 8)
            {
                throw new InvalidDataException("Parquet.Net wrote a footer of an unexpected form.");
            }

            return tail[..^8].ToArray();
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
            buffer = DropMagic(buffer);
            if (_capturing)
            {
                (_captured ??= new MemoryStream()).Write(buffer);
            }
            else if (!buffer.IsEmpty)
            {
                inner.Write(buffer);
                Written += buffer.Length;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int drop = Math.Min(_magicToDrop, buffer.Length);
            if (drop > 0)
            {
                DropMagic(buffer.Span);
                buffer = buffer[drop..];
            }

            if (_capturing)
            {
                (_captured ??= new MemoryStream()).Write(buffer.Span);
                return ValueTask.CompletedTask;
            }

            Written += buffer.Length;
            return buffer.IsEmpty ? ValueTask.CompletedTask : inner.WriteAsync(buffer, cancellationToken);
        }

        private ReadOnlySpan<byte> DropMagic(ReadOnlySpan<byte> buffer)
        {
            int drop = Math.Min(_magicToDrop, buffer.Length);
            if (drop == 0)
            {
                return buffer;
            }

            if (!buffer[..drop].SequenceEqual("PAR1"u8.Slice(4 - _magicToDrop, drop)))
            {
                throw new InvalidDataException("Parquet.Net did not start a segment with the Parquet magic.");
            }

            _magicToDrop -= drop;
            return buffer[drop..];
        }
    }

    /// <summary>A temporary file deleted on dispose (and by an interrupted command line: <see cref="TemporaryFiles"/>).</summary>
    private sealed class TemporaryFile : IDisposable
    {
        private readonly string _path;

        private TemporaryFile(string path, FileStream stream)
        {
            _path = path;
            Stream = stream;
        }

        public FileStream Stream { get; }

        public static TemporaryFile Create()
        {
            (string path, FileStream stream) = TemporaryFiles.Create(null, "parquet", ".meta", FileShare.None, "a temporary file for the Parquet footer");
            return new TemporaryFile(path, stream);
        }

        public void Dispose()
        {
            TemporaryFiles.Remove(_path);
            Stream.Dispose();
        }
    }
}
