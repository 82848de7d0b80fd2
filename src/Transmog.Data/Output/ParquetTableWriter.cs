using Transmog.Data.Rows;
using System.Data.Common;
using System.Globalization;
using System.IO.Compression;
using Parquet;
using Parquet.Schema;

namespace Transmog.Data.Output;

/// <summary>
/// Writes the current result set of a <see cref="DbDataReader"/> as Apache Parquet through Parquet.Net, a row group
/// closed at <c>rowGroupSize</c> rows or at <see cref="ParquetFormatOptions.RowGroupBytes"/>, whichever comes first.
/// </summary>
/// <remarks>
/// <para>Every column is an optional (nullable) field named as the reader names it, whatever characters the name
/// holds (dots included: Parquet.Net keeps a flat field's name as one path part). Types:</para>
/// <list type="bullet">
/// <item><c>long</c>: INT64.</item>
/// <item><c>double</c>: DOUBLE.</item>
/// <item><c>bool</c>: BOOLEAN.</item>
/// <item><c>decimal</c>: DECIMAL(38, 9) in a 16-byte fixed-length array: every <see cref="decimal"/> integer part fits,
/// with 9 decimal places. Parquet.Net 6.1 writes no decimal wider than 16 bytes (precision 38), so no single
/// precision and scale holds all of <see cref="decimal"/>; a value with more than 9 significant decimal places
/// (Parquet.Net would silently truncate it) throws <see cref="TransmogException"/> instead.</item>
/// <item><c>DateTime</c>: TIMESTAMP(isAdjustedToUTC = true, MICROS); sub-microsecond ticks are truncated, a
/// <see cref="DateTimeKind.Local"/> value is converted to UTC and any other value taken as UTC already. From a reader
/// of flattened tables (<see cref="IUtf8Cells"/>) only the run's timestamp is so; a <c>timestamp</c> column of the input's
/// date-times without offset is TIMESTAMP(isAdjustedToUTC = false, MICROS), the date-times as written, and a column
/// whose data type name is <c>date</c> is DATE (days).</item>
/// <item><c>DateTimeOffset</c>: TIMESTAMP(isAdjustedToUTC = true, MICROS), the instant in UTC; Parquet keeps no
/// offset, so <c>10:00+02:00</c> reads back as <c>08:00Z</c>.</item>
/// <item><c>Guid</c>: UUID (FIXED_LEN_BYTE_ARRAY(16), big-endian). Parquet.Net 6.1 writes its min/max statistics in
/// .NET's mixed-endian byte order while the values are big-endian, which would mislead engines that prune row groups
/// by statistics: they are left out of the footer's column chunks (<see cref="ParquetFooter"/>; the null count stays).
/// Its data page headers still carry them (engines prune row groups by the footer's statistics).</item>
/// <item><c>string</c>: STRING (UTF-8); a column whose data type name is <c>json</c> (kept arrays, subtrees below
/// <c>MaxDepth</c>): the JSON logical type, set in the footer (<see cref="ParquetFooter"/>) since Parquet.Net's schema
/// cannot express it.</item>
/// </list>
/// <para>Rows are buffered a row group at a time in typed arrays (<c>long?[]</c>, <c>ReadOnlyMemory&lt;char&gt;?[]</c>,
/// ...) that are allocated once per column, grown up to <c>rowGroupSize</c> only as rows arrive, and reused for every
/// row group; values are read with the typed getters, never boxed. On failure no footer is written, so a partial file
/// is never a valid Parquet file. An empty reader gives a valid file with the schema and no row group.</para>
/// </remarks>
internal static class ParquetTableWriter
{
    /// <summary>The precision of decimal columns: the most a 16-byte Parquet decimal holds.</summary>
    internal const int DecimalPrecision = 38;

    /// <summary>The scale of decimal columns: 38 digits less the 29 of <see cref="decimal.MaxValue"/>.</summary>
    internal const int DecimalScale = 9;

    private const int InitialCapacity = 1024;

    /// <summary>How a date or date-time column is written.</summary>
    internal enum TimeKind
    {
        /// <summary>Instants in UTC (TIMESTAMP adjusted to UTC).</summary>
        Utc,

        /// <summary>Date-times as written, without offset (TIMESTAMP not adjusted to UTC).</summary>
        Local,

        /// <summary>Dates (DATE).</summary>
        Date,
    }

