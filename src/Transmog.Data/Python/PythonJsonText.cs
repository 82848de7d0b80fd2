using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Transmog.Data.Input;

namespace Transmog.Data.Python;

/// <summary>
/// Reproduces, byte for byte, the text of Python's <c>json.dumps(value, sort_keys=True, ensure_ascii=False)</c>
/// for a value that Python's <c>json.loads</c> produced from the same JSON, which is what Python transmog hashes for
/// its deterministic ids.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Separators are <c>", "</c> and <c>": "</c>; empty containers are <c>{}</c> and <c>[]</c>.</item>
/// <item>Object keys are sorted by Unicode code point (ordinal UTF-8 byte order, which differs from UTF-16 order for
/// characters outside the BMP). A key that occurs twice keeps its last value, as in a Python dict.</item>
/// <item>A number without <c>.</c>, <c>e</c> or <c>E</c> is a Python int and is printed with its exact digits
/// (<c>-0</c> prints <c>0</c>); any other number is a double printed as Python's <c>repr(float)</c>
/// (<c>1.0</c>, <c>1e-05</c>, <c>1e+16</c>, shortest round-trip digits; an overflow prints <c>Infinity</c>).</item>
/// <item>Strings escape <c>"</c>, <c>\</c>, <c>\b \f \n \r \t</c> and other characters below U+0020 (as
/// <c>\u00xx</c>, lower-case hex); everything else, including <c>/</c>, DEL, U+2028/U+2029 and all non-ASCII, is raw.</item>
/// <item>An escaped lone surrogate (e.g. <c>"\ud800"</c>) throws <see cref="FormatException"/>: Python keeps it in the
/// string, but then fails to encode the text as UTF-8 for hashing, so no id exists for such a record.</item>
/// </list>
/// The writers produce UTF-8; they copy string contents from the document's raw bytes without validating them
/// (the lower-casing step in <see cref="PythonCompatibleIds"/> does validate).
/// </remarks>
internal static class PythonJsonText
{
    private static readonly SearchValues<byte> NeedsEscape = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F"u8 +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F\"\\"u8);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Returns Python's <c>json.dumps(value, sort_keys=True, ensure_ascii=False)</c> of <paramref name="value"/>.</summary>
    /// <param name="value">Any JSON value.</param>
    /// <returns>The Python text.</returns>
    public static string ToText(JsonElement value)
    {
        var buffer = new PooledByteBuffer(256);
        try
        {
            WriteUtf8(value, ref buffer);
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>
    /// Returns the Python text of the composite-key object <c>{f: record.get(f) for f in fields}</c> (a missing field is
    /// <c>null</c>), i.e. what Python transmog hashes for <c>id_generation=[fields...]</c>.
    /// </summary>
    /// <param name="record">The record; must be a JSON object.</param>
    /// <param name="fields">The field names, in any order; duplicates collapse.</param>
    /// <returns>The Python text.</returns>
    public static string ToCompositeText(JsonElement record, IReadOnlyList<string> fields)
    {
        var buffer = new PooledByteBuffer(128);
        try
        {
            WriteCompositeUtf8(record, fields, ref buffer);
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>Returns Python's <c>repr(float)</c> of <paramref name="value"/>, as <c>json.dumps</c> prints it.</summary>
    /// <param name="value">The double.</param>
    /// <returns>For example <c>1.0</c>, <c>0.1</c>, <c>1e-05</c>, <c>1e+16</c>, <c>-0.0</c>, <c>Infinity</c>.</returns>
    public static string FormatFloat(double value)
    {
        var buffer = new PooledByteBuffer(32);
        try
        {
            WriteFloat(value, jsonSpecials: true, ref buffer);
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            buffer.Dispose();
        }
    }

    /// <summary>Appends the UTF-8 Python <c>json.dumps</c> text of <paramref name="value"/> to <paramref name="output"/>.</summary>
    /// <param name="value">Any JSON value.</param>
    /// <param name="output">The buffer to append to.</param>
    public static void WriteUtf8(JsonElement value, ref PooledByteBuffer output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(value, ref output);
                break;
            case JsonValueKind.Array:
                WriteArray(value, ref output);
                break;
            case JsonValueKind.String:
                WriteStringValue(value, ref output);
                break;
            case JsonValueKind.Number:
                WriteNumber(JsonMarshal.GetRawUtf8Value(value), jsonSpecials: true, ref output);
                break;
            case JsonValueKind.True:
                output.Append("true"u8);
                break;
            case JsonValueKind.False:
                output.Append("false"u8);
                break;
            case JsonValueKind.Null:
                output.Append("null"u8);
                break;
            default:
                throw new ArgumentException($"Cannot serialize a JSON value of kind {value.ValueKind}.", nameof(value));
        }
    }

    /// <summary>
    /// Appends the UTF-8 Python text of the composite-key object <c>{f: record.get(f) for f in fields}</c> to
    /// <paramref name="output"/>; see <see cref="ToCompositeText"/>.
    /// </summary>
    /// <param name="record">The record; must be a JSON object.</param>
    /// <param name="fields">The field names; duplicates collapse, a field the record lacks is <c>null</c>.</param>
    /// <param name="output">The buffer to append to.</param>
    public static void WriteCompositeUtf8(JsonElement record, IReadOnlyList<string> fields, ref PooledByteBuffer output)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (record.ValueKind != JsonValueKind.Object)
        {
            throw new ArgumentException($"A composite id needs a JSON object, not {record.ValueKind}.", nameof(record));
        }

        int count = fields.Count;
        if (count == 0)
        {
            output.Append("{}"u8);
            return;
        }

        KeyEntry[] entries = ArrayPool<KeyEntry>.Shared.Rent(count);
        var names = new PooledByteBuffer(count * 16);
        try
        {
            for (int i = 0; i < count; i++)
            {
                string field = fields[i] ?? throw new ArgumentException("Field names cannot be null.", nameof(fields));
                int offset = names.Length;
                Span<byte> destination = names.GetSpan(StrictUtf8.GetMaxByteCount(field.Length));
                names.Advance(StrictUtf8.GetBytes(field, destination));
                entries[i] = new KeyEntry(offset, names.Length - offset, i);
            }

            Span<KeyEntry> sorted = entries.AsSpan(0, count);
            SortKeys(sorted, names.UnderlyingArray);

            ReadOnlySpan<byte> allNames = names.WrittenSpan;
            output.Append((byte)'{');
            bool first = true;
            for (int i = 0; i < sorted.Length; i++)
            {
                ReadOnlySpan<byte> name = allNames.Slice(sorted[i].Offset, sorted[i].Length);
                if (i + 1 < sorted.Length && name.SequenceEqual(allNames.Slice(sorted[i + 1].Offset, sorted[i + 1].Length)))
                {
                    continue;
                }

                if (!first)
                {
                    output.Append(", "u8);
                }

                first = false;
                WriteEscapedString(name, ref output);
                output.Append(": "u8);
                if (record.TryGetProperty(name, out JsonElement fieldValue))
                {
                    WriteUtf8(fieldValue, ref output);
                }
                else
                {
                    output.Append("null"u8);
                }
            }

            output.Append((byte)'}');
        }
        finally
        {
            names.Dispose();
            ArrayPool<KeyEntry>.Shared.Return(entries);
        }
    }

    /// <summary>
    /// Appends the UTF-8 text of Python's <c>str(value)</c> for a scalar that <c>json.loads</c> produced: a string's
    /// own characters, <c>True</c>, <c>False</c>, <c>None</c>, an int's digits or a float's repr (<c>inf</c> on overflow).
    /// Objects and arrays are written as <see cref="WriteUtf8"/> does (Python hashes those through <c>json.dumps</c>).
    /// </summary>
    /// <param name="value">The value.</param>
    /// <param name="output">The buffer to append to.</param>
    public static void WritePythonStrUtf8(JsonElement value, ref PooledByteBuffer output)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value);
                Unescape(raw[1..^1], ref output);
                break;
            case JsonValueKind.Number:
                WriteNumber(JsonMarshal.GetRawUtf8Value(value), jsonSpecials: false, ref output);
                break;
            case JsonValueKind.True:
                output.Append("True"u8);
                break;
            case JsonValueKind.False:
                output.Append("False"u8);
                break;
            case JsonValueKind.Null:
                output.Append("None"u8);
                break;
            default:
                WriteUtf8(value, ref output);
                break;
        }
    }

    private static void WriteObject(JsonElement value, ref PooledByteBuffer output)
    {
        int count = value.GetPropertyCount();
        if (count == 0)
        {
            output.Append("{}"u8);
            return;
        }

        JsonProperty[] properties = ArrayPool<JsonProperty>.Shared.Rent(count);
        KeyEntry[] entries = ArrayPool<KeyEntry>.Shared.Rent(count);
        var names = new PooledByteBuffer(count * 16);
        try
        {
            int n = 0;
            foreach (JsonProperty property in value.EnumerateObject())
            {
                properties[n] = property;
                ReadOnlySpan<byte> rawName = JsonMarshal.GetRawUtf8PropertyName(property);
                int offset = names.Length;
                if (rawName.IndexOf((byte)'\\') < 0)
                {
                    names.Append(rawName);
                }
                else
                {
                    Unescape(rawName, ref names);
                }

                entries[n] = new KeyEntry(offset, names.Length - offset, n);
                n++;
            }

            Span<KeyEntry> sorted = entries.AsSpan(0, n);
            SortKeys(sorted, names.UnderlyingArray);

            ReadOnlySpan<byte> allNames = names.WrittenSpan;
            output.Append((byte)'{');
            bool first = true;
            for (int i = 0; i < sorted.Length; i++)
            {
                ReadOnlySpan<byte> name = allNames.Slice(sorted[i].Offset, sorted[i].Length);

                // Equal keys sort by document order: like a Python dict, only the last occurrence counts.
                if (i + 1 < sorted.Length && name.SequenceEqual(allNames.Slice(sorted[i + 1].Offset, sorted[i + 1].Length)))
                {
                    continue;
                }

                if (!first)
                {
                    output.Append(", "u8);
                }

                first = false;
                WriteEscapedString(name, ref output);
                output.Append(": "u8);
                WriteUtf8(properties[sorted[i].Index].Value, ref output);
            }

            output.Append((byte)'}');
        }
        finally
        {
            names.Dispose();
            ArrayPool<KeyEntry>.Shared.Return(entries);
            ArrayPool<JsonProperty>.Shared.Return(properties, clearArray: true);
        }
    }

    private static void WriteArray(JsonElement value, ref PooledByteBuffer output)
    {
        output.Append((byte)'[');
        bool first = true;
        foreach (JsonElement item in value.EnumerateArray())
        {
            if (!first)
            {
                output.Append(", "u8);
            }

            first = false;
            WriteUtf8(item, ref output);
        }

        output.Append((byte)']');
    }

    private static void WriteStringValue(JsonElement value, ref PooledByteBuffer output)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value);
        raw = raw[1..^1];
        if (raw.IndexOf((byte)'\\') < 0)
        {
            // The document holds no raw control characters or quotes, so unescaped content is already Python's text.
            output.Append((byte)'"');
            output.Append(raw);
            output.Append((byte)'"');
            return;
        }

        var unescaped = new PooledByteBuffer(raw.Length);
        try
        {
            Unescape(raw, ref unescaped);
            WriteEscapedString(unescaped.WrittenSpan, ref output);
        }
        finally
        {
            unescaped.Dispose();
        }
    }

    /// <summary>Writes <paramref name="utf8"/> (unescaped) as a quoted string with <c>json.dumps(ensure_ascii=False)</c> escaping.</summary>
    private static void WriteEscapedString(ReadOnlySpan<byte> utf8, ref PooledByteBuffer output)
    {
        output.Append((byte)'"');
        while (!utf8.IsEmpty)
        {
            int index = utf8.IndexOfAny(NeedsEscape);
            if (index < 0)
            {
                output.Append(utf8);
                break;
            }

            output.Append(utf8[..index]);
            byte b = utf8[index];
            switch (b)
            {
                case (byte)'"':
                    output.Append("\\\""u8);
                    break;
                case (byte)'\\':
                    output.Append("\\\\"u8);
                    break;
                case (byte)'\n':
                    output.Append("\\n"u8);
                    break;
                case (byte)'\r':
                    output.Append("\\r"u8);
                    break;
                case (byte)'\t':
                    output.Append("\\t"u8);
                    break;
                case (byte)'\b':
                    output.Append("\\b"u8);
                    break;
                case (byte)'\f':
                    output.Append("\\f"u8);
                    break;
                default:
                    output.Append("\\u00"u8);
                    output.Append(HexDigit(b >> 4));
                    output.Append(HexDigit(b & 0xF));
                    break;
            }

            utf8 = utf8[(index + 1)..];
        }

        output.Append((byte)'"');
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);

    /// <summary>Decodes the JSON escapes of a (validated) string token body into UTF-8.</summary>
    /// <exception cref="FormatException">The string holds an escaped lone surrogate.</exception>
    private static void Unescape(ReadOnlySpan<byte> raw, ref PooledByteBuffer output)
    {
        while (!raw.IsEmpty)
        {
            int index = raw.IndexOf((byte)'\\');
            if (index < 0)
            {
                output.Append(raw);
                return;
            }

            output.Append(raw[..index]);
            raw = raw[(index + 1)..];
            byte kind = raw[0];
            raw = raw[1..];
            switch (kind)
            {
                case (byte)'n':
                    output.Append((byte)'\n');
                    break;
                case (byte)'r':
                    output.Append((byte)'\r');
                    break;
                case (byte)'t':
                    output.Append((byte)'\t');
                    break;
                case (byte)'b':
                    output.Append((byte)'\b');
                    break;
                case (byte)'f':
                    output.Append((byte)'\f');
                    break;
                case (byte)'u':
                    int codePoint = ParseHex4(raw);
                    raw = raw[4..];
                    if (char.IsHighSurrogate((char)codePoint) && raw.Length >= 6 && raw[0] == '\\' && raw[1] == 'u')
                    {
                        int low = ParseHex4(raw[2..]);
                        if (char.IsLowSurrogate((char)low))
                        {
                            codePoint = char.ConvertToUtf32((char)codePoint, (char)low);
                            raw = raw[6..];
                        }
                    }

                    if (!Rune.TryCreate(codePoint, out Rune rune))
                    {
                        throw new FormatException(
                            $"The JSON string contains the lone surrogate \\u{codePoint:x4}, which has no UTF-8 form, so it cannot be hashed (Python fails on it too).");
                    }

                    Span<byte> encoded = output.GetSpan(4);
                    output.Advance(rune.EncodeToUtf8(encoded));
                    break;
                default:
                    // '"', '\\' and '/' stand for themselves.
                    output.Append(kind);
                    break;
            }
        }
    }

    private static int ParseHex4(ReadOnlySpan<byte> hex)
    {
        if (hex.Length < 4 || !int.TryParse(hex[..4], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value))
        {
            throw new FormatException("Invalid \\u escape in a JSON string.");
        }

        return value;
    }

    private static void WriteNumber(ReadOnlySpan<byte> raw, bool jsonSpecials, ref PooledByteBuffer output)
    {
        if (raw.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0)
        {
            // A Python int: JSON forbids leading zeros and '+', so the digits are already canonical except for -0.
            if (raw.SequenceEqual("-0"u8))
            {
                output.Append((byte)'0');
            }
            else
            {
                output.Append(raw);
            }

            return;
        }

        double value = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
        WriteFloat(value, jsonSpecials, ref output);
    }

    /// <summary>
    /// Writes Python's <c>repr(float)</c>: shortest round-trip digits, scientific notation when the decimal exponent is
    /// below -4 or at least 16 (<c>1e-05</c>, <c>1.5e+300</c>), otherwise positional with at least one fractional digit.
    /// </summary>
    /// <param name="value">The double.</param>
    /// <param name="jsonSpecials">Whether infinities/NaN are spelled as <c>json.dumps</c> does (<c>Infinity</c>) or as <c>str</c> does (<c>inf</c>).</param>
    /// <param name="output">The buffer to append to.</param>
    private static void WriteFloat(double value, bool jsonSpecials, ref PooledByteBuffer output)
    {
        if (!double.IsFinite(value))
        {
            if (double.IsNaN(value))
            {
                output.Append(jsonSpecials ? "NaN"u8 : "nan"u8);
            }
            else
            {
                if (value < 0)
                {
                    output.Append((byte)'-');
                }

                output.Append(jsonSpecials ? "Infinity"u8 : "inf"u8);
            }

            return;
        }

        if (double.IsNegative(value))
        {
            output.Append((byte)'-');
            value = -value;
        }

        if (value == 0)
        {
            output.Append("0.0"u8);
            return;
        }

        // .NET's "R" gives the shortest round-trip digits (like Python's repr) but lays them out differently,
        // e.g. "1E-05", "1E+16", "1000000000000000", "0.0001": take the digits and the decimal point position from it.
        Span<byte> formatted = stackalloc byte[40];
        if (!value.TryFormat(formatted, out int formattedLength, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("Could not format a double.");
        }

        formatted = formatted[..formattedLength];
        Span<byte> digits = stackalloc byte[32];
        int digitCount = 0;
        int pointPosition = -1;
        int exponent = 0;
        for (int i = 0; i < formatted.Length; i++)
        {
            byte c = formatted[i];
            if (c == '.')
            {
                pointPosition = digitCount;
            }
            else if (c is (byte)'E' or (byte)'e')
            {
                exponent = int.Parse(formatted[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }
            else
            {
                digits[digitCount++] = c;
            }
        }

        // The value is 0.d1d2...dn * 10^decimalPoint.
        int decimalPoint = (pointPosition < 0 ? digitCount : pointPosition) + exponent;
        int start = 0;
        while (start < digitCount - 1 && digits[start] == '0')
        {
            start++;
            decimalPoint--;
        }

        int end = digitCount;
        while (end > start + 1 && digits[end - 1] == '0')
        {
            end--;
        }

        ReadOnlySpan<byte> significant = digits[start..end];
        int n = significant.Length;
        if (decimalPoint <= -4 || decimalPoint > 16)
        {
            output.Append(significant[0]);
            if (n > 1)
            {
                output.Append((byte)'.');
                output.Append(significant[1..]);
            }

            int e = decimalPoint - 1;
            output.Append((byte)'e');
            output.Append(e < 0 ? (byte)'-' : (byte)'+');
            e = Math.Abs(e);
            if (e < 10)
            {
                output.Append((byte)'0');
            }

            Span<byte> exponentDigits = output.GetSpan(4);
            e.TryFormat(exponentDigits, out int written, default, CultureInfo.InvariantCulture);
            output.Advance(written);
        }
        else if (decimalPoint <= 0)
        {
            output.Append("0."u8);
            for (int i = 0; i < -decimalPoint; i++)
            {
                output.Append((byte)'0');
            }

            output.Append(significant);
        }
        else if (decimalPoint < n)
        {
            output.Append(significant[..decimalPoint]);
            output.Append((byte)'.');
            output.Append(significant[decimalPoint..]);
        }
        else
        {
            output.Append(significant);
            for (int i = n; i < decimalPoint; i++)
            {
                output.Append((byte)'0');
            }

            output.Append(".0"u8);
        }
    }

    /// <summary>Sorts keys by code point, then document position; insertion sort for the usual few keys (no allocation).</summary>
    private static void SortKeys(Span<KeyEntry> keys, byte[] names)
    {
        var comparer = new KeyComparer(names);
        if (keys.Length > 24)
        {
            keys.Sort(comparer);
            return;
        }

        for (int i = 1; i < keys.Length; i++)
        {
            KeyEntry current = keys[i];
            int j = i - 1;
            while (j >= 0 && comparer.Compare(keys[j], current) > 0)
            {
                keys[j + 1] = keys[j];
                j--;
            }

            keys[j + 1] = current;
        }
    }

    /// <summary>A key's unescaped UTF-8 bytes (as an offset into a shared buffer) and its document position.</summary>
    private readonly record struct KeyEntry(int Offset, int Length, int Index);

    /// <summary>Orders keys by code point (= UTF-8 byte order), then by document position.</summary>
    private readonly struct KeyComparer(byte[] names) : IComparer<KeyEntry>
    {
        public int Compare(KeyEntry x, KeyEntry y)
        {
            int byName = names.AsSpan(x.Offset, x.Length).SequenceCompareTo(names.AsSpan(y.Offset, y.Length));
            return byName != 0 ? byName : x.Index.CompareTo(y.Index);
        }
    }
}

/// <summary>
/// A growable byte buffer over <see cref="ArrayPool{T}.Shared"/> arrays; pass it by <c>ref</c> and call
/// <see cref="Dispose"/> once (in a <c>finally</c>) to return the array.
/// </summary>
internal ref struct PooledByteBuffer
{
    private PooledBuffer _buffer;
    private int _length;

    /// <summary>Creates a buffer with at least <paramref name="initialCapacity"/> bytes rented.</summary>
    /// <param name="initialCapacity">The initial capacity.</param>
    public PooledByteBuffer(int initialCapacity)
    {
        _buffer = new PooledBuffer(Math.Max(initialCapacity, 16));
        _length = 0;
    }

    /// <summary>The number of bytes written.</summary>
    public readonly int Length => _length;

    /// <summary>The bytes written so far.</summary>
    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer.Bytes.AsSpan(0, _length);

    /// <summary>The current backing array (replaced whenever the buffer grows).</summary>
    public readonly byte[] UnderlyingArray => _buffer.Bytes;

    /// <summary>Appends one byte.</summary>
    /// <param name="value">The byte.</param>
    public void Append(byte value)
    {
        _buffer.EnsureCapacity(_length + 1, _length);
        _buffer.Bytes[_length++] = value;
    }

    /// <summary>Appends bytes.</summary>
    /// <param name="values">The bytes.</param>
    public void Append(scoped ReadOnlySpan<byte> values)
    {
        _buffer.EnsureCapacity(_length + values.Length, _length);
        values.CopyTo(_buffer.Bytes.AsSpan(_length));
        _length += values.Length;
    }

    /// <summary>Returns writable space of at least <paramref name="sizeHint"/> bytes; follow with <see cref="Advance"/>.</summary>
    /// <param name="sizeHint">The number of bytes needed.</param>
    /// <returns>The free space after the written bytes.</returns>
    public Span<byte> GetSpan(int sizeHint)
    {
        _buffer.EnsureCapacity(_length + sizeHint, _length);
        return _buffer.Bytes.AsSpan(_length);
    }

    /// <summary>Marks <paramref name="count"/> bytes of the span from <see cref="GetSpan"/> as written.</summary>
    /// <param name="count">The number of bytes written.</param>
    public void Advance(int count) => _length += count;

    /// <summary>Returns the rented array to the pool; the buffer must not be used afterwards.</summary>
    public void Dispose()
    {
        _length = 0;
        _buffer.Return();
    }
}
