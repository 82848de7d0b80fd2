using System.Buffers;
using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Transmog.Data.Rows;

namespace Transmog.Data.Output;

/// <summary>
/// Writes a flattened table's rows as CSV straight from their UTF-8 cells into a pooled byte buffer: no string, no
/// UTF-16 and no encoder per cell. The bytes are exactly those the Sylvan path of <see cref="CsvTableWriter"/> writes
/// for the same reader and options (a test compares both on every shape); it serves the common case (UTF-8, a
/// delimiter Sylvan writes numbers for unquoted), <see cref="CsvTableWriter"/> everything else.
/// </summary>
/// <remarks>
/// Why: writing CSV through <c>CsvDataWriter</c> decoded every text cell to a string, copied it into a character
/// buffer and encoded it back to UTF-8; at 1 GB that was more CPU than flattening the input. Sylvan's rules are kept
/// as they are: a text field is quoted when it is empty, starts with <c>#</c> (Sylvan's comment character, so that a
/// reader taking such lines as comments keeps the row) or holds the delimiter, the quote or a line break; quotes are
/// doubled; numbers are written in their shortest invariant round-trip form.
/// </remarks>
internal sealed class Utf8CsvWriter
{
    /// <summary>Sylvan's default comment character: a text field starting with it is quoted.</summary>
    private const byte Comment = (byte)'#';

    /// <summary>Bytes buffered before they go to the stream.</summary>
    private const int BufferSize = 1 << 16;

    /// <summary>The most digits a JSON integer may have to be written as it is (a long holds 18 at least).</summary>
    private const int MaxCopiedIntegerDigits = 18;

    /// <summary>The most digits a JSON decimal may have to be written as it is in a double column (see <see cref="IsShortestDouble"/>).</summary>
    private const int MaxCopiedDoubleDigits = 15;

    private readonly DbDataReader _reader;
    private readonly IUtf8Cells _cells;
    private readonly Stream _output;
    private readonly byte _delimiter;
    private readonly byte _quote;
    private readonly byte[] _newLine;
    private readonly SearchValues<byte> _special;
    private readonly Column[] _columns;
    private byte[] _buffer;
    private int _position;

    /// <summary>How a column's cells become text.</summary>
    private enum Column : byte
    {
        /// <summary>Strings, JSON text, and dates and date-times as the input wrote them: copied, quoted when needed.</summary>
        Text,
        Int64,
        Double,
        Decimal,
        Boolean,
        Guid,
    }

    private Utf8CsvWriter(DbDataReader reader, IUtf8Cells cells, Stream output, CsvFormatOptions options, Column[] columns)
    {
        _reader = reader;
        _cells = cells;
        _output = output;
        _delimiter = (byte)options.Delimiter;
        _quote = (byte)options.Quote;
        _newLine = Encoding.ASCII.GetBytes(options.NewLine);
        _special = SearchValues.Create([_delimiter, _quote, (byte)'\r', (byte)'\n']);
        _columns = columns;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    }

    /// <summary>
    /// A writer for the reader's current result set, or <c>null</c> when this path does not serve the reader or the
    /// options (not a reader of UTF-8 cells, another encoding, a delimiter or quote of Sylvan's slower path, a column
    /// type it does not know).
    /// </summary>
    public static Utf8CsvWriter? TryCreate(DbDataReader reader, Stream output, CsvFormatOptions options, bool fastCharacters)
    {
        if (reader is not IUtf8Cells cells || !fastCharacters || options.Encoding is not UTF8Encoding)
        {
            return null;
        }

        var columns = new Column[reader.FieldCount];
        for (int i = 0; i < columns.Length; i++)
        {
            Type type = reader.GetFieldType(i);
            if (type == typeof(string) || type == typeof(DateTime) || type == typeof(DateTimeOffset))
            {
                columns[i] = Column.Text;
            }
            else if (type == typeof(long))
            {
                columns[i] = Column.Int64;
            }
            else if (type == typeof(double))
            {
                columns[i] = Column.Double;
            }
            else if (type == typeof(decimal))
            {
                columns[i] = Column.Decimal;
            }
            else if (type == typeof(bool))
            {
                columns[i] = Column.Boolean;
            }
            else if (type == typeof(Guid))
            {
                columns[i] = Column.Guid;
            }
            else
            {
                return null;
            }
        }

        return new Utf8CsvWriter(reader, cells, output, options, columns);
    }

    /// <summary>Writes the encoding's preamble (as a <see cref="StreamWriter"/> would) and the header line.</summary>
    public void WriteStart(Encoding encoding, string? header)
    {
        ReadOnlySpan<byte> preamble = encoding.Preamble;
        if (preamble.Length > 0 && (!_output.CanSeek || _output.Position == 0))
        {
            Append(preamble);
        }

        if (header is not null)
        {
            Append(Encoding.UTF8.GetBytes(header));
        }
    }