    /// <summary>How the column is written if it holds dates or date-times (see the remarks).</summary>
    private static TimeKind TimeOf(DbDataReader reader, int ordinal, Type type)
    {
        if (type != typeof(DateTime))
        {
            return TimeKind.Utc;
        }

        if (string.Equals(reader.GetDataTypeName(ordinal), "date", StringComparison.OrdinalIgnoreCase))
        {
            return TimeKind.Date;
        }

        return reader is IUtf8Cells cells && !cells.IsUtcTimestamp(ordinal) ? TimeKind.Local : TimeKind.Utc;
    }

    /// <summary>
    /// Writes every row of the reader's current result set to <paramref name="output"/>, which is left open.
    /// </summary>
    /// <param name="reader">The rows; columns of type string, long, decimal, double, bool, DateTime, DateTimeOffset or Guid.</param>
    /// <param name="output">The stream to write to; it need not be seekable.</param>
    /// <param name="options">The compression codec.</param>
    /// <param name="rowGroupSize">Rows per row group (the last may hold fewer).</param>
    /// <param name="rowsWritten">Called with the number of rows written so far after each row group; may be
    /// <c>null</c>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <param name="parallelism">More than 1: encode each row group on another thread while the next is read.</param>
    /// <returns>The number of rows written.</returns>
    /// <exception cref="ArgumentException">The options or <paramref name="rowGroupSize"/> are invalid.</exception>
    /// <exception cref="TransmogException">A column has a type the writer does not know, or a decimal has more
    /// decimal places than the column holds.</exception>
    public static async Task<long> WriteAsync(DbDataReader reader, Stream output, ParquetFormatOptions options, int rowGroupSize, Action<long>? rowsWritten, CancellationToken cancellationToken, int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (rowGroupSize < 1)
        {
            throw new ArgumentException($"The Parquet row group size must be at least 1; got {rowGroupSize}.");
        }

        var columns = new ColumnBuffer[reader.FieldCount];
        var fields = new Field[columns.Length];
        var jsonColumns = new List<int>();
        var uuidColumns = new List<int>();
        for (int i = 0; i < columns.Length; i++)
        {
            Type type = reader.GetFieldType(i);
            columns[i] = ColumnBuffer.Create(reader.GetName(i), type, i, TimeOf(reader, i, type));
            fields[i] = columns[i].Field;
            if (type == typeof(Guid))
            {
                uuidColumns.Add(i);
            }
            else if (type == typeof(string) && string.Equals(reader.GetDataTypeName(i), "json", StringComparison.OrdinalIgnoreCase))
            {
                jsonColumns.Add(i);
            }
        }

        var parquetOptions = new ParquetOptions
        {
            CompressionMethod = ToCompressionMethod(options.Compression),

            // Parquet.Net's default, SmallestSize, makes Zstd and Brotli 50 to 100 times slower for a few percent.
            CompressionLevel = CompressionLevel.Optimal,

            // Parquet.Net keeps freed buffers in pools; bounded here so that memory stays flat whatever the input.
            MaximumSmallPoolFreeBytes = 8 << 20,
            MaximumLargePoolFreeBytes = 16 << 20,
        };

        // One Parquet.Net writer per row group, the footer written here: no row group's metadata is held until the file
        // ends, and what Parquet.Net cannot write itself (the JSON logical type, UUID statistics left out) is set in it.
        await using var writer = new ParquetSegments(output, new ParquetSchema(fields), parquetOptions, jsonColumns, uuidColumns);

        // With more than one thread, row group n is encoded (Parquet.Net: dictionary, compression) on another thread
        // while this one reads row group n + 1 into a second set of buffers: two row groups of buffers, one encoding.
        var filling = new ColumnSet(columns, Math.Min(rowGroupSize, InitialCapacity));
        // Parquet.Net's buffers grow with the columns of a row group: a wide table encodes one row group at a time.
        ColumnSet? spare = parallelism > 1 && columns.Length <= MaxOverlappedColumns ? new ColumnSet([.. columns.Select(c => c.Twin())], filling.Capacity) : null;
        Task writing = Task.CompletedTask;
        long total = 0;
        long written = 0;
        try
        {
            bool more = true;
            while (more)
            {
                int count = 0;
                foreach (ColumnBuffer column in filling.Columns)
                {
                    column.BufferedChars = 0;
                    column.BufferedValues = 0;
                }

                while (count < rowGroupSize && (count % 256 != 255 || BufferedBytes(filling.Columns, count) < options.RowGroupBytes))
                {
                    if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        more = false;
                        break;
                    }

                    if (count == filling.Capacity)
                    {
                        filling.Resize((int)Math.Min(2L * filling.Capacity, rowGroupSize));
                    }

                    foreach (ColumnBuffer column in filling.Columns)
                    {
                        column.Read(reader, count, total + count);
                    }

                    count++;
                }

                if (count == 0)
                {
                    break;
                }

                await writing.ConfigureAwait(false);
                if (total > written)
                {
                    written = total;
                    rowsWritten?.Invoke(written);
                }

                total += count;
                if (spare is null)
                {
                    await WriteRowGroupAsync(writer, filling, count, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    ColumnSet group = filling;
                    int rows = count;
                    writing = Task.Run(() => WriteRowGroupAsync(writer, group, rows, cancellationToken), cancellationToken);
                    (filling, spare) = (spare, filling);
                }
            }

            await writing.ConfigureAwait(false);
        }
        catch
        {
            // Never leave a row group encoding into a stream the caller is about to drop.
            try
            {
                await writing.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The first failure is the one to report.
            }

            throw;
        }

        if (total != written)
        {
            rowsWritten?.Invoke(total);
        }

        // The footer only on success, so a failed write leaves no valid-looking file.
        await writer.FinishAsync(cancellationToken).ConfigureAwait(false);

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return total;
    }

