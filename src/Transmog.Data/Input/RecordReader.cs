using System.Buffers;
using System.Text.Json;

namespace Transmog.Data.Input;

/// <summary>
/// Splits a UTF-8 JSON stream into records without ever holding more than the largest record: a top-level array's
/// elements, a single object, JSON Lines, or a stream of values one after another (<see cref="InputFormat.ValueStream"/>). It tracks line, column and byte offset so that every error can say where.
/// </summary>
/// <remarks>
/// The buffer is rented from <see cref="ArrayPool{T}"/> and grows only when one record does not fit. Array
/// elements are found with <see cref="Utf8JsonReader.TrySkip"/> over the buffered bytes and a saved
/// <see cref="JsonReaderState"/>, so a 10 GB array streams in buffer-sized steps.
/// </remarks>
internal sealed partial class RecordReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;

    /// <summary>The deepest nesting the reader accepts.</summary>
    internal const int MaxNesting = 1000;

    private readonly Stream _stream;
    private readonly JsonReaderOptions _readerOptions;
    private readonly RecoveryMode _recovery;
    private readonly long _maxInputBytes;
    private PooledBuffer _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    // Absolute position of _buffer.Bytes[_start], with its line and column.
    private long _offset;
    private long _line = 1;

    // Where the stream starts in its file: positions are the file's; MaxInputBytes counts what this reader reads.
    private readonly long _offsetBase;
    private long _column = 1;

    private InputFormat _format;
    private bool _started;
    private bool _finished;
    private JsonReaderState _arrayState;
    private long _recordCount;

    // Positions name the file (any file input); several files read as one input: record numbers go on from the earlier files'.
    private readonly long _numberBase;
    private readonly string? _file;

    /// <param name="stream">The decompressed UTF-8 input.</param>
    /// <param name="format">The layout, or <see cref="InputFormat.Auto"/>.</param>
    /// <param name="options">The run's options.</param>
    /// <param name="file">The file's name for positions and the source column (<see cref="SourcePosition.File"/>), or <c>null</c> for input that is not a file.</param>
    /// <param name="recordsBefore">Records of the files read before this one (record numbers go on from there).</param>
    /// <param name="rejects">Where rejects go (shared by the readers of several files), or <c>null</c> for a list of its own.</param>
    /// <param name="origin">Where the stream starts in its file (a shard's part), or the file's start.</param>
    public RecordReader(Stream stream, InputFormat format, TransmogOptions options, string? file = null, long recordsBefore = 0, List<RejectedRecord>? rejects = null,
        SourceOrigin origin = default)
    {
        _stream = stream;
        _offset = origin.ByteOffset;
        _offsetBase = origin.ByteOffset;
        _line = Math.Max(1, origin.Line);
        _file = file;
        _numberBase = recordsBefore;
        Rejects = rejects ?? [];
        _format = format;
        _recovery = options.RecoveryMode;
        _maxInputBytes = options.MaxInputBytes ?? long.MaxValue;
        _readerOptions = new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.AllowComments ? JsonCommentHandling.Skip : JsonCommentHandling.Disallow,
            // The default (64) would reject legitimately deep records. Deeper than this is an input error, never a
            // stack overflow: flattening recurses only to TransmogOptions.MaxDepth and copies deeper data as text.
            MaxDepth = Math.Max(MaxNesting, options.MaxDepth + 1),
        };
        _buffer = new PooledBuffer(InitialBufferSize);
        if (options.RecordsPath is { } recordsPath)
        {
            _path = RecordsPath.Parse(recordsPath);
        }
    }

    /// <summary>The format in use, known after the first record.</summary>
    public InputFormat Format => _format;

    /// <summary>Options for parsing one record with <see cref="JsonDocument"/>, matching the reader's.</summary>
    public JsonDocumentOptions DocumentOptions => new()
    {
        AllowTrailingCommas = _readerOptions.AllowTrailingCommas,
        CommentHandling = _readerOptions.CommentHandling,
        MaxDepth = _readerOptions.MaxDepth,
    };

    /// <summary>Bad records seen and skipped by the reader itself (JSON Lines syntax errors under Skip).</summary>
    public List<RejectedRecord> Rejects { get; }

    /// <summary>Records read so far, bad ones included.</summary>
    public long RecordCount => _recordCount;

    /// <summary>Reads the next record. Its bytes stay valid until the next call.</summary>
    /// <returns><c>false</c> at the end of the input.</returns>
    public bool TryRead(out RawRecord record)
    {
        if (!_started)
        {
            Start();
        }

        record = default;
        if (_finished)
        {
            return false;
        }

        if (_path is not null)
        {
            return TryReadAtPath(out record);
        }

        return _format switch
        {
            InputFormat.Array => TryReadArrayElement(out record),
            InputFormat.JsonLines => TryReadLine(out record),
            InputFormat.ValueStream => TryReadValue(out record),
            _ => TryReadSingleObject(out record),
        };
    }

    private void Start()
    {
        _started = true;
        Fill(3);
        if (_end - _start >= 3 && _buffer.Bytes[_start] == 0xEF && _buffer.Bytes[_start + 1] == 0xBB && _buffer.Bytes[_start + 2] == 0xBF)
        {
            // A UTF-8 byte order mark is not content: skip it but count it in offsets.
            _start += 3;
            _offset += 3;
        }

        if (_format == InputFormat.JsonLines && _path is null)
        {
            return;
        }

        int first = _readerOptions.CommentHandling == JsonCommentHandling.Skip ? SkipWhitespaceAndComments() : SkipWhitespace();
        if (first < 0)
        {
            // Empty or whitespace-only input: no records, not an error.
            _finished = true;
            return;
        }

        byte c = _buffer.Bytes[_start + first];
        if (_path is not null)
        {
            StartPath(first);
            return;
        }

        if (_format == InputFormat.Auto)
        {
            if (c == (byte)'[')
            {
                _format = InputFormat.Array;
            }
            else if (c == (byte)'{')
            {
                _format = DetectObjectOrLines(first);
            }
            else
            {
                throw Error($"Expected a JSON object, an array of objects or JSON Lines, but the input starts with {Describe(c)}", _start + first, "$");
            }
        }

        if (_format != InputFormat.Array && first > 0 && _readerOptions.CommentHandling == JsonCommentHandling.Skip)
        {
            // Leading comments are not part of the first record (its line and offset start at its '{').
            Advance(first);
        }

        if (_format == InputFormat.Array)
        {
            Advance(first);
            if (_buffer.Bytes[_start] != (byte)'[')
            {
                throw Error($"Expected '[' to start an array of records, found {Describe(_buffer.Bytes[_start])}", _start, "$");
            }

            var reader = new Utf8JsonReader(_buffer.Bytes.AsSpan(_start, _end - _start), _eof, new JsonReaderState(_readerOptions));
            reader.Read();
            _arrayState = reader.CurrentState;
            Advance((int)reader.BytesConsumed);
        }
    }

    /// <summary>
    /// A document starting with '{' is one object, or the first of JSON Lines. Reads the first value (growing the
    /// buffer as needed, nothing is consumed) and looks at what follows it.
    /// </summary>
    private InputFormat DetectObjectOrLines(int first)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.Bytes.AsSpan(_start + first, _end - _start - first), _eof, new JsonReaderState(_readerOptions));
            bool complete;
            try
            {
                complete = reader.Read() && reader.TrySkip();
            }
            catch (JsonException)
            {
                // A syntax error in the first value: if there are several lines it is JSON Lines with a bad first
                // line (handled per line later); otherwise the single object is bad and the line reader reports it
                // just as precisely.
                return InputFormat.JsonLines;
            }

            if (complete)
            {
                int after = first + (int)reader.BytesConsumed;
                while (true)
                {
                    int rest = SkipWhitespaceFrom(after);
                    if (rest >= 0)
                    {
                        // Another value follows: JSON Lines when the first is alone on its line, else a value stream.
                        ReadOnlySpan<byte> value = _buffer.Bytes.AsSpan(_start + first, after - first);
                        ReadOnlySpan<byte> gap = _buffer.Bytes.AsSpan(_start + after, rest - after);
                        return value.IndexOfAny((byte)'\n', (byte)'\r') < 0 && gap.IndexOfAny((byte)'\n', (byte)'\r') >= 0
                            ? InputFormat.JsonLines
                            : InputFormat.ValueStream;
                    }

                    if (_eof)
                    {
                        return InputFormat.Object;
                    }

                    int consumedBefore = _start;
                    Fill(_end - _start + 1);
                    first -= consumedBefore - _start;
                    after -= consumedBefore - _start;
                }
            }

            if (_eof)
            {
                // Truncated: let the single-object path raise the precise error.
                return InputFormat.Object;
            }

            int before = _start;
            Fill(_end - _start + 1);
            first -= before - _start;
        }
    }

    private bool TryReadSingleObject(out RawRecord record)
    {
        int first = SkipWhitespace();
        if (first < 0)
        {
            _finished = true;
            record = default;
            return false;
        }

        Advance(first);
        if (_recordCount > 0)
        {
            throw Error("Unexpected content after the single top-level object", _start, "$");
        }

        if (_buffer.Bytes[_start] != (byte)'{')
        {
            throw Error($"Expected a JSON object, found {Describe(_buffer.Bytes[_start])}", _start, "$");
        }

        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.Bytes.AsSpan(_start, _end - _start), _eof, new JsonReaderState(_readerOptions));
            bool complete;
            try
            {
                complete = reader.Read() && reader.TrySkip();
            }
            catch (JsonException ex)
            {
                throw SyntaxError(ex, _start, "$", 1);
            }

            if (complete)
            {
                int length = (int)reader.BytesConsumed;
                record = MakeRecord(_start, length, "$");
                Advance(length);
                return true;
            }

            if (_eof)
            {
                throw Error("The JSON object is truncated: the input ends before it is closed", _end, "$");
            }

            Fill(_end - _start + 1);
        }
    }

    private bool TryReadArrayElement(out RawRecord record)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.Bytes.AsSpan(_start, _end - _start), _eof, _arrayState);
            bool read;
            try
            {
                read = reader.Read();
            }
            catch (JsonException ex)
            {
                TransmogInputException error = SyntaxError(ex, _start, $"$[{_recordCount}]", _recordCount + 1);
                if (RejectTruncatedTail(0, error))
                {
                    record = default;
                    return false;
                }

                throw error;
            }

            if (!read)
            {
                if (_eof)
                {
                    TransmogInputException error = Error("The top-level array is truncated: the input ends before ']'", _end, $"$[{_recordCount}]");
                    if (RejectTruncatedTail(0, error))
                    {
                        record = default;
                        return false;
                    }

                    throw error;
                }

                Fill(_end - _start + 1);
                continue;
            }

            if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0)
            {
                Advance((int)reader.BytesConsumed);
                int trailing = SkipWhitespace();
                if (trailing >= 0)
                {
                    throw Error("Unexpected content after the top-level array", _start + trailing, "$");
                }

                _finished = true;
                record = default;
                return false;
            }

            int tokenStart = (int)reader.TokenStartIndex;
            string path = $"$[{_recordCount}]";
            JsonTokenType tokenType = reader.TokenType;
            bool complete;
            try
            {
                complete = reader.TrySkip();
            }
            catch (JsonException ex)
            {
                TransmogInputException error = SyntaxError(ex, _start, path, _recordCount + 1);
                if (RejectTruncatedTail(tokenStart, error))
                {
                    record = default;
                    return false;
                }

                throw error;
            }

            if (!complete)
            {
                if (_eof)
                {
                    TransmogInputException error = Error("The top-level array is truncated: the input ends inside a record", _end, path);
                    if (RejectTruncatedTail(tokenStart, error))
                    {
                        record = default;
                        return false;
                    }

                    throw error;
                }

                Fill(_end - _start + 1);
                continue;
            }

            int length = (int)reader.BytesConsumed - tokenStart;
            if (tokenType != JsonTokenType.StartObject)
            {
                var position = PositionAt(_start + tokenStart, path, _recordCount + 1);
                var error = new TransmogInputException($"Expected JSON object at index {_recordCount}, got {Describe(tokenType)}", position);
                _recordCount++;
                if (_recovery == RecoveryMode.Strict)
                {
                    throw error;
                }

                Rejects.Add(new RejectedRecord(position, error.Reason, _buffer.Bytes.AsSpan(_start + tokenStart, length)));
                _arrayState = reader.CurrentState;
                Advance((int)reader.BytesConsumed);
                continue;
            }

            record = MakeRecord(_start + tokenStart, length, path);
            _arrayState = reader.CurrentState;
            Advance((int)reader.BytesConsumed);
            return true;
        }
    }

    /// <summary>
    /// Under <see cref="RecoveryMode.Skip"/>, a top-level array cut off at the end of the input (a truncated file)
    /// costs only its unfinished last record: the text from <paramref name="tokenStart"/> (relative to _start) to the
    /// end goes to the rejects and the input ends. A syntax error before the end stays fatal: an array cannot be
    /// resynchronised after it.
    /// </summary>
    private bool RejectTruncatedTail(int tokenStart, TransmogInputException error)
    {
        bool atEnd = _eof && error.ByteOffset >= _offset + (_end - _start) - 1;
        if (_recovery != RecoveryMode.Skip || !atEnd)
        {
            return false;
        }

        _recordCount++;
        int from = Math.Min(_start + tokenStart, _end);
        Rejects.Add(new RejectedRecord(error.Position with { RecordNumber = _numberBase + _recordCount }, error.Reason, _buffer.Bytes.AsSpan(from, _end - from)));
        Advance(_end - _start);
        _finished = true;
        return true;
    }

    private bool TryReadLine(out RawRecord record)
    {
        while (true)
        {
            int newline = _buffer.Bytes.AsSpan(_start, _end - _start).IndexOfAny((byte)'\n', (byte)'\r');
            if ((newline < 0 || (_buffer.Bytes[_start + newline] == (byte)'\r' && _start + newline + 1 == _end)) && !_eof)
            {
                // No line end yet, or a CR whose next byte (LF or not) is not read yet.
                Fill(_end - _start + 1);
                continue;
            }

            if (newline < 0 && _start == _end)
            {
                _finished = true;
                record = default;
                return false;
            }

            int lineLength = newline < 0 ? _end - _start : newline;
            int consumed = newline < 0 ? lineLength : lineLength + 1;
            if (newline >= 0 && _buffer.Bytes[_start + newline] == (byte)'\r' && _start + consumed < _end && _buffer.Bytes[_start + consumed] == (byte)'\n')
            {
                // CRLF is one line end; a lone CR is one too.
                consumed++;
            }
            ReadOnlySpan<byte> line = _buffer.Bytes.AsSpan(_start, lineLength);
            int contentStart = 0;
            while (contentStart < line.Length && IsWhitespace(line[contentStart]))
            {
                contentStart++;
            }

            int contentEnd = line.Length;
            while (contentEnd > contentStart && IsWhitespace(line[contentEnd - 1]))
            {
                contentEnd--;
            }

            if (contentStart < contentEnd && line[contentStart] == (byte)'/' && _readerOptions.CommentHandling == JsonCommentHandling.Skip)
            {
                // Comments leading a line are not part of its record; a line of comments only is a blank line.
                int afterComments = SkipLineComments(line[..contentEnd], contentStart);
                if (afterComments < 0)
                {
                    _recordCount++;
                    string unclosed = $"Invalid JSON on line {_line}: a comment must end on its line in JSON Lines ('/*' without '*/')";
                    var position = PositionAt(_start + contentStart, "$", _recordCount);
                    if (_recovery == RecoveryMode.Strict)
                    {
                        throw new TransmogInputException(unclosed, position);
                    }

                    Rejects.Add(new RejectedRecord(position, unclosed, line[contentStart..contentEnd]));
                    AdvanceLine(consumed, newline >= 0);
                    continue;
                }

                contentStart = afterComments;
            }

            if (contentStart == contentEnd)
            {
                AdvanceLine(consumed, newline >= 0);
                continue;
            }

            _recordCount++;
            int absStart = _start + contentStart;
            byte first = line[contentStart];
            if (first != (byte)'{')
            {
                string reason = first == (byte)'[' || first == (byte)'"' || first == (byte)'-' || (first >= (byte)'0' && first <= (byte)'9') || first == (byte)'t' || first == (byte)'f' || first == (byte)'n'
                    ? $"Expected JSON object on line {_line}, got {DescribeValueStart(first)}"
                    : $"Invalid JSON on line {_line}: a record must start with '{{', found {Describe(first)}";
                var position = PositionAt(absStart, "$", _recordCount);
                if (_recovery == RecoveryMode.Strict)
                {
                    throw new TransmogInputException(reason, position);
                }

                Rejects.Add(new RejectedRecord(position, reason, line[contentStart..contentEnd]));
                AdvanceLine(consumed, newline >= 0);
                continue;
            }

            // Syntax is checked when the record is parsed (RecordParser), which maps errors back to this line.
            record = MakeRecord(absStart, contentEnd - contentStart, "$");
            AdvanceLine(consumed, newline >= 0);
            return true;
        }
    }

    /// <summary>
    /// Under <see cref="TransmogOptions.AllowComments"/>, in JSON Lines: the index in <paramref name="line"/> (its
    /// content, trailing whitespace cut) of the first byte after the comments and whitespace from <paramref name="at"/>
    /// on; the line's length when nothing else is on it (a <c>//</c> comment runs to the line's end). A lone <c>/</c>
    /// is left for the caller to report. -1 when a <c>/*</c> comment is not closed on the line: every line of JSON
    /// Lines stands alone (a shard starts reading at any line start), so a comment cannot run on into the next.
    /// </summary>
    internal static int SkipLineComments(ReadOnlySpan<byte> line, int at)
    {
        while (at + 1 < line.Length && line[at] == (byte)'/')
        {
            if (line[at + 1] == (byte)'/')
            {
                return line.Length;
            }

            if (line[at + 1] != (byte)'*')
            {
                return at;
            }

            int close = line[(at + 2)..].IndexOf("*/"u8);
            if (close < 0)
            {
                return -1;
            }

            at += 2 + close + 2;
            while (at < line.Length && IsWhitespace(line[at]))
            {
                at++;
            }
        }

        return at;
    }

    /// <summary>
    /// The next value of a <see cref="InputFormat.ValueStream"/>: values follow one another separated by whitespace or
    /// nothing, so each one's end is found by a token scan (<see cref="Utf8JsonReader.TrySkip"/>).
    /// </summary>
    private bool TryReadValue(out RawRecord record)
    {
        while (true)
        {
            // Comments between values are skipped here, not by the value's reader: after the last value there is no
            // value left for a reader to skip them into.
            int first = _readerOptions.CommentHandling == JsonCommentHandling.Skip ? SkipWhitespaceAndComments() : SkipWhitespace();
            if (first < 0)
            {
                _finished = true;
                record = default;
                return false;
            }

            Advance(first);
            while (true)
            {
                var reader = new Utf8JsonReader(_buffer.Bytes.AsSpan(_start, _end - _start), _eof, new JsonReaderState(_readerOptions));
                bool complete;
                JsonTokenType tokenType = JsonTokenType.None;
                try
                {
                    complete = reader.Read();
                    tokenType = reader.TokenType;
                    complete = complete && reader.TrySkip();
                }
                catch (JsonException ex)
                {
                    _recordCount++;
                    TransmogInputException error = SyntaxError(ex, _start, "$", _recordCount);
                    if (_recovery == RecoveryMode.Strict)
                    {
                        throw error;
                    }

                    RejectToNextRecordLine(error);
                    break;
                }

                if (!complete)
                {
                    // Not final yet (a final block throws instead): the value goes on past the buffered bytes.
                    Fill(_end - _start + 1);
                    continue;
                }

                int length = (int)reader.BytesConsumed;
                if (tokenType != JsonTokenType.StartObject)
                {
                    _recordCount++;
                    var position = PositionAt(_start, "$", _recordCount);
                    var error = new TransmogInputException($"Expected JSON object as value {_recordCount} of the stream, got {Describe(tokenType)}", position);
                    if (_recovery == RecoveryMode.Strict)
                    {
                        throw error;
                    }

                    Rejects.Add(new RejectedRecord(position, error.Reason, _buffer.Bytes.AsSpan(_start, length)));
                    Advance(length);
                    break;
                }

                record = MakeRecord(_start, length, "$");
                Advance(length);
                return true;
            }
        }
    }

    /// <summary>
    /// Under <see cref="RecoveryMode.Skip"/>, after a syntax error in a value stream: the record's end cannot be known,
    /// so the text from the record's start up to the next line that starts with <c>{</c> (where <c>jq</c> and JSON
    /// Lines writers start records) is rejected, and reading resumes there. Without such a line the rest of the input
    /// is rejected with the record, and the reject says so.
    /// </summary>
    private void RejectToNextRecordLine(TransmogInputException error)
    {
        int from = 1;
        while (true)
        {
            ReadOnlySpan<byte> span = _buffer.Bytes.AsSpan(_start, _end - _start);
            int i = from;
            while (i < span.Length)
            {
                int nl = span[i..].IndexOfAny((byte)'\n', (byte)'\r');
                if (nl < 0 || i + nl + 1 >= span.Length)
                {
                    break;
                }

                int next = i + nl + 1;
                if (span[next] == (byte)'{')
                {
                    Rejects.Add(new RejectedRecord(error.Position, error.Reason, span[..next]));
                    Advance(next);
                    return;
                }

                i = next;
            }

            if (_eof)
            {
                string reason = error.Reason.StartsWith("Truncated", StringComparison.Ordinal)
                    ? error.Reason
                    : error.Reason + "; no later line starts with '{', so the rest of the input is rejected with this record";
                Rejects.Add(new RejectedRecord(error.Position, reason, span));
                Advance(span.Length);
                _finished = true;
                return;
            }

            // Keep the last byte: a line end there needs the byte after it.
            from = Math.Max(1, span.Length - 1);
            Fill(_end - _start + 1);
        }
    }

    private RawRecord MakeRecord(int start, int length, string path)
    {
        SourcePosition position = PositionAt(start, path, 0);
        long number = _numberBase + (_format == InputFormat.JsonLines ? _recordCount : ++_recordCount);
        return new RawRecord(_buffer.Bytes.AsMemory(start, length), number, position.Line, position.Column, position.ByteOffset, path, _file);
    }

    /// <summary>The position of an index of the buffer at or after <see cref="_start"/>.</summary>
    private SourcePosition PositionAt(int index, string path, long recordNumber)
    {
        ReadOnlySpan<byte> span = _buffer.Bytes.AsSpan(_start, index - _start);
        int newlines = span.Count((byte)'\n');
        long line = _line + newlines;
        long column = newlines == 0 ? _column + span.Length : span.Length - span.LastIndexOf((byte)'\n');
        return new SourcePosition(line, column, _offset + (index - _start), recordNumber > 0 ? _numberBase + recordNumber : 0, path) { File = _file };
    }

    private TransmogInputException Error(string reason, int index, string path) =>
        new(reason, PositionAt(Math.Min(index, _end), path, 0));

    private TransmogInputException SyntaxError(JsonException ex, int readerStart, string path, long recordNumber)
    {
        long lineInReader = ex.LineNumber ?? 0;
        long posInLine = ex.BytePositionInLine ?? 0;
        int index;
        if (_format == InputFormat.Array || _path is not null)
        {
            // The array's reader state carries line numbers from the start of the input: lines are absolute.
            long linesAhead = lineInReader + 1 - _line;
            index = _start;
            for (long l = 0; l < linesAhead && index < _end; l++)
            {
                int nl = _buffer.Bytes.AsSpan(index, _end - index).IndexOf((byte)'\n');
                if (nl < 0)
                {
                    break;
                }

                index += nl + 1;
            }

            index = linesAhead == 0 ? _start + (int)(posInLine - (_column - 1)) : index + (int)posInLine;
        }
        else
        {
            // A fresh reader counts lines and bytes from where it started.
            index = readerStart + IndexOf(_buffer.Bytes.AsSpan(readerStart, _end - readerStart), lineInReader, posInLine);
        }

        index = Math.Clamp(index, _start, _end);
        var position = PositionAt(index, path, recordNumber);
        string reason = _eof && index >= _end - 1
            ? "Truncated JSON: the input ends before the record is closed"
            : "Invalid JSON: " + FirstSentence(ex.Message);
        return new TransmogInputException(reason, position, ex);
    }

    /// <summary>The index in <paramref name="data"/> of byte <paramref name="posInLine"/> of its 0-based line <paramref name="line"/>.</summary>
    internal static int IndexOf(ReadOnlySpan<byte> data, long line, long posInLine)
    {
        int index = 0;
        for (long l = 0; l < line && index < data.Length; l++)
        {
            int nl = data[index..].IndexOf((byte)'\n');
            if (nl < 0)
            {
                break;
            }

            index += nl + 1;
        }

        return (int)Math.Min(data.Length, index + posInLine);
    }

    internal static string FirstSentence(string message)
    {
        // System.Text.Json appends its own "LineNumber: .. | BytePositionInLine: .." relative to a buffer; ours is absolute.
        int cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        string text = cut > 0 ? message[..cut] : message;
        return text.TrimEnd().TrimEnd('.');
    }

    private int SkipWhitespace() => SkipWhitespaceFrom(0, fill: true);

    private int SkipWhitespaceFrom(int relative) => SkipWhitespaceFrom(relative, fill: false);

    /// <summary>Finds the first non-whitespace byte at or after <paramref name="relative"/> (relative to _start); -1 if none.</summary>
    private int SkipWhitespaceFrom(int relative, bool fill)
    {
        while (true)
        {
            for (int i = _start + relative; i < _end; i++)
            {
                if (!IsWhitespace(_buffer.Bytes[i]))
                {
                    return i - _start;
                }
            }

            if (!fill || _eof)
            {
                return -1;
            }

            relative = _end - _start;
            Fill(_end - _start + 1);
        }
    }

    /// <summary>
    /// Under <see cref="TransmogOptions.AllowComments"/>: the first byte that is neither whitespace nor inside a
    /// <c>//</c> or <c>/* */</c> comment (relative to _start), so that a file may start with a comment; -1 if none.
    /// An unclosed comment or a lone <c>/</c> is left for the JSON reader to report.
    /// </summary>
    private int SkipWhitespaceAndComments()
    {
        int at = SkipWhitespace();
        while (at >= 0 && _buffer.Bytes[_start + at] == (byte)'/')
        {
            Fill(at + 2);
            if (_end - _start < at + 2)
            {
                return at;
            }

            byte kind = _buffer.Bytes[_start + at + 1];
            byte[] close = kind == (byte)'/' ? [(byte)'\n'] : kind == (byte)'*' ? [(byte)'*', (byte)'/'] : [];
            if (close.Length == 0)
            {
                return at;
            }

            int from = at + 2;
            int end;
            while ((end = _buffer.Bytes.AsSpan(_start + from, _end - _start - from).IndexOf(close)) < 0)
            {
                if (_eof)
                {
                    // A line comment may end the input; an unclosed block comment is the JSON reader's to report.
                    return kind == (byte)'/' ? -1 : at;
                }

                from = Math.Max(at + 2, _end - _start - close.Length + 1);
                Fill(_end - _start + 1);
            }

            at = SkipWhitespaceFrom(from + end + close.Length, fill: true);
        }

        return at;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    /// <summary>
    /// Moves <see cref="_start"/> past one line of JSON Lines: its only newline, if any, is its last byte, so the
    /// line count needs no scan of the line.
    /// </summary>
    private void AdvanceLine(int count, bool endsWithNewline)
    {
        if (endsWithNewline)
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column += count;
        }

        _start += count;
        _offset += count;
    }

    /// <summary>Moves <see cref="_start"/> forward, keeping line and column up to date.</summary>
    private void Advance(int count)
    {
        ReadOnlySpan<byte> span = _buffer.Bytes.AsSpan(_start, count);
        int last = span.LastIndexOf((byte)'\n');
        if (last >= 0)
        {
            _line += span.Count((byte)'\n');
            _column = count - last;
        }
        else
        {
            _column += count;
        }

        _start += count;
        _offset += count;
    }

    /// <summary>Ensures at least <paramref name="wanted"/> bytes from _start are buffered, unless the input ends first.</summary>
    private void Fill(int wanted)
    {
        while (_end - _start < wanted && !_eof)
        {
            if (_start > 0 && (_end == _buffer.Bytes.Length || _start > _buffer.Bytes.Length / 2))
            {
                Buffer.BlockCopy(_buffer.Bytes, _start, _buffer.Bytes, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Bytes.Length)
            {
                if (_buffer.Bytes.Length >= Array.MaxLength)
                {
                    throw Error($"A single record is larger than {Array.MaxLength} bytes, the most one record can hold", _start, "$");
                }

                // Full from its start (a buffer with room before _start was compacted above): double it.
                _buffer.EnsureCapacity(_end + 1, _end);
            }

            int read = ReadInput(_buffer.Bytes.AsSpan(_end));
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
            long total = _offset - _offsetBase - _start + _end;
            if (total > _maxInputBytes)
            {
                // Past the limit (a decompression bomb, a runaway stream): stop before the bytes are used.
                throw Error($"The input is larger than MaxInputBytes ({_maxInputBytes} bytes, decompressed)", _end - (int)(total - _maxInputBytes), "$");
            }
        }
    }

    /// <summary>Reads the input; a failure of the source (a dropped connection, a corrupt or truncated gzip) becomes an input error saying where.</summary>
    private int ReadInput(Span<byte> destination)
    {
        try
        {
            return _stream.Read(destination);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException)
        {
            string what = ex switch
            {
                InputDecodingException decoding => "Invalid " + decoding.Kind + " input",
                InvalidDataException => "Invalid gzip input",
                _ => "Reading the input failed",
            };
            throw new TransmogInputException(what + ": " + ex.Message.TrimEnd('.'), PositionAt(_end, "$", 0), ex);
        }
    }

    private static string Describe(byte b) => b switch
    {
        (byte)'[' => "an array",
        (byte)'"' => "a string",
        (byte)'t' or (byte)'f' => "a boolean",
        (byte)'n' => "null",
        _ when b is (byte)'-' or (>= (byte)'0' and <= (byte)'9') => "a number",
        _ when b >= 0x20 && b < 0x7F => $"'{(char)b}'",
        _ => $"byte 0x{b:X2}",
    };

    private static string DescribeValueStart(byte b) => b switch
    {
        (byte)'[' => "array",
        (byte)'"' => "string",
        (byte)'t' or (byte)'f' => "boolean",
        (byte)'n' => "null",
        _ => "number",
    };

    /// <summary>A token type in words, for messages.</summary>
    internal static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    public void Dispose()
    {
        _buffer.Return();
        _stream.Dispose();
    }
}

/// <summary>Where a reader's stream starts in its file: the byte offset and the 1-based line of its first byte.</summary>
internal readonly record struct SourceOrigin(long ByteOffset, long Line);
