using System.Text;
using System.Text.Json;

namespace Transmog.Data.Input;

/// <summary>
/// Records inside an envelope (<see cref="TransmogOptions.RecordsPath"/>): the reader walks down the path token by
/// token, skipping every other member at scan speed without holding it (a value larger than the buffer is skipped
/// in buffer-sized steps), and serves the elements of the array at the path (or each member of an object map at a
/// <c>*</c>) as records. Each top-level value of the input is an envelope, so JSON Lines of API responses work too.
/// </summary>
internal sealed partial class RecordReader
{
    private readonly RecordsPath? _path;

    // The navigation state: a Utf8JsonReader state saved between steps, as for top-level arrays.
    private JsonReaderState _pathState;

    // Depth (of the reader) of the object whose members are being scanned, or -1 between envelopes.
    private int _objectDepth = -1;

    // How many path segments lead to that object (0: the envelope itself).
    private int _level;

    // Inside the array of records at the path: its depth, else -1.
    private int _recordsArrayDepth = -1;

    // A value being skipped across buffer refills: the depth it started at, else -1.
    private int _skipDepth = -1;

    // The member name taken by the path's '*', for the records below it.
    private string? _key;
    private int _keyLevel = -1;

    // The JSON path of the array of records, and the next element's index in it.
    private string _containerPath = "$";
    private long _elementIndex;

    // Whether the path matched anything (an empty array counts), and the most segments ever matched (for the message).
    private bool _matched;
    private int _deepest;

    private void StartPath(int first)
    {
        Advance(first);
        _pathState = new JsonReaderState(new JsonReaderOptions
        {
            AllowTrailingCommas = _readerOptions.AllowTrailingCommas,
            CommentHandling = _readerOptions.CommentHandling,
            MaxDepth = _readerOptions.MaxDepth,
            AllowMultipleValues = true,
        });
    }

    private bool TryReadAtPath(out RawRecord record)
    {
        RecordsPath path = _path!;
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.Bytes.AsSpan(_start, _end - _start), _eof, _pathState);
            bool read;
            try
            {
                if (_skipDepth >= 0)
                {
                    // Go on skipping a large value: token by token up to its end, committing at the end of the buffer.
                    while ((read = reader.Read()) && !(reader.CurrentDepth == _skipDepth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray))
                    {
                    }

                    if (read)
                    {
                        _skipDepth = -1;
                    }

                    Commit(ref reader);
                    if (!read)
                    {
                        NeedMore("the input ends inside a value outside the records");
                    }

                    continue;
                }

                read = reader.Read();
            }
            catch (JsonException ex)
            {
                throw SyntaxError(ex, _start, _containerPath, 0);
            }

            if (!read)
            {
                if (_eof && _objectDepth < 0)
                {
                    // Between envelopes at the end of the input.
                    Advance(_end - _start);
                    _finished = true;
                    if (!_matched)
                    {
                        throw Error(NothingMatched(path), _start, path.JsonPath(_deepest));
                    }

                    record = default;
                    return false;
                }

                NeedMore("the input ends inside the envelope");
                continue;
            }

            int tokenStart = (int)reader.TokenStartIndex;
            JsonTokenType type = reader.TokenType;
            if (_objectDepth < 0)
            {
                // A new envelope.
                if (type != JsonTokenType.StartObject)
                {
                    throw Error($"RecordsPath '{path.Text}' needs a JSON object at the top level, found {Article(type)}", _start + tokenStart, "$");
                }

                _objectDepth = reader.CurrentDepth;
                _level = 0;
                _containerPath = "$";
                Commit(ref reader);
                continue;
            }

            if (_recordsArrayDepth >= 0)
            {
                if (type == JsonTokenType.EndArray && reader.CurrentDepth == _recordsArrayDepth)
                {
                    _recordsArrayDepth = -1;
                    Commit(ref reader);
                    continue;
                }

                string elementPath = _containerPath + "[" + _elementIndex + "]";
                int taken = TryTakeValue(ref reader, tokenStart, type, elementPath, null, out record);
                if (taken >= 0)
                {
                    // Taken, or a non-object element rejected: the next element comes.
                    _elementIndex++;
                }

                if (taken > 0)
                {
                    return true;
                }

                continue;
            }

            if (type == JsonTokenType.EndObject)
            {
                // The object at this level ends: back to the one around it (or to between envelopes).
                if (_key is not null && _keyLevel == _level)
                {
                    _key = null;
                    _keyLevel = -1;
                }

                _level--;
                _objectDepth = _level < 0 ? -1 : _objectDepth - 1;
                _containerPath = path.JsonPath(Math.Max(0, _level));
                Commit(ref reader);
                continue;
            }

            // A member of the object at _level: does its name take the path's next segment?
            string segment = path.Segments[_level];
            bool star = segment == "*";
            if (!star && !reader.ValueTextEquals(path.Utf8Segments[_level]))
            {
                if (!SkipNextValue(ref reader))
                {
                    NeedMore("the input ends inside the envelope");
                }

                continue;
            }

            string name = star ? reader.GetString()! : segment;
            var valueReader = reader;
            bool hasValue;
            try
            {
                hasValue = valueReader.Read();
            }
            catch (JsonException ex)
            {
                throw SyntaxError(ex, _start, _containerPath, 0);
            }

            if (!hasValue)
            {
                NeedMore("the input ends inside the envelope");
                continue;
            }