    private static Task WriteRowGroupAsync(ParquetSegments writer, ColumnSet set, int count, CancellationToken cancellationToken) =>
        writer.WriteRowGroupAsync(
            async rowGroup =>
            {
                foreach (ColumnBuffer column in set.Columns)
                {
                    await column.WriteAsync(rowGroup, count, cancellationToken).ConfigureAwait(false);
                }
            },
            count,
            cancellationToken);

    /// <summary>One row group's buffers, one per column.</summary>
    private sealed class ColumnSet
    {
        public ColumnSet(ColumnBuffer[] columns, int capacity)
        {
            Columns = columns;
            Resize(capacity);
        }

        public ColumnBuffer[] Columns { get; }

        public int Capacity { get; private set; }

        public void Resize(int capacity)
        {
            Capacity = capacity;
            foreach (ColumnBuffer column in Columns)
            {
                column.Resize(capacity);
            }
        }
    }

    /// <summary>The widest table whose next row group is read while the last one is encoded.</summary>
    private const int MaxOverlappedColumns = 64;

    /// <summary>
    /// An estimate of a row group's memory: its text, plus what a value costs while Parquet.Net encodes the group
    /// (measured: about 160 bytes a value, whatever the codec), plus a few bytes a null cell (its definition level):
    /// a wide table of mostly null columns gets row groups of as many rows as a narrow one, not a crowd of small
    /// ones whose column chunk metadata Parquet.Net holds until the footer.
    /// </summary>
    private static long BufferedBytes(ColumnBuffer[] columns, int rows)
    {
        long chars = 0;
        long values = 0;
        foreach (ColumnBuffer column in columns)
        {
            chars += column.BufferedChars;
            values += column.BufferedValues;
        }

        return (chars * sizeof(char)) + (values * 160) + ((long)rows * columns.Length * 8);
    }

    private static CompressionMethod ToCompressionMethod(ParquetCompression compression) => compression switch
    {
        ParquetCompression.Snappy => CompressionMethod.Snappy,
        ParquetCompression.Gzip => CompressionMethod.Gzip,
        ParquetCompression.Zstd => CompressionMethod.Zstd,
        ParquetCompression.Brotli => CompressionMethod.Brotli,
        ParquetCompression.None => CompressionMethod.None,
        _ => throw new ArgumentException($"Unknown Parquet compression {compression}."),
    };

    /// <summary>The values of one column for one row group, in an array reused from row group to row group.</summary>
    private abstract class ColumnBuffer
    {
        protected ColumnBuffer(DataField field, int ordinal)
        {
            Field = field;
            Ordinal = ordinal;
        }

        public DataField Field { get; }

        protected int Ordinal { get; }

