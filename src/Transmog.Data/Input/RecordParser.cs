using System.Text.Json;

namespace Transmog.Data.Input;

/// <summary>
/// Reads records and parses each into a <see cref="JsonDocument"/> over pooled memory; JSON syntax errors of a
/// JSON Lines record are mapped to their line, column and byte offset. Can hold the first records back in memory
/// and replay them (for windowed schema inference over a stream that can be read once).
/// </summary>
internal sealed class RecordParser : IDisposable
{
    private readonly JsonInput _input;
    private readonly IReadOnlyList<InputFile>? _files;
    private readonly List<RejectedRecord> _rejects = [];
    private RecordReader _reader;
    private int _fileIndex;
    private long _bytesBefore;
    private long _recordsBefore;
    private readonly Queue<(RawRecord Record, RejectedRecord[] RejectsBefore)> _replay = new();

    // Reader rejects found after the last held record: served once the replay is over, before any later record.
    private RejectedRecord[] _rejectsAfterHeld = [];

    public RecordParser(JsonInput input, TransmogOptions options)
    {
        _input = input;
        Options = options;
        IReadOnlyList<InputFile>? several = input switch
        {
            JsonInput.FilesInput files => files.Files,
            JsonInput.ShardInput shard => shard.Plan(options),
            _ => null,
        };
        if (several is not null)
        {
            // Several files: read one after another, each with its own reader (format, compression, encoding,
            // positions of its own), record numbers going on.
            _files = several;
            _fileIndex = -1;
            BytesStream = new CountingStream(Stream.Null);
            _reader = new RecordReader(BytesStream, InputFormat.Auto, options, rejects: _rejects);
            return;
        }

        // A single file is named in positions, rejects and the source column as a file named explicitly among several
        // is: its path as given (the name Position ids of a single file are made of, too).
        string? fileName = (input as JsonInput.FileInput)?.Path;
        Stream bytes;
        try
        {
            bytes = input.OpenBytes();
        }
        catch (TransmogInputException ex) when (fileName is not null)
        {
            throw new TransmogInputException(ex.Reason, ex.Position with { Line = 1, Column = 1, File = fileName }, ex.InnerException);
        }

        BytesStream = new CountingStream(bytes);
        _reader = new RecordReader(BytesStream, FormatOf(input, input), options, fileName, rejects: _rejects);
    }

    private static InputFormat FormatOf(JsonInput input, JsonInput source)
    {
        InputFormat format = input.Format;
        if (format == InputFormat.Auto)
        {
            format = source switch
            {
                JsonInput.FileInput file => file.FormatFromName(),
                JsonInput.RecordsInput or JsonInput.AsyncRecordsInput or JsonInput.IJsonLinesSource => InputFormat.JsonLines,
                _ => InputFormat.Auto,
            };
        }

        return format;
    }

    private RecordReader OpenFile(int index, long recordsBefore)
    {
        InputFile file = _files![index];
        JsonInput.FileInput input = file.Open();
        _fileIndex = index;
        if (file.Range is { } range)
        {
            return OpenRange(file, range, recordsBefore);
        }

        Stream bytes;
        try
        {
            bytes = input.OpenBytes();
        }
        catch (TransmogInputException ex)
        {
            var position = ex.Position with { Line = 1, Column = 1, File = file.Name };
            throw new TransmogInputException(ex.Reason, position, ex.InnerException);
        }

        BytesStream = new CountingStream(bytes) { BytesBefore = _bytesBefore };
        return new RecordReader(BytesStream, FormatOf(_input, input), Options, file.Name, recordsBefore, _rejects);
    }

