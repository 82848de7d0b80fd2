using System.Collections.ObjectModel;
using System.Data.Common;
using System.Globalization;
using Sylvan.Data.Csv;

namespace Transmog.Data.Output;

/// <summary>
/// Writes the current result set of a <see cref="DbDataReader"/> as RFC 4180 CSV through Sylvan.Data.Csv.
/// </summary>
/// <remarks>
/// <para>
/// Values are written in the invariant culture: a header line of column names (when
/// <see cref="CsvFormatOptions.Header"/>), an empty field for null, an empty string as <c>""</c> (so it differs
/// from null), <c>true</c>/<c>false</c>, exact integers and decimals, doubles in their shortest round-trip form
/// (<c>0.1</c>, <c>1E+300</c>, <c>NaN</c>, <c>Infinity</c>), GUIDs as lowercase <c>D</c> format and date-times as
/// <c>yyyy-MM-dd HH:mm:ss.ffffff</c> (no offset; the value is written as it is, whatever its kind). Fields holding
/// the delimiter, the quote or a line break are quoted, quotes doubled.
/// </para>
/// <para>
/// Sylvan writes every value itself, but with a delimiter other than <c>, ; | tab</c> or a quote other than
/// <c>" '</c> its slower path throws <see cref="FormatException"/> on doubles longer than 16 characters (such as
/// <c>-0.12345678901234568</c>, Sylvan 1.4.4). With such characters a thin wrapper of the reader hands double columns
/// to Sylvan as round-trip text instead (one string per value).
/// </para>
/// </remarks>
internal static class CsvTableWriter
{
    /// <summary>How date-times are written; the same text as <c>TransmogDataReader.TimestampFormat</c>.</summary>
    internal const string DateTimeFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    /// <summary>Rows between two calls of the progress callback.</summary>
    internal const int ProgressInterval = 8192;

    /// <summary>
    /// Writes every row of the reader's current result set to <paramref name="output"/>, which is flushed and left
    /// open.
    /// </summary>
    /// <param name="reader">The rows; columns of type string, long, decimal, double, bool, DateTime or Guid.</param>
    /// <param name="output">The stream to write to.</param>
    /// <param name="options">Delimiter, quote, header, encoding and line ending.</param>
    /// <param name="rowsWritten">Called with the number of rows written so far, every few thousand rows and once at
    /// the end; may be <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The number of rows written (the header not counted).</returns>
    /// <exception cref="ArgumentException">The options are invalid, or Sylvan cannot use the delimiter
    /// or quote (it needs ASCII characters that are neither letters nor digits).</exception>
    /// <param name="fromUtf8Cells">Whether a reader of UTF-8 cells may be written by <see cref="Utf8CsvWriter"/> (tests
    /// turn it off to compare both paths).</param>
    public static async Task<long> WriteAsync(DbDataReader reader, Stream output, CsvFormatOptions options, Action<long>? rowsWritten, CancellationToken cancellationToken, bool fromUtf8Cells = true)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckSylvanCharacter(options.Delimiter, "delimiter");
        CheckSylvanCharacter(options.Quote, "quote");