        public static ColumnBuffer Create(string name, Type type, int ordinal, TimeKind time)
        {
            if (type == typeof(string))
            {
                return new StringColumn(new DataField<string>(name, nullable: true), ordinal);
            }

            if (type == typeof(long))
            {
                return new Int64Column(new DataField<long?>(name), ordinal);
            }

            if (type == typeof(double))
            {
                return new DoubleColumn(new DataField<double?>(name), ordinal);
            }

            if (type == typeof(bool))
            {
                return new BooleanColumn(new DataField<bool?>(name), ordinal);
            }

            if (type == typeof(decimal))
            {
                return new DecimalColumn(new DecimalDataField(name, DecimalPrecision, DecimalScale, isNullable: true), ordinal);
            }

            if (type == typeof(DateTime) && time == TimeKind.Date)
            {
                return new DateColumn(new DataField<DateOnly?>(name), ordinal);
            }

            if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            {
                bool utc = time == TimeKind.Utc;
                return new DateTimeColumn(new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: utc, unit: DateTimeTimeUnit.Micros, isNullable: true), ordinal, type == typeof(DateTimeOffset));
            }

            if (type == typeof(Guid))
            {
                return new GuidColumn(new DataField<Guid?>(name), ordinal);
            }

            throw new TransmogException($"Column '{name}' has type {type}, which the Parquet writer does not support.");
        }

        /// <summary>Characters of text buffered in the current row group (string columns).</summary>
        public long BufferedChars { get; set; }

        /// <summary>Non-null values buffered in the current row group.</summary>
        public int BufferedValues { get; set; }

        /// <summary>Makes room for <paramref name="capacity"/> rows, keeping those already read.</summary>
        public abstract void Resize(int capacity);

        /// <summary>Reads the reader's current row into <paramref name="index"/>.</summary>
        public abstract void Read(DbDataReader reader, int index, long rowNumber);

