using System.Collections;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;
using Transmog.Data.Output;

namespace Transmog.Data.Tests.Output;

public class CsvTableWriterTests
{
    [Fact]
    public async Task Writes_every_type_as_invariant_text()
    {
        (string text, long rows) = await WriteAsync(WriterTestData.CreateTable().CreateDataReader(), new CsvFormatOptions());

        Assert.Equal(5, rows);
        List<string[]> records = ReadCsv(text, new CsvFormatOptions());
        Assert.Equal(WriterTestData.ColumnNames, records[0]);
        Assert.Equal(6, records.Count);
        for (int row = 0; row < 5; row++)
        {
            Assert.Equal(WriterTestData.ExpectedText[row], records[row + 1]);
        }
    }

    [Fact]
    public async Task Output_is_rfc4180_text()
    {
        (string text, _) = await WriteAsync(WriterTestData.CreateTable().CreateDataReader(), new CsvFormatOptions());

        string[] lines = text.Split('\n');
        Assert.Equal("s,j,l,m,d,b,t,g", lines[0]);
        Assert.Equal("plain,\"{\"\"a\"\":[1,2]}\",9223372036854775807,79228162514264337593543950335,0.1,true,2024-05-06 07:08:09.123456,0f8fad5b-d9cb-469f-a165-70867728950e", lines[1]);

        // The field with a comma, a quote and a line break is quoted, quotes doubled, the line break kept.
        Assert.StartsWith("\"comma, \"\"quote\"\"", lines[2]);
        Assert.Equal("newline\",,-9223372036854775808,-0.000000001,1E+300,false,2000-01-01 00:00:00.000000,00000000-0000-0000-0000-000000000000", lines[3]);

        // Null is an empty field; the empty string is "" so that the two differ.
        Assert.Equal(",,,,,,,", lines[4]);
        Assert.StartsWith("\"\",", lines[5]);
        Assert.Equal(string.Empty, lines[^1]);
        Assert.DoesNotContain('\r', text);
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData(' ')]
    public async Task Doubles_round_trip(char delimiter)
    {
        double[] values = [0.1, 1e300, -2.2250738585072014E-308, double.Epsilon, 1.0 / 3, 123456789012345680000.0, -0.0, 5e-7, -0.12345678901234568];

        // Not a DataTable: it stores -0.0 as 0.
        using var reader = new ListDataReader(["d"], [typeof(double)], [.. values.Select(v => new object?[] { v })]);
        (string text, _) = await WriteAsync(reader, new CsvFormatOptions { Delimiter = delimiter });

        string[] lines = text.TrimEnd('\n').Split('\n');
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i].ToString("R", CultureInfo.InvariantCulture), lines[i + 1]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(values[i]), BitConverter.DoubleToInt64Bits(double.Parse(lines[i + 1], CultureInfo.InvariantCulture)));
        }
    }

    [Theory]
    [InlineData(',', '"')]
    [InlineData(';', '"')]
    [InlineData('\t', '"')]
    [InlineData('|', '"')]
    [InlineData(',', '\'')]
    [InlineData(';', '\'')]
    [InlineData('\t', '\'')]
    [InlineData('|', '\'')]
    [InlineData(' ', '"')]
    [InlineData('-', '"')]
    [InlineData('.', '"')]
    [InlineData(':', '"')]
    [InlineData('+', '"')]
    [InlineData('!', '"')]
    [InlineData(',', '-')]
    [InlineData(',', '.')]
    [InlineData('#', '"')]
    public async Task Any_delimiter_and_quote_keep_every_field(char delimiter, char quote)
    {
        var options = new CsvFormatOptions { Delimiter = delimiter, Quote = quote };
        (string text, long rows) = await WriteAsync(WriterTestData.CreateTable().CreateDataReader(), options);

        Assert.Equal(5, rows);
        List<string[]> records = ReadCsv(text, options);
        Assert.Equal(WriterTestData.ColumnNames, records[0]);
        for (int row = 0; row < 5; row++)
        {
            Assert.Equal(WriterTestData.ExpectedText[row], records[row + 1]);
        }
    }

    [Fact]
    public async Task Options_set_delimiter_quote_header_and_line_ending()
    {
        var options = new CsvFormatOptions { Delimiter = ';', Quote = '\'', Header = false, NewLine = "\r\n" };
        var table = new DataTable();
        table.Columns.Add("a", typeof(string));
        table.Columns.Add("b", typeof(long));
        table.Rows.Add("it's; here", 1L);
        table.Rows.Add("x", 2L);

        (string text, long rows) = await WriteAsync(table.CreateDataReader(), options);

        Assert.Equal(2, rows);
        Assert.Equal("'it''s; here';1\r\nx;2\r\n", text);
    }

    [Fact]
    public async Task Default_encoding_is_utf8_without_bom()
    {
        var table = new DataTable();
        table.Columns.Add("ü", typeof(string));
        table.Rows.Add("日本 😀");

        using var stream = new MemoryStream();
        await CsvTableWriter.WriteAsync(table.CreateDataReader(), stream, new CsvFormatOptions(), null, CancellationToken.None);

        byte[] bytes = stream.ToArray();
        Assert.Equal(Encoding.UTF8.GetBytes("ü\n日本 😀\n"), bytes);
    }

    [Fact]
    public async Task Other_encodings_are_used()
    {
        var table = new DataTable();
        table.Columns.Add("a", typeof(string));
        table.Rows.Add("é");

        using var stream = new MemoryStream();
        await CsvTableWriter.WriteAsync(table.CreateDataReader(), stream, new CsvFormatOptions { Encoding = new UnicodeEncoding(false, false) }, null, CancellationToken.None);

        Assert.Equal(Encoding.Unicode.GetBytes("a\né\n"), stream.ToArray());
    }

    [Fact]
    public async Task Stream_is_left_open_and_flushed()
    {
        var table = new DataTable();
        table.Columns.Add("a", typeof(long));
        table.Rows.Add(7L);
        using var stream = new MemoryStream();

        await CsvTableWriter.WriteAsync(table.CreateDataReader(), stream, new CsvFormatOptions(), null, CancellationToken.None);

        Assert.True(stream.CanWrite);
        Assert.Equal("a\n7\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task Empty_reader_writes_the_header_only()
    {
        var table = new DataTable();
        table.Columns.Add("a", typeof(long));
        table.Columns.Add("b c", typeof(string));

        (string text, long rows) = await WriteAsync(table.CreateDataReader(), new CsvFormatOptions());

        Assert.Equal(0, rows);
        Assert.Equal("a,b c\n", text);
    }

    [Fact]
    public async Task Empty_header_names_are_quoted()
    {
        // Not a DataTable: it names an unnamed column Column1.
        using var reader = new ListDataReader([string.Empty, "b"], [typeof(long), typeof(long)], [[1L, 2L]]);

        (string text, _) = await WriteAsync(reader, new CsvFormatOptions());

        Assert.Equal("\"\",b\n1,2\n", text);
    }

    [Fact]
    public async Task Header_names_are_quoted_when_needed()
    {
        var table = new DataTable();
        table.Columns.Add("a,b", typeof(long));
        table.Columns.Add("q\"q", typeof(long));
        table.Columns.Add("dot.ted ü", typeof(long));
        table.Rows.Add(1L, 2L, 3L);

        (string text, _) = await WriteAsync(table.CreateDataReader(), new CsvFormatOptions());

        Assert.Equal("\"a,b\",\"q\"\"q\",dot.ted ü\n1,2,3\n", text);
    }

    [Fact]
    public async Task A_leading_hash_is_quoted_so_that_readers_with_comments_keep_the_line()
    {
        var table = new DataTable();
        table.Columns.Add("#id", typeof(string));
        table.Columns.Add("n", typeof(long));
        table.Rows.Add("#1", 1L);

        (string text, _) = await WriteAsync(table.CreateDataReader(), new CsvFormatOptions());

        using CsvDataReader csv = CsvDataReader.Create(new StringReader(text));
        Assert.Equal("#id", csv.GetName(0));
        Assert.True(csv.Read());
        Assert.Equal("#1", csv.GetString(0));
    }

    [Fact]
    public async Task Custom_reader_is_written_with_typed_getters_only()
    {
        // The reader throws on GetValue, GetFieldValue and the indexers: the writer must not box.
        using var reader = WriterTestData.CreateListReader();

        (string text, long rows) = await WriteAsync(reader, new CsvFormatOptions());

        Assert.Equal(5, rows);
        List<string[]> records = ReadCsv(text, new CsvFormatOptions());
        Assert.Equal(WriterTestData.ColumnNames, records[0]);
        for (int row = 0; row < 5; row++)
        {
            Assert.Equal(WriterTestData.ExpectedText[row], records[row + 1]);
        }
    }

    [Fact]
    public async Task Doubles_as_text_use_typed_getters_too()
    {
        using var reader = WriterTestData.CreateListReader();

        (string text, _) = await WriteAsync(reader, new CsvFormatOptions { Delimiter = ' ' });

        List<string[]> records = ReadCsv(text, new CsvFormatOptions { Delimiter = ' ' });
        Assert.Equal(WriterTestData.ExpectedText[0], records[1]);
    }

    [Fact]
    public async Task Large_fields_are_written_whole()
    {
        string big = new string('x', 3_000_000) + "," + new string('y', 10);
        var table = new DataTable();
        table.Columns.Add("a", typeof(string));
        table.Rows.Add(big);

        (string text, _) = await WriteAsync(table.CreateDataReader(), new CsvFormatOptions());

        Assert.Equal("a\n\"" + big + "\"\n", text);
    }

    [Fact]
    public async Task Progress_is_reported_every_few_thousand_rows_and_at_the_end()
    {
        var table = new DataTable();
        table.Columns.Add("a", typeof(long));
        for (long i = 0; i < 20_000; i++)
        {
            table.Rows.Add(i);
        }

        var reports = new List<long>();
        using var stream = new MemoryStream();
        long rows = await CsvTableWriter.WriteAsync(table.CreateDataReader(), stream, new CsvFormatOptions(), reports.Add, CancellationToken.None);

        Assert.Equal(20_000, rows);
        Assert.Equal([8192, 16384, 20_000], reports);
    }

    [Fact]
    public async Task Progress_is_not_repeated_at_a_multiple_of_the_interval()
    {
        var table = new DataTable();
        table.Columns.Add("a", typeof(long));
        for (long i = 0; i < CsvTableWriter.ProgressInterval; i++)
        {
            table.Rows.Add(i);
        }

        var reports = new List<long>();
        using var stream = new MemoryStream();
        await CsvTableWriter.WriteAsync(table.CreateDataReader(), stream, new CsvFormatOptions(), reports.Add, CancellationToken.None);

        Assert.Equal([CsvTableWriter.ProgressInterval], reports);
    }

    [Theory]
    [InlineData('a')]
    [InlineData('1')]
    [InlineData('§')]
    public async Task Delimiters_sylvan_cannot_use_are_configuration_errors(char delimiter)
    {
        using var stream = new MemoryStream();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            CsvTableWriter.WriteAsync(WriterTestData.CreateTable().CreateDataReader(), stream, new CsvFormatOptions { Delimiter = delimiter }, null, CancellationToken.None));
    }

    [Fact]
    public async Task Invalid_options_are_configuration_errors()
    {
        using var stream = new MemoryStream();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            CsvTableWriter.WriteAsync(WriterTestData.CreateTable().CreateDataReader(), stream, new CsvFormatOptions { Delimiter = '"' }, null, CancellationToken.None));
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var stream = new MemoryStream();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CsvTableWriter.WriteAsync(WriterTestData.CreateTable().CreateDataReader(), stream, new CsvFormatOptions(), null, cancelled.Token));
    }

    private static async Task<(string Text, long Rows)> WriteAsync(DbDataReader reader, CsvFormatOptions options)
    {
        using var stream = new MemoryStream();
        long rows = await CsvTableWriter.WriteAsync(reader, stream, options, null, CancellationToken.None);
        return (options.Encoding.GetString(stream.ToArray()), rows);
    }

    /// <summary>Reads CSV back with Sylvan, header included as the first record, every field as its text.</summary>
    private static List<string[]> ReadCsv(string text, CsvFormatOptions options)
    {
        var readerOptions = new CsvDataReaderOptions
        {
            Delimiter = options.Delimiter,
            Quote = options.Quote,
            Escape = options.Quote,
            HasHeaders = false,

            // Sylvan's reader skips lines that start with '#' by default; RFC 4180 knows no comments.
            Comment = '~',
        };
        using CsvDataReader csv = CsvDataReader.Create(new StringReader(text), readerOptions);
        var records = new List<string[]>();
        while (csv.Read())
        {
            var record = new string[csv.RowFieldCount];
            for (int i = 0; i < record.Length; i++)
            {
                record[i] = csv.GetString(i);
            }

            records.Add(record);
        }

        return records;
    }
}