            string memberPath = MemberPath(_level == 0 ? "$" : path.JsonPath(_level), name);
            JsonTokenType valueType = valueReader.TokenType;
            int valueStart = (int)valueReader.TokenStartIndex;
            bool last = _level == path.Segments.Length - 1;
            _deepest = Math.Max(_deepest, _level + 1);
            if (last && star)
            {
                // A member of an object map: the member's value is the record, its name the key.
                _matched = true;
                if (TryTakeValue(ref valueReader, valueStart, valueType, memberPath, name, out record) > 0)
                {
                    return true;
                }

                continue;
            }

            if (star)
            {
                _key = name;
                _keyLevel = _level + 1;
            }

            if (last)
            {
                _matched = true;
                if (valueType == JsonTokenType.StartArray)
                {
                    _recordsArrayDepth = valueReader.CurrentDepth;
                    _containerPath = memberPath;
                    _elementIndex = 0;
                    Commit(ref valueReader);
                    continue;
                }

                if (valueType == JsonTokenType.StartObject)
                {
                    // One object at the path: one record.
                    if (TryTakeValue(ref valueReader, valueStart, valueType, memberPath, _key, out record) > 0)
                    {
                        return true;
                    }

                    continue;
                }

                throw Error($"RecordsPath '{path.Text}' leads to {Article(valueType)} at {memberPath}, not to an array of records", _start + valueStart, memberPath);
            }

            if (valueType != JsonTokenType.StartObject)
            {
                string what = valueType == JsonTokenType.StartArray ? "goes through an array" : "leads to " + Article(valueType);
                throw Error($"RecordsPath '{path.Text}' {what} at {memberPath}: member '{path.Segments[_level + 1]}' cannot be looked up there", _start + valueStart, memberPath);
            }

            // Descend into the object.
            _level++;
            _objectDepth = valueReader.CurrentDepth;
            _containerPath = memberPath;
            Commit(ref valueReader);
        }
    }

    /// <summary>
    /// At a record's first token: reads the whole record (an object) and returns 1 with it, or rejects a non-object
    /// (0, consumed). Returns -1 with nothing consumed when the record is not all buffered yet (the buffer is filled).
    /// </summary>
    private int TryTakeValue(ref Utf8JsonReader reader, int tokenStart, JsonTokenType type, string path, string? key, out RawRecord record)
    {
        record = default;
        bool complete;
        try
        {
            complete = reader.TrySkip();
        }
        catch (JsonException ex)
        {
            throw SyntaxError(ex, _start, path, _recordCount + 1);
        }

        if (!complete)
        {
            NeedMore("the input ends inside a record");
            return -1;
        }

        int length = (int)reader.BytesConsumed - tokenStart;
        if (type != JsonTokenType.StartObject)
        {
            _recordCount++;
            var position = PositionAt(_start + tokenStart, path, _recordCount);
            string what = key is null ? $"Expected JSON object at {path}" : $"Expected JSON object as member '{key}' of the object map";
            var error = new TransmogInputException($"{what}, got {Describe(type)}", position);
            if (_recovery == RecoveryMode.Strict)
            {
                throw error;
            }

            Rejects.Add(new RejectedRecord(position, error.Reason, _buffer.Bytes.AsSpan(_start + tokenStart, length)));
            Commit(ref reader);
            return 0;
        }

        SourcePosition start = PositionAt(_start + tokenStart, path, 0);
        long number = _numberBase + ++_recordCount;
        record = new RawRecord(_buffer.Bytes.AsMemory(_start + tokenStart, length), number, start.Line, start.Column, start.ByteOffset, path, _file, key ?? _key);

        // The record's bytes stay valid until the next call: the reader moves past it now, the buffer moves later.
        Commit(ref reader);
        return 1;
    }

    /// <summary>Skips the value after a property name; <c>false</c> when the buffer ran out (the skip goes on after a fill).</summary>
    private bool SkipNextValue(ref Utf8JsonReader reader)
    {
        var probe = reader;
        try
        {
            if (!probe.Read())
            {
                return false;
            }

            if (probe.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
            {
                Commit(ref probe);
                return true;
            }

            int depth = probe.CurrentDepth;
            var whole = probe;
            if (whole.TrySkip())
            {
                Commit(ref whole);
                return true;
            }

            // Larger than what is buffered: skip it in steps, never holding it whole.
            while (probe.Read())
            {
                if (probe.CurrentDepth == depth && probe.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    Commit(ref probe);
                    return true;
                }
            }

            _skipDepth = depth;
            Commit(ref probe);
            return false;
        }
        catch (JsonException ex)
        {
            throw SyntaxError(ex, _start, _containerPath, 0);
        }
    }

    /// <summary>Keeps the reader's state and moves the buffer's start past what it consumed.</summary>
    private void Commit(ref Utf8JsonReader reader)
    {
        _pathState = reader.CurrentState;
        Advance((int)reader.BytesConsumed);
        reader = new Utf8JsonReader(_buffer.Bytes.AsSpan(_start, _end - _start), _eof, _pathState);
    }

    private void NeedMore(string truncated)
    {
        if (_eof)
        {
            throw Error("Truncated JSON: " + truncated, _end, _containerPath);
        }

        Fill(_end - _start + 1);
    }

    private static string Article(JsonTokenType type) => type switch
    {
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.Null => "null",
        _ => "a " + Describe(type),
    };

    private static string MemberPath(string parent, string name)
    {
        var sb = new StringBuilder(parent);
        JsonPaths.AppendKey(sb, name);
        return sb.ToString();
    }

    private string NothingMatched(RecordsPath path) =>
        $"RecordsPath '{path.Text}' matches nothing in the input: "
        + (_deepest == 0
            ? $"no top-level object has a member '{path.Segments[0]}'"
            : $"{path.JsonPath(_deepest)} was found, but no member '{path.Segments[_deepest]}' in it");
}