        /// <summary>Writes the first <paramref name="count"/> values as this column's chunk of the row group.</summary>
        public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, int count, CancellationToken cancellationToken);

        /// <summary>An empty buffer for the same column (the same field of the schema).</summary>
        public abstract ColumnBuffer Twin();
    }

    /// <summary>A column of a value type, buffered as <c>T?[]</c>.</summary>
    private abstract class ValueColumn<T> : ColumnBuffer
        where T : struct
    {
        private T?[] _values = [];

        protected ValueColumn(DataField field, int ordinal) : base(field, ordinal)
        {
        }

        public sealed override void Resize(int capacity) => Array.Resize(ref _values, capacity);

        public sealed override void Read(DbDataReader reader, int index, long rowNumber)
        {
            if (reader.IsDBNull(Ordinal))
            {
                _values[index] = null;
                return;
            }

            _values[index] = GetValue(reader, rowNumber);
            BufferedValues++;
        }

        public sealed override Task WriteAsync(ParquetRowGroupWriter rowGroup, int count, CancellationToken cancellationToken) =>
            rowGroup.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(_values, 0, count), repetitionLevels: null, customMetadata: null, cancellationToken);

        protected abstract T GetValue(DbDataReader reader, long rowNumber);
    }

    private sealed class Int64Column(DataField field, int ordinal) : ValueColumn<long>(field, ordinal)
    {
        public override ColumnBuffer Twin() => new Int64Column(Field, Ordinal);

        protected override long GetValue(DbDataReader reader, long rowNumber) => reader.GetInt64(Ordinal);
    }

    private sealed class DoubleColumn(DataField field, int ordinal) : ValueColumn<double>(field, ordinal)
    {
        public override ColumnBuffer Twin() => new DoubleColumn(Field, Ordinal);

        protected override double GetValue(DbDataReader reader, long rowNumber) => reader.GetDouble(Ordinal);
    }

    private sealed class BooleanColumn(DataField field, int ordinal) : ValueColumn<bool>(field, ordinal)
    {
        public override ColumnBuffer Twin() => new BooleanColumn(Field, Ordinal);

        protected override bool GetValue(DbDataReader reader, long rowNumber) => reader.GetBoolean(Ordinal);
    }

    private sealed class DateTimeColumn(DataField field, int ordinal, bool offsets) : ValueColumn<DateTime>(field, ordinal)
    {
        public override ColumnBuffer Twin() => new DateTimeColumn(Field, Ordinal, offsets);

        protected override DateTime GetValue(DbDataReader reader, long rowNumber)
        {
            if (offsets)
            {
                return reader.GetFieldValue<DateTimeOffset>(Ordinal).UtcDateTime;
            }

            DateTime value = reader.GetDateTime(Ordinal);
            return value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        }
    }

    private sealed class DateColumn(DataField field, int ordinal) : ValueColumn<DateOnly>(field, ordinal)
    {
        public override ColumnBuffer Twin() => new DateColumn(Field, Ordinal);

        protected override DateOnly GetValue(DbDataReader reader, long rowNumber) => DateOnly.FromDateTime(reader.GetDateTime(Ordinal));
    }

    private sealed class DecimalColumn(DataField field, int ordinal) : ValueColumn<decimal>(field, ordinal)
    {
        public override ColumnBuffer Twin() => new DecimalColumn(Field, Ordinal);

        protected override decimal GetValue(DbDataReader reader, long rowNumber)
        {
            decimal value = reader.GetDecimal(Ordinal);

            // Trailing zeros beyond the scale are harmless: 1.50000000000 is written exactly.
            if (value.Scale > DecimalScale && decimal.Round(value, DecimalScale) != value)
            {
                throw new TransmogException(
                    $"Column '{Field.Name}', row {rowNumber + 1}: the decimal {value.ToString(CultureInfo.InvariantCulture)} has more than "
                    + $"{DecimalScale} decimal places, more than Parquet DECIMAL({DecimalPrecision}, {DecimalScale}) holds; write CSV, or read real numbers as double.");
            }

            return value;
        }
    }

    /// <summary>
    /// A string column. From a reader of UTF-8 cells (<see cref="IUtf8Cells"/>: a <see cref="TransmogDataReader"/>) the cells' UTF-8 is decoded into one character buffer
    /// per column, reused from row group to row group, and the values are slices of it: no string per cell, so a row
    /// group's text is not a crowd of small objects that outlive gen0 and churn the heap. From any other reader, the
    /// reader's strings, referenced without copying.
    /// </summary>
    private sealed class StringColumn(DataField field, int ordinal) : ColumnBuffer(field, ordinal)
    {
        public override ColumnBuffer Twin() => new StringColumn(Field, Ordinal);

        private ReadOnlyMemory<char>?[] _values = [];
        private char[] _text = [];
        private byte[] _utf8 = new byte[256];

        public override void Resize(int capacity) => Array.Resize(ref _values, capacity);

        // Not "? null :", which would convert null through char[] to an empty ReadOnlyMemory<char>.
        public override void Read(DbDataReader reader, int index, long rowNumber)
        {
            if (reader.IsDBNull(Ordinal))
            {
                _values[index] = null;
                return;
            }

            BufferedValues++;
            if (reader is not IUtf8Cells transmog)
            {
                string text = reader.GetString(Ordinal);
                BufferedChars += text.Length;
                _values[index] = text.AsMemory();
                return;
            }

            int length;
            while ((length = transmog.GetUtf8(Ordinal, _utf8)) < 0)
            {
                _utf8 = new byte[_utf8.Length * 2];
            }

            // UTF-8 never takes fewer bytes than UTF-16 takes characters.
            int start = (int)BufferedChars;
            if (_text.Length - start < length)
            {
                // Values already read keep pointing into the old buffer, which they keep alive until overwritten.
                char[] larger = new char[Math.Max(_text.Length * 2, start + length)];
                _text.AsSpan(0, start).CopyTo(larger);
                _text = larger;
            }

            int chars = System.Text.Encoding.UTF8.GetChars(_utf8.AsSpan(0, length), _text.AsSpan(start));
            _values[index] = _text.AsMemory(start, chars);
            BufferedChars += chars;
        }

        public override Task WriteAsync(ParquetRowGroupWriter rowGroup, int count, CancellationToken cancellationToken) =>
            rowGroup.WriteAsync<ReadOnlyMemory<char>>(Field, new ReadOnlyMemory<ReadOnlyMemory<char>?>(_values, 0, count), repetitionLevels: null, customMetadata: null, cancellationToken);
    }

    /// <summary>A GUID column: Parquet's UUID logical type (16 bytes, big-endian, as RFC 4122 writes them).</summary>
    private sealed class GuidColumn(DataField field, int ordinal) : ValueColumn<Guid>(field, ordinal)
    {
        public override ColumnBuffer Twin() => new GuidColumn(Field, Ordinal);

        protected override Guid GetValue(DbDataReader reader, long rowNumber) => reader.GetGuid(Ordinal);
    }
}