/// <summary>The table both writers' tests use: every column type, nulls, unicode, quoting and extreme values.</summary>
internal static class WriterTestData
{
    public static readonly Guid SomeGuid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    /// <summary>2024-05-06 07:08:09.1234567: the 7th fractional digit is below a microsecond.</summary>
    public static readonly DateTime SomeTime = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Unspecified).AddTicks(1_234_567);

    public static readonly string[] ColumnNames = ["s", "j", "l", "m", "d", "b", "t", "g"];

    public static readonly Type[] ColumnTypes = [typeof(string), typeof(string), typeof(long), typeof(decimal), typeof(double), typeof(bool), typeof(DateTime), typeof(Guid)];

    public static readonly object?[][] Rows =
    [
        ["plain", """{"a":[1,2]}""", long.MaxValue, 79228162514264337593543950335m, 0.1, true, SomeTime, SomeGuid],
        ["comma, \"quote\"\nnewline", null, long.MinValue, -0.000000001m, 1e300, false, new DateTime(2000, 1, 1), Guid.Empty],
        [null, null, null, null, null, null, null, null],
        ["", "[]", 0L, -79228162514264337593543950335m, -2.2250738585072014E-308, true, DateTime.MinValue, Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff")],
        ["ünïcödé 日本語 😀 #", "\"text\"", -1L, 1.5m, -0.5, false, new DateTime(9999, 12, 31, 23, 59, 59, 999, 999), null],
    ];

    /// <summary>The text of each field as the CSV writer must write it (null and empty both read back as "").</summary>
    public static readonly string[][] ExpectedText =
    [
        ["plain", """{"a":[1,2]}""", "9223372036854775807", "79228162514264337593543950335", "0.1", "true", "2024-05-06 07:08:09.123456", "0f8fad5b-d9cb-469f-a165-70867728950e"],
        ["comma, \"quote\"\nnewline", "", "-9223372036854775808", "-0.000000001", "1E+300", "false", "2000-01-01 00:00:00.000000", "00000000-0000-0000-0000-000000000000"],
        ["", "", "", "", "", "", "", ""],
        ["", "[]", "0", "-79228162514264337593543950335", "-2.2250738585072014E-308", "true", "0001-01-01 00:00:00.000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"],
        ["ünïcödé 日本語 😀 #", "\"text\"", "-1", "1.5", "-0.5", "false", "9999-12-31 23:59:59.999999", ""],
    ];

    public static DataTable CreateTable()
    {
        var table = new DataTable();
        for (int i = 0; i < ColumnNames.Length; i++)
        {
            table.Columns.Add(ColumnNames[i], ColumnTypes[i]);
        }

        foreach (object?[] row in Rows)
        {
            table.Rows.Add(row.Select(v => v ?? DBNull.Value).ToArray());
        }

        return table;
    }

    /// <summary>The same rows through <see cref="ListDataReader"/>; column <c>j</c> reports data type name <c>json</c>.</summary>
    public static ListDataReader CreateListReader() =>
        new(ColumnNames, ColumnTypes, Rows, ordinal => ordinal == 1 ? "json" : null);
}

