using System.Text.Json;

namespace Transmog.Data.Input;

/// <summary>
/// Reads records and parses each into a <see cref="JsonDocument"/> over pooled memory; JSON syntax errors of a
/// JSON Lines record are mapped to their line, column and byte offset. Can hold the first records back in memory
/// and replay them (for windowed schema inference over a stream that can be read once).
/// </summary>
internal sealed class RecordParser : IDisposable
{
    private readonly RecordReader _reader;
    private readonly Queue<(RawRecord Record, RejectedRecord[] RejectsBefore)> _replay = new();

    // Reader rejects found after the last held record: served once the replay is over, before any later record.
    private RejectedRecord[] _rejectsAfterHeld = [];

    public RecordParser(JsonInput input, TransmogOptions options)
    {
        InputFormat format = input.Format;
        if (format == InputFormat.Auto)
        {
            format = input switch
            {
                JsonInput.FileInput file => file.FormatFromName(),
                JsonInput.RecordsInput or JsonInput.AsyncRecordsInput => InputFormat.JsonLines,
                _ => InputFormat.Auto,
            };
        }

        BytesStream = new CountingStream(input.OpenBytes());
        _reader = new RecordReader(BytesStream, format, options);
        Options = options;
    }

    public TransmogOptions Options { get; }

    /// <summary>Options for parsing a record, matching the reader's.</summary>
    public JsonDocumentOptions DocumentOptions => _reader.DocumentOptions;

    /// <summary>The decompressed input bytes read so far.</summary>
    public CountingStream BytesStream { get; }

    /// <summary>Rejects found by the reader itself (non-objects, syntax errors under Skip), taken by the caller.</summary>
    public List<RejectedRecord> ReaderRejects => _reader.Rejects;

    /// <summary>Reads up to <paramref name="count"/> records into memory to be served again; returns them.</summary>
    public List<RawRecord> Prefetch(int count)
    {
        var held = new List<RawRecord>();
        while (held.Count < count && _reader.TryRead(out RawRecord raw))
        {
            byte[] copy = raw.Utf8.ToArray();
            var record = new RawRecord(copy, raw.Number, raw.Line, raw.Column, raw.ByteOffset, raw.Path);
            held.Add(record);

            // The reader's rejects came before this record: replayed with it, so that they stay in input order.
            _replay.Enqueue((record, [.. _reader.Rejects]));
            _reader.Rejects.Clear();
        }

        _rejectsAfterHeld = [.. _reader.Rejects];
        _reader.Rejects.Clear();
        return held;
    }

    /// <summary>The next record's raw text (replayed ones first), or <c>false</c> at the end.</summary>
    public bool TryNextRaw(out RawRecord record)
    {
        if (_replay.TryDequeue(out var held))
        {
            _reader.Rejects.AddRange(held.RejectsBefore);
            record = held.Record;
            return true;
        }

        if (_rejectsAfterHeld.Length > 0)
        {
            _reader.Rejects.AddRange(_rejectsAfterHeld);
            _rejectsAfterHeld = [];
        }

        return _reader.TryRead(out record);
    }

    /// <summary>A JSON syntax error inside a record, mapped from the record's own lines to the input's.</summary>
    internal static TransmogInputException SyntaxError(JsonException ex, in RawRecord record)
    {
        // The reader starts at the record's first byte: map its line and byte-in-line to absolute ones.
        long lineInRecord = ex.LineNumber ?? 0;
        long posInLine = ex.BytePositionInLine ?? 0;
        int index = RecordReader.IndexOf(record.Utf8.Span, lineInRecord, posInLine);
        long line = record.Line + lineInRecord;
        long column = lineInRecord == 0 ? record.Column + posInLine : posInLine + 1;
        var position = new SourcePosition(line, column, record.ByteOffset + index, record.Number, record.Path);
        return new TransmogInputException("Invalid JSON on line " + line + ": " + RecordReader.FirstSentence(ex.Message), position, ex);
    }

    public void Dispose() => _reader.Dispose();
}
