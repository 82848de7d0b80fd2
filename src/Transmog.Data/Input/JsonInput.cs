using System.Text;
using System.Text.Json;
using Transmog.Data.Input;

namespace Transmog.Data;

/// <summary>
/// Where the JSON comes from: a file, a stream, a string, UTF-8 bytes, or records already parsed. Files and streams
/// may be gzip- or zstd-compressed (recognised by their first bytes, whatever the name), files named <c>.br</c>
/// Brotli-compressed; UTF-16 and UTF-32 text with a byte order mark is transcoded to UTF-8 as it is read.
/// </summary>
/// <remarks>
/// An input that can be opened more than once (<see cref="CanReopen"/>: files, strings, bytes, collections) gets an
/// exact schema scan before rows are served; a stream that can be read once gets windowed inference
/// (<see cref="TransmogOptions.SchemaInference"/>).
/// </remarks>
public abstract partial class JsonInput
{
    private protected JsonInput()
    {
    }

    /// <summary>A short description for messages: the file name, or the kind of input.</summary>
    public abstract string Description { get; }

    /// <summary>Whether the input can be opened again from its start (a second pass reads the same data).</summary>
    public abstract bool CanReopen { get; }

    /// <summary>The layout hint: files named <c>.jsonl</c>/<c>.ndjson</c> (optionally <c>.gz</c>, <c>.zst</c>, <c>.br</c>) are JSON Lines.</summary>
    public InputFormat Format { get; init; } = InputFormat.Auto;

    /// <summary>The size of the input in bytes as stored (compressed size for gzip), if known; for progress.</summary>
    public virtual long? Length => null;

    /// <summary>A JSON, JSON Lines or gzip file.</summary>
    /// <param name="path">The file's path.</param>
    public static JsonInput FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileInput(path);
    }

    /// <summary>A stream read once from its current position; it is disposed with the run unless <paramref name="leaveOpen"/>.</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="leaveOpen">Leave the stream open when done.</param>
    public static JsonInput FromStream(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new StreamInput(stream, leaveOpen);
    }

    /// <summary>JSON text.</summary>
    /// <param name="json">The text.</param>
    public static JsonInput FromString(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new BytesInput(Encoding.UTF8.GetBytes(json), "JSON text");
    }

    /// <summary>UTF-8 JSON bytes (optionally gzip-compressed).</summary>
    /// <param name="utf8">The bytes; not copied, so do not change them during the run.</param>
    public static JsonInput FromBytes(ReadOnlyMemory<byte> utf8) => new BytesInput(utf8, "UTF-8 bytes");

    /// <summary>Records already parsed; each element must be a JSON object.</summary>
    /// <param name="records">The records. A collection (<see cref="IReadOnlyCollection{T}"/>) can be read twice; any other sequence once.</param>
    public static JsonInput FromRecords(IEnumerable<JsonElement> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return new RecordsInput(records);
    }

    /// <summary>Records arriving asynchronously; read once.</summary>
    /// <param name="records">The records; each must be a JSON object.</param>
    public static JsonInput FromRecords(IAsyncEnumerable<JsonElement> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return new AsyncRecordsInput(records);
    }

    /// <summary>Opens the input's decompressed bytes. Called once per pass.</summary>
    internal abstract Stream OpenBytes();

    internal sealed class FileInput(string path) : JsonInput
    {
        public string Path { get; } = path;

        public override string Description => System.IO.Path.GetFileName(Path);

        public override bool CanReopen => true;

        public override long? Length => File.Exists(Path) ? new FileInfo(Path).Length : null;

        internal InputFormat FormatFromName()
        {
            string name = Path;
            foreach (string compressed in (ReadOnlySpan<string>)[".gz", ".zst", ".br"])
            {
                if (name.EndsWith(compressed, StringComparison.OrdinalIgnoreCase))
                {
                    name = name[..^compressed.Length];
                    break;
                }
            }

            return name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
                ? InputFormat.JsonLines
                : InputFormat.Auto;
        }

        internal override Stream OpenBytes()
        {
            FileStream file;
            try
            {
                file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new TransmogInputException($"Cannot open the input file '{Path}': {ex.Message}", new SourcePosition(0, 0, 0, 0, "$"), ex);
            }

            return Decompression.Wrap(file, Path);
        }
    }

    internal sealed class StreamInput(Stream stream, bool leaveOpen) : JsonInput
    {
        private bool _opened;

        public override string Description => "stream";

        public override bool CanReopen => false;

        public override long? Length => stream.CanSeek ? stream.Length - stream.Position : null;

        internal override Stream OpenBytes()
        {
            if (_opened)
            {
                throw new InvalidOperationException("A stream input can be read only once.");
            }

            _opened = true;
            return Decompression.Wrap(leaveOpen ? new NonClosingStream(stream) : stream);
        }
    }

    internal sealed class BytesInput(ReadOnlyMemory<byte> bytes, string description) : JsonInput
    {
        public override string Description => description;

        public override bool CanReopen => true;

        public override long? Length => bytes.Length;

        internal override Stream OpenBytes() => Decompression.Wrap(new ReadOnlyMemoryStream(bytes));
    }

    internal sealed class RecordsInput(IEnumerable<JsonElement> records) : JsonInput
    {
        public IEnumerable<JsonElement> Records { get; } = records;

        public override string Description => "records";

        public override bool CanReopen => Records is IReadOnlyCollection<JsonElement> or ICollection<JsonElement>;

        internal override Stream OpenBytes() => new RecordsStream<JsonElement>(Records.GetEnumerator(), static (writer, record) => record.WriteTo(writer));
    }

    internal sealed class AsyncRecordsInput(IAsyncEnumerable<JsonElement> records) : JsonInput
    {
        public override string Description => "records";

        public override bool CanReopen => false;

        // The flattening loop is synchronous per record; records are pulled on the pass's thread.
        internal override Stream OpenBytes() => new RecordsStream<JsonElement>(Blocking(records).GetEnumerator(), static (writer, record) => record.WriteTo(writer));

        /// <summary>An async sequence pulled on the pass's thread.</summary>
        internal static IEnumerable<T> Blocking<T>(IAsyncEnumerable<T> source)
        {
            IAsyncEnumerator<T> e = source.GetAsyncEnumerator();
            try
            {
                while (e.MoveNextAsync().AsTask().GetAwaiter().GetResult())
                {
                    yield return e.Current;
                }
            }
            finally
            {
                e.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