/// <summary>
/// A minimal forward-only reader over rows in memory. <see cref="GetValue"/>, <see cref="GetFieldValue{T}"/> and the
/// indexers throw, so a writer that boxes values fails its tests.
/// </summary>
internal sealed class ListDataReader(string[] names, Type[] types, IReadOnlyList<object?[]> rows, Func<int, string?>? dataTypeName = null) : DbDataReader
{
    private int _row = -1;
    private bool _closed;

    public override int FieldCount => names.Length;

    public override int Depth => 0;

    public override bool HasRows => rows.Count > 0;

    public override bool IsClosed => _closed;

    public override int RecordsAffected => -1;

    public override object this[int ordinal] => throw Boxing();

    public override object this[string name] => throw Boxing();

    public override bool Read() => ++_row < rows.Count;

    public override bool NextResult() => false;

    public override void Close() => _closed = true;

    public override string GetName(int ordinal) => names[ordinal];

    public override int GetOrdinal(string name) => Array.IndexOf(names, name);

    public override Type GetFieldType(int ordinal) => types[ordinal];

    public override string GetDataTypeName(int ordinal) => dataTypeName?.Invoke(ordinal) ?? types[ordinal].Name;

    public override bool IsDBNull(int ordinal) => Current(ordinal) is null;

    public override object GetValue(int ordinal) => throw Boxing();