    /// <summary>
    /// A shard's part of an uncompressed JSON Lines file: the lines that start inside <paramref name="range"/>, the
    /// last one read to its end; positions are the file's own (lines before the part are counted).
    /// </summary>
    private RecordReader OpenRange(InputFile file, ByteRange range, long recordsBefore)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TransmogInputException($"Cannot open the input file '{file.Path}': {ex.Message}", new SourcePosition(1, 1, 0, 0, "$") { File = file.Name }, ex);
        }

        long from = ShardPlan.LineStartAtOrAfter(stream, range.Start);
        long to = Math.Max(from, ShardPlan.LineStartAtOrAfter(stream, range.End));
        long linesBefore = from == 0 ? 0 : ShardPlan.LinesBefore(stream, from);
        stream.Position = from;
        BytesStream = new CountingStream(new RangeStream(stream, to - from)) { BytesBefore = _bytesBefore };
        return new RecordReader(BytesStream, InputFormat.JsonLines, Options, file.Name, recordsBefore, _rejects, new SourceOrigin(from, linesBefore + 1));
    }

    /// <summary>
    /// The next record of the current file. With several files under <see cref="RecoveryMode.Skip"/>, a file the
    /// reader cannot go on in (not JSON at all, a syntax error it cannot resynchronise after, a corrupt compression)
    /// costs the rest of that file only: one reject naming the file and the place, and the next file is read.
    /// </summary>
    private bool TryReadFile(out RawRecord record)
    {
        try
        {
            return _reader.TryRead(out record);
        }
        catch (TransmogInputException ex) when (_files is not null && Options.RecoveryMode == RecoveryMode.Skip
            && !ex.Reason.Contains("MaxInputBytes", StringComparison.Ordinal))
        {
            _recordsBefore++;
            string reason = ex.Reason + "; the rest of the file is skipped";
            _rejects.Add(new RejectedRecord(ex.Position.RecordNumber > 0 ? ex.Position : ex.Position with { RecordNumber = _recordsBefore + _reader.RecordCount }, reason, []));
            record = default;
            return false;
        }
    }

    /// <summary>The next record of the input; with several files, of the next file when one ends.</summary>
    private bool TryRead(out RawRecord record)
    {
        while (!TryReadFile(out record))
        {
            if (_files is null || _fileIndex + 1 >= _files.Count)
            {
                return false;
            }

            long records = _recordsBefore + _reader.RecordCount;
            _bytesBefore = BytesStream.BytesRead;
            _reader.Dispose();
            _recordsBefore = records;
            try
            {
                _reader = OpenFile(_fileIndex + 1, records);
            }
            catch (TransmogInputException ex) when (Options.RecoveryMode == RecoveryMode.Skip)
            {
                // A file that cannot be opened among many: under Skip it is a reject naming the file, and the run goes on.
                _recordsBefore++;
                _rejects.Add(new RejectedRecord(ex.Position with { RecordNumber = _recordsBefore }, ex.Reason, []));
                BytesStream = new CountingStream(Stream.Null) { BytesBefore = _bytesBefore };
                _reader = new RecordReader(BytesStream, InputFormat.Auto, Options, rejects: _rejects);
            }
        }

        return true;
    }

    public TransmogOptions Options { get; }

    /// <summary>Options for parsing a record, matching the reader's.</summary>
    public JsonDocumentOptions DocumentOptions => _reader.DocumentOptions;

    /// <summary>The decompressed input bytes read so far (of every file so far, for several files).</summary>
    public CountingStream BytesStream { get; private set; }

    /// <summary>Rejects found by the reader itself (non-objects, syntax errors under Skip), taken by the caller.</summary>
    public List<RejectedRecord> ReaderRejects => _rejects;

    /// <summary>Reads up to <paramref name="count"/> records into memory to be served again; returns them.</summary>
    public List<RawRecord> Prefetch(int count)
    {
        var held = new List<RawRecord>();
        while (held.Count < count && TryRead(out RawRecord raw))
        {
            byte[] copy = raw.Utf8.ToArray();
            var record = new RawRecord(copy, raw.Number, raw.Line, raw.Column, raw.ByteOffset, raw.Path, raw.File, raw.Key);
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

        return TryRead(out record);
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
        var position = new SourcePosition(line, column, record.ByteOffset + index, record.Number, record.Path) { File = record.File };
        return new TransmogInputException("Invalid JSON on line " + line + ": " + RecordReader.FirstSentence(ex.Message), position, ex);
    }

    public void Dispose() => _reader.Dispose();
}
