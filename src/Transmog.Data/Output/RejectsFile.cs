using System.Text.Encodings.Web;
using System.Text.Json;

namespace Transmog.Data.Output;

/// <summary>Writes rejected records as JSON Lines: position (with the file, for several input files), error and raw text, one record per line.</summary>
internal sealed class RejectsFile : IDisposable
{
    /// <summary>The file name of rejects in an output directory.</summary>
    public const string FileName = "_rejects.jsonl";

    /// <summary>The folder of a shard's rejects (<c>_rejects/part-00003.jsonl</c>) in an output directory.</summary>
    public const string PartsFolder = "_rejects";

    private readonly Stream _stream;
    private readonly Utf8JsonWriter _writer;

    public RejectsFile(string path)
    {
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _writer = new Utf8JsonWriter(_stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public long Count { get; private set; }

    public void Write(RejectedRecord reject)
    {
        _writer.Reset(_stream);
        _writer.WriteStartObject();
        if (reject.Position.File is { } file)
        {
            // A file input (one file or several): which file.
            _writer.WriteString("file", file);
        }

        _writer.WriteNumber("record", reject.Position.RecordNumber);
        _writer.WriteNumber("line", reject.Position.Line);
        _writer.WriteNumber("column", reject.Position.Column);
        _writer.WriteNumber("byte_offset", reject.Position.ByteOffset);
        _writer.WriteString("path", reject.Position.JsonPath);
        _writer.WriteString("error", reject.Error);
        _writer.WriteString("raw", reject.RawText);
        _writer.WriteEndObject();
        _writer.Flush();
        _stream.WriteByte((byte)'\n');
        Count++;
    }

    public void Dispose()
    {
        _writer.Dispose();
        _stream.Dispose();
    }
}