    public override T GetFieldValue<T>(int ordinal) => throw Boxing();

    public override int GetValues(object[] values) => throw Boxing();

    public override string GetString(int ordinal) => (string)Current(ordinal)!;

    public override long GetInt64(int ordinal) => (long)Current(ordinal)!;

    public override decimal GetDecimal(int ordinal) => (decimal)Current(ordinal)!;

    public override double GetDouble(int ordinal) => (double)Current(ordinal)!;

    public override bool GetBoolean(int ordinal) => (bool)Current(ordinal)!;

    public override DateTime GetDateTime(int ordinal) => (DateTime)Current(ordinal)!;

    public override Guid GetGuid(int ordinal) => (Guid)Current(ordinal)!;

    public override byte GetByte(int ordinal) => throw new InvalidCastException();

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new InvalidCastException();

    public override char GetChar(int ordinal) => throw new InvalidCastException();

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new InvalidCastException();

    public override float GetFloat(int ordinal) => throw new InvalidCastException();

    public override short GetInt16(int ordinal) => throw new InvalidCastException();

    public override int GetInt32(int ordinal) => throw new InvalidCastException();

    public override IEnumerator GetEnumerator() => throw Boxing();

    private object? Current(int ordinal) =>
        _row >= 0 && _row < rows.Count ? rows[_row][ordinal] : throw new InvalidOperationException("No current row.");

    private static InvalidOperationException Boxing() => new("The writer must use the typed getters.");
}