        // A flattened table's reader in UTF-8 with Sylvan's fast characters: written from its UTF-8 cells, the same bytes.
        if (fromUtf8Cells && Utf8CsvWriter.TryCreate(reader, output, options, SylvanWritesDoubles(options.Delimiter, options.Quote)) is { } utf8)
        {
            utf8.WriteStart(options.Encoding, options.Header ? HeaderLine(reader, options) : null);
            long written = utf8.WriteRows(rowsWritten, out long reported, cancellationToken);
            if (rowsWritten is not null && reported != written)
            {
                rowsWritten(written);
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            return written;
        }

        var writerOptions = new CsvDataWriterOptions
        {
            Delimiter = options.Delimiter,
            Quote = options.Quote,
            Escape = options.Quote,
            WriteHeaders = false,
            NewLine = options.NewLine,
            TrueString = "true",
            FalseString = "false",
            DateTimeFormat = DateTimeFormat,
            Culture = CultureInfo.InvariantCulture,
            QuoteStrings = CsvStringQuoting.AlwaysQuoteEmpty,
            BufferSize = 1 << 14,
            MaxBufferSize = Array.MaxLength,
        };

        var source = new CsvSourceReader(reader, doublesAsText: !SylvanWritesDoubles(options.Delimiter, options.Quote), rowsWritten, cancellationToken);

        long rows;
        var text = new StreamWriter(output, options.Encoding, 1 << 14, leaveOpen: true);
        await using (text.ConfigureAwait(false))
        {
            if (options.Header)
            {
                await WriteHeaderAsync(text, reader, options, cancellationToken).ConfigureAwait(false);
            }

            // Rows come from parsing on this thread: the synchronous write avoids an await per row and per field
            // (more than half the time of the asynchronous one); the source checks cancellation on every row.
            using CsvDataWriter csv = CsvDataWriter.Create(text, writerOptions);
            rows = csv.Write(source);
            await text.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        if (rowsWritten is not null && source.Reported != rows)
        {
            rowsWritten(rows);
        }

        return rows;
    }

    /// <summary>Writes the header line (<see cref="HeaderLine"/>).</summary>
    private static async Task WriteHeaderAsync(TextWriter text, DbDataReader reader, CsvFormatOptions options, CancellationToken cancellationToken) =>
        await text.WriteAsync(HeaderLine(reader, options).AsMemory(), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The header line, with its line ending. Sylvan would write it too, but leaves a first name that starts with
    /// <c>#</c> unquoted, and readers that take such lines as comments (Sylvan's own, by default) would then lose the
    /// header; here such a name is quoted, as Sylvan does for a value, and so is an empty name.
    /// </summary>
    private static string HeaderLine(DbDataReader reader, CsvFormatOptions options)
    {
        var line = new System.Text.StringBuilder();
        for (int i = 0; i < reader.FieldCount; i++)
        {
            if (i > 0)
            {
                line.Append(options.Delimiter);
            }

            string name = reader.GetName(i);
            bool quote = name.Length == 0 || (i == 0 && name[0] == '#') || name.AsSpan().IndexOfAny([options.Delimiter, options.Quote, '\r', '\n']) >= 0;
            if (quote)
            {
                string q = options.Quote.ToString();
                line.Append(options.Quote).Append(name.Replace(q, q + q, StringComparison.Ordinal)).Append(options.Quote);
            }
            else
            {
                line.Append(name);
            }
        }

        line.Append(options.NewLine);
        return line.ToString();
    }

    /// <summary>Whether Sylvan writes every double right with these characters (its fast path; see the tests).</summary>
    private static bool SylvanWritesDoubles(char delimiter, char quote) =>
        delimiter is ',' or ';' or '\t' or '|' && quote is '"' or '\'';

    private static void CheckSylvanCharacter(char c, string what)
    {
        if (c >= 128 || char.IsLetterOrDigit(c))
        {
            throw new ArgumentException($"The CSV {what} must be an ASCII character that is neither a letter nor a digit; got '{c}'.");
        }
    }

    /// <summary>
    /// A thin decorator over the source reader: counts rows for the progress callback and, when asked, shows double
    /// columns as round-trip text. Everything else is passed through with the typed getters (no boxing).
    /// </summary>
    private sealed class CsvSourceReader : DbDataReaderAdapter, IDbColumnSchemaGenerator
    {
        private readonly DbDataReader _inner;
        private readonly bool[] _doubleAsText;
        private readonly bool[] _dateTimeAsText;
        private readonly bool[] _offsetAsText;
        private readonly bool[] _sourceText;
        private readonly DateTime[] _lastDateTime;
        private readonly string?[] _lastDateTimeText;
        private readonly Action<long>? _progress;
        private long _rows;

        /// <summary>The count last passed to the progress callback.</summary>
        public long Reported { get; private set; }

        private readonly CancellationToken _cancellationToken;

        public CsvSourceReader(DbDataReader inner, bool doublesAsText, Action<long>? progress, CancellationToken cancellationToken)
            : base(inner)
        {
            _inner = inner;
            _progress = progress;
            _cancellationToken = cancellationToken;
            _doubleAsText = new bool[inner.FieldCount];
            _dateTimeAsText = new bool[inner.FieldCount];
            _offsetAsText = new bool[inner.FieldCount];
            _sourceText = new bool[inner.FieldCount];
            _lastDateTime = new DateTime[inner.FieldCount];
            _lastDateTimeText = new string?[inner.FieldCount];
            for (int i = 0; i < _doubleAsText.Length; i++)
            {
                _doubleAsText[i] = doublesAsText && inner.GetFieldType(i) == typeof(double);
                Type type = inner.GetFieldType(i);

                // Dates and date-times of a reader of UTF-8 cells are written as the input wrote them (the run's
                // timestamp's text is the DateTimeFormat below); those of other readers are formatted.
                _sourceText[i] = inner is Rows.IUtf8Cells && (type == typeof(DateTime) || type == typeof(DateTimeOffset));
                _dateTimeAsText[i] = !_sourceText[i] && type == typeof(DateTime);
                _offsetAsText[i] = !_sourceText[i] && type == typeof(DateTimeOffset);
            }
        }

        // Sylvan asks for the column schema (for AllowDBNull); answered here so that the source reader need not
        // implement GetSchemaTable. Every column may be null: IsDBNull is asked for every field.
        public ReadOnlyCollection<DbColumn> GetColumnSchema()
        {
            var columns = new DbColumn[FieldCount];
            for (int i = 0; i < columns.Length; i++)
            {
                columns[i] = new SourceColumn(GetName(i), i, GetFieldType(i), GetDataTypeName(i));
            }

            return new ReadOnlyCollection<DbColumn>(columns);
        }

        public override int VisibleFieldCount => _inner.VisibleFieldCount;

        public override int Depth => _inner.Depth;

        public override int RecordsAffected => _inner.RecordsAffected;

        public override bool Read()
        {
            _cancellationToken.ThrowIfCancellationRequested();
            Tick();
            return Counted(_inner.Read());
        }

        public override async Task<bool> ReadAsync(CancellationToken cancellationToken)
        {
            Tick();
            return Counted(await _inner.ReadAsync(cancellationToken).ConfigureAwait(false));
        }

        // The rows counted so far are written by the time the next one is asked for.
        private void Tick()
        {
            if (_progress is not null && _rows > 0 && _rows % ProgressInterval == 0)
            {
                _progress(_rows);
                Reported = _rows;
            }
        }

        private bool Counted(bool read)
        {
            if (read)
            {
                _rows++;
            }

            return read;
        }

        public override bool NextResult() => throw new NotSupportedException("The CSV writer writes one result set.");

        public override Task<bool> IsDBNullAsync(int ordinal, CancellationToken cancellationToken) => _inner.IsDBNullAsync(ordinal, cancellationToken);

        public override string GetDataTypeName(int ordinal) => AsText(ordinal) ? "string" : _inner.GetDataTypeName(ordinal);

        public override Type GetFieldType(int ordinal) => AsText(ordinal) ? typeof(string) : _inner.GetFieldType(ordinal);

        public override string GetString(int ordinal)
        {
            if (_doubleAsText[ordinal])
            {
                return _inner.GetDouble(ordinal).ToString("R", CultureInfo.InvariantCulture);
            }

            if (_sourceText[ordinal])
            {
                return _inner.GetString(ordinal);
            }

            if (_offsetAsText[ordinal])
            {
                return _inner.GetFieldValue<DateTimeOffset>(ordinal).ToString(DateTimeFormat + "zzz", CultureInfo.InvariantCulture);
            }

            if (_dateTimeAsText[ordinal])
            {
                // The run's timestamp is the same on every row: formatted once, not once per row.
                DateTime value = _inner.GetDateTime(ordinal);
                if (_lastDateTimeText[ordinal] is not { } text || _lastDateTime[ordinal] != value)
                {
                    text = value.ToString(DateTimeFormat, CultureInfo.InvariantCulture);
                    _lastDateTime[ordinal] = value;
                    _lastDateTimeText[ordinal] = text;
                }

                return text;
            }

            return _inner.GetString(ordinal);
        }

        private bool AsText(int ordinal) => _doubleAsText[ordinal] || _dateTimeAsText[ordinal] || _offsetAsText[ordinal] || _sourceText[ordinal];

        public override object GetValue(int ordinal) => AsText(ordinal) && !_inner.IsDBNull(ordinal) ? GetString(ordinal) : _inner.GetValue(ordinal);

        public override int GetValues(object[] values)
        {
            int count = Math.Min(values.Length, FieldCount);
            for (int i = 0; i < count; i++)
            {
                values[i] = GetValue(i);
            }

            return count;
        }

        public override T GetFieldValue<T>(int ordinal) =>
            AsText(ordinal) && typeof(T) == typeof(string) ? (T)(object)GetString(ordinal) : _inner.GetFieldValue<T>(ordinal);

    }

    private sealed class SourceColumn : DbColumn
    {
        public SourceColumn(string name, int ordinal, Type type, string typeName)
        {
            ColumnName = name;
            ColumnOrdinal = ordinal;
            DataType = type;
            DataTypeName = typeName;
            AllowDBNull = true;
        }
    }
}