    /// <summary>Writes every row of the current result set; returns the rows written.</summary>
    /// <param name="progress">Called with the rows written so far every <see cref="CsvTableWriter.ProgressInterval"/> rows.</param>
    /// <param name="reported">The count last passed to <paramref name="progress"/> (0 when never).</param>
    /// <param name="cancellationToken">Checked before every row.</param>
    public long WriteRows(Action<long>? progress, out long reported, CancellationToken cancellationToken)
    {
        reported = 0;
        try
        {
            long rows = 0;
            Column[] columns = _columns;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (progress is not null && rows > 0 && rows % CsvTableWriter.ProgressInterval == 0)
                {
                    Flush();
                    progress(rows);
                    reported = rows;
                }

                if (!_reader.Read())
                {
                    break;
                }

                for (int i = 0; i < columns.Length; i++)
                {
                    if (i > 0)
                    {
                        Ensure(1);
                        _buffer[_position++] = _delimiter;
                    }

                    WriteCell(i, columns[i]);
                }

                Append(_newLine);
                rows++;
            }

            Flush();
            return rows;
        }
        finally
        {
            byte[] buffer = _buffer;
            _buffer = [];
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteCell(int ordinal, Column column)
    {
        CellKind kind = _cells.GetCell(ordinal, out ReadOnlySpan<byte> cell);
        switch (kind)
        {
            case CellKind.Null:
                return;
            case CellKind.True:
                Append("true"u8);
                return;
            case CellKind.False:
                Append("false"u8);
                return;
            case CellKind.Timestamp:
                Append(_cells.TimestampUtf8);
                return;
            case CellKind.Guid:
                Ensure(36);
                new Guid(cell, bigEndian: true).TryFormat(_buffer.AsSpan(_position), out int guidLength);
                _position += guidLength;
                return;
        }

        switch (column)
        {
            case Column.Text:
                WriteText(cell);
                return;
            case Column.Int64:
                if (IsCanonicalInteger(cell, MaxCopiedIntegerDigits))
                {
                    Append(cell);
                }
                else
                {
                    Ensure(20);
                    Utf8Formatter.TryFormat(_reader.GetInt64(ordinal), _buffer.AsSpan(_position), out int written);
                    _position += written;
                }

                return;
            case Column.Double:
                if (IsShortestDouble(cell))
                {
                    Append(cell);
                }
                else
                {
                    Ensure(32);
                    _reader.GetDouble(ordinal).TryFormat(_buffer.AsSpan(_position), out int written, default, CultureInfo.InvariantCulture);
                    _position += written;
                }

                return;
            case Column.Decimal:
            {
                Ensure(32);
                _reader.GetDecimal(ordinal).TryFormat(_buffer.AsSpan(_position), out int written, default, CultureInfo.InvariantCulture);
                _position += written;
                return;
            }

            case Column.Boolean:
                Append(_reader.GetBoolean(ordinal) ? "true"u8 : "false"u8);
                return;
            default:
            {
                Ensure(36);
                _reader.GetGuid(ordinal).TryFormat(_buffer.AsSpan(_position), out int written);
                _position += written;
                return;
            }
        }
    }

    /// <summary>A text field: as it is, or quoted with its quotes doubled when Sylvan would quote it.</summary>
    private void WriteText(ReadOnlySpan<byte> text)
    {
        if (text.Length > 0 && text[0] != Comment && text.IndexOfAny(_special) < 0)
        {
            Append(text);
            return;
        }

        Ensure((int)Math.Min((2L * text.Length) + 2, Array.MaxLength));
        Span<byte> destination = _buffer.AsSpan(_position);
        int p = 0;
        destination[p++] = _quote;
        while (true)
        {
            int next = text.IndexOf(_quote);
            if (next < 0)
            {
                text.CopyTo(destination[p..]);
                p += text.Length;
                break;
            }

            text[..(next + 1)].CopyTo(destination[p..]);
            p += next + 1;
            destination[p++] = _quote;
            text = text[(next + 1)..];
        }

        destination[p++] = _quote;
        _position += p;
    }

    /// <summary>
    /// Whether a JSON integer's text is the one <see cref="long"/> formatting gives for its value: digits with an
    /// optional minus, no leading zero, not <c>-0</c>, and few enough digits to be a long.
    /// </summary>
    internal static bool IsCanonicalInteger(ReadOnlySpan<byte> text, int maxDigits)
    {
        ReadOnlySpan<byte> digits = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        if (digits.Length == 0 || digits.Length > maxDigits || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
        {
            return false;
        }

        return digits[0] != (byte)'0' || (digits.Length == 1 && digits.Length == text.Length);
    }

    /// <summary>
    /// Whether a JSON number's text is exactly what <see cref="double"/>'s shortest round-trip formatting gives for its
    /// value, so it can be copied: <c>-?int(.frac)?</c>, at most 15 digits, no trailing zero in the fraction, and a
    /// magnitude from 0.1 to below 10^15 (where .NET writes fixed notation). With at most 15 significant digits two
    /// different texts never round to one double, so the shortest text that round-trips is this one.
    /// </summary>
    internal static bool IsShortestDouble(ReadOnlySpan<byte> text)
    {
        ReadOnlySpan<byte> number = text.Length > 0 && text[0] == (byte)'-' ? text[1..] : text;
        int point = number.IndexOf((byte)'.');
        if (point < 0)
        {
            return IsCanonicalInteger(text, MaxCopiedDoubleDigits);
        }

        ReadOnlySpan<byte> integer = number[..point];
        ReadOnlySpan<byte> fraction = number[(point + 1)..];
        if (integer.Length == 0 || fraction.Length == 0 || integer.Length + fraction.Length > MaxCopiedDoubleDigits
            || integer.ContainsAnyExceptInRange((byte)'0', (byte)'9') || fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            || fraction[^1] == (byte)'0')
        {
            return false;
        }

        // 0.x with x not starting with 0 is at least 0.1; a leading zero in a longer integer part is not JSON.
        return integer[0] != (byte)'0' ? true : integer.Length == 1 && fraction[0] != (byte)'0';
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>Makes room for <paramref name="count"/> more bytes: the buffer goes to the stream, or grows for one long field.</summary>
    private void Ensure(int count)
    {
        if (_buffer.Length - _position >= count)
        {
            return;
        }

        Flush();
        if (_buffer.Length < count)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(count);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }

    private void Flush()
    {
        if (_position > 0)
        {
            _output.Write(_buffer, 0, _position);
            _position = 0;
        }
    }
}
