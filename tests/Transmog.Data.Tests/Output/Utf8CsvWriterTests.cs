using System.Globalization;
using System.Text;
using System.Text.Json;
using Transmog.Data.Output;

namespace Transmog.Data.Tests.Output;

/// <summary>
/// The UTF-8 CSV path writes exactly the bytes of the Sylvan path for the same reader and options: both are run on
/// the same in-memory tables (so ids and the timestamp are the same) and compared byte for byte.
/// </summary>
public class Utf8CsvWriterTests
{
    private static readonly string[] Texts =
    [
        "", "plain", "#hash first", "mid # hash", "comma, inside", "semi;colon", "pipe|bar", "tab\there", "quote \" inside",
        "\"", "\"\"", "single ' quote", "line\nbreak", "carriage\rreturn", "crlf\r\nend", " leading space", "trailing space ",
        "é ü ß", "日本 東京", "emoji 😀", "null", "NaN", "0123", "-", "2024-05-06",
    ];

    private static readonly string[] NumberTexts =
    [
        "0", "-0", "1", "-1", "42", "9223372036854775807", "-9223372036854775808", "123456789012345678",
        "0.1", "0.10", "-0.5", "1.0", "1.25", "100.001", "0.01", "0.00001", "123456789012345.6", "12345678901234.5",
        "1e5", "1E-7", "2.5e+300", "-0.0", "999999999999999", "1000000000000000", "0.30000000000000004", "3.14159265358979",
    ];

    public static TheoryData<string> Variants => new()
    {
        "default", "semicolon", "pipe", "tab", "single-quote", "crlf", "bom", "no-header",
    };

    private static CsvFormatOptions Options(string variant) => variant switch
    {
        "semicolon" => new CsvFormatOptions { Delimiter = ';' },
        "pipe" => new CsvFormatOptions { Delimiter = '|' },
        "tab" => new CsvFormatOptions { Delimiter = '\t' },
        "single-quote" => new CsvFormatOptions { Quote = '\'' },
        "crlf" => new CsvFormatOptions { NewLine = "\r\n" },
        "bom" => new CsvFormatOptions { Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true) },
        "no-header" => new CsvFormatOptions { Header = false },
        _ => new CsvFormatOptions(),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_cell_kind_is_written_as_the_sylvan_path_writes_it(string variant)
    {
        foreach (TransmogOptions options in new[]
        {
            TransmogOptions.Default,
            TransmogOptions.Default with { IdGeneration = IdGeneration.Hash, IncludeArrayIndex = true, IncludeRootId = true },
            TransmogOptions.Default with { RealNumbers = TransmogColumnType.Decimal, ArrayMode = ArrayMode.Separate },
            TransmogOptions.Default with { StringifyValues = true, IncludeNulls = true },
            TransmogOptions.Default with { InferDates = false, ArrayMode = ArrayMode.Inline },
        })
        {
            using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(Records(seed: 7, count: 400)), "data", options);
            Assert.True(result.AllTables.Count >= (options.ArrayMode == ArrayMode.Inline ? 1 : 3));
            foreach (FlattenedTable table in result.AllTables)
            {
                byte[] sylvan = await WriteAsync(table, Options(variant), fromUtf8Cells: false);
                byte[] utf8 = await WriteAsync(table, Options(variant), fromUtf8Cells: true);
                int at = FirstDifference(sylvan, utf8);
                Assert.True(sylvan.AsSpan().SequenceEqual(utf8), $"{variant}, {options}, table {table.Name}: first difference at byte {at}: Sylvan '{Around(sylvan, at)}', UTF-8 '{Around(utf8, at)}'");
            }
        }
    }

    [Fact]
    public async Task Long_fields_grow_the_buffer_and_are_written_whole()
    {
        string longText = string.Concat(Enumerable.Repeat("ab\"c,", 40_000));
        string json = JsonSerializer.Serialize(new[] { new { s = longText, n = 1 }, new { s = "short", n = 2 } });
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(json), "data", TransmogOptions.Default with { TimeField = null });

        byte[] sylvan = await WriteAsync(result.Main, new CsvFormatOptions(), fromUtf8Cells: false);
        byte[] utf8 = await WriteAsync(result.Main, new CsvFormatOptions(), fromUtf8Cells: true);

        Assert.Equal(sylvan, utf8);
        Assert.True(utf8.Length > longText.Length);
    }

    [Fact]
    public async Task Progress_and_the_row_count_match_the_sylvan_path()
    {
        var lines = new StringBuilder();
        for (int i = 0; i < CsvTableWriter.ProgressInterval * 2; i++)
        {
            lines.Append("{\"a\":").Append(i).Append("}\n");
        }

        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(lines.ToString()), "data");
        var viaSylvan = new List<long>();
        var viaUtf8 = new List<long>();
        using (var stream = new MemoryStream())
        {
            await CsvTableWriter.WriteAsync(result.Main.CreateReader(), stream, new CsvFormatOptions(), viaSylvan.Add, CancellationToken.None, fromUtf8Cells: false);
        }

        long rows;
        using (var stream = new MemoryStream())
        {
            rows = await CsvTableWriter.WriteAsync(result.Main.CreateReader(), stream, new CsvFormatOptions(), viaUtf8.Add, CancellationToken.None);
        }

        Assert.Equal(CsvTableWriter.ProgressInterval * 2, rows);
        Assert.Equal(viaSylvan, viaUtf8);
        Assert.Equal(rows, viaUtf8[^1]);
    }

    [Fact]
    public async Task Cancellation_stops_the_write()
    {
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString("{\"a\":1}\n{\"a\":2}"), "data");
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using var stream = new MemoryStream();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            CsvTableWriter.WriteAsync(result.Main.CreateReader(), stream, new CsvFormatOptions(), null, cancelled.Token));
    }

    [Fact]
    public void Integers_are_copied_only_when_their_text_is_the_formatted_value()
    {
        foreach (string text in NumberTexts.Concat(["00", "-01", "+1", "1.5", "", "12345678901234567890"]))
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            if (Utf8CsvWriter.IsCanonicalInteger(bytes, 18))
            {
                Assert.Equal(text, long.Parse(text, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
            }
        }

        Assert.False(Utf8CsvWriter.IsCanonicalInteger("-0"u8, 18));
        Assert.False(Utf8CsvWriter.IsCanonicalInteger("007"u8, 18));
        Assert.True(Utf8CsvWriter.IsCanonicalInteger("-123"u8, 18));
    }

    [Fact]
    public void Decimal_texts_are_copied_only_when_they_are_the_shortest_round_trip_text()
    {
        var random = new Random(11);
        var texts = new List<string>(NumberTexts);
        for (int i = 0; i < 200_000; i++)
        {
            // Random digits around the edges: 1 to 17 digits, the point anywhere, a sign, trailing zeros.
            int digits = random.Next(1, 18);
            var text = new StringBuilder();
            if (random.Next(4) == 0)
            {
                text.Append('-');
            }

            int point = random.Next(0, digits + 1);
            for (int d = 0; d < digits; d++)
            {
                if (d == point && d > 0)
                {
                    text.Append('.');
                }

                text.Append((char)('0' + random.Next(10)));
            }

            texts.Add(text.ToString());
            texts.Add(random.NextDouble().ToString("R", CultureInfo.InvariantCulture));
            texts.Add((random.NextDouble() * Math.Pow(10, random.Next(-8, 17))).ToString("R", CultureInfo.InvariantCulture));
        }

        int copied = 0;
        foreach (string text in texts)
        {
            if (Utf8CsvWriter.IsShortestDouble(Encoding.ASCII.GetBytes(text)))
            {
                copied++;
                Assert.Equal(double.Parse(text, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture), text);
            }
        }

        Assert.True(copied > 100_000, $"only {copied} texts were copied");
    }

    private static async Task<byte[]> WriteAsync(FlattenedTable table, CsvFormatOptions options, bool fromUtf8Cells)
    {
        using var stream = new MemoryStream();
        using TransmogDataReader reader = table.CreateReader();
        await CsvTableWriter.WriteAsync(reader, stream, options, null, CancellationToken.None, fromUtf8Cells);
        return stream.ToArray();
    }

    private static string Around(byte[] bytes, int at)
    {
        int start = Math.Max(0, at - 40);
        return Encoding.UTF8.GetString(bytes, start, Math.Min(bytes.Length, at + 40) - start);
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        int n = Math.Min(a.Length, b.Length);
        for (int i = 0; i < n; i++)
        {
            if (a[i] != b[i])
            {
                return i;
            }
        }

        return n;
    }

    /// <summary>JSON Lines over every kind of cell: texts that need quoting, numbers of every form, booleans, nulls, dates, nested objects and arrays.</summary>
    private static string Records(int seed, int count)
    {
        var random = new Random(seed);
        var json = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            string Text() => JsonSerializer.Serialize(Texts[random.Next(Texts.Length)]);
            string Number() => NumberTexts[random.Next(NumberTexts.Length)];
            string Integer() => random.Next(3) switch { 0 => "0", 1 => random.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture), _ => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture) };
            string Real() => (random.NextDouble() * Math.Pow(10, random.Next(-9, 18)) * (random.Next(2) == 0 ? -1 : 1)).ToString("R", CultureInfo.InvariantCulture);
            string Date() => random.Next(3) switch
            {
                0 => "\"2024-05-06\"",
                1 => "\"2024-05-06T07:08:09.123\"",
                _ => "\"2024-05-06T07:08:09+02:00\"",
            };

            json.Append("{\"id\":").Append(i)
                .Append(",\"text\":").Append(Text())
                .Append(",\"mixed\":").Append(random.Next(3) == 0 ? Text() : Number())
                .Append(",\"integer\":").Append(Integer())
                .Append(",\"real\":").Append(random.Next(4) == 0 ? Integer() : Real())
                .Append(",\"number\":").Append(Number())
                .Append(",\"flag\":").Append(random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" })
                .Append(",\"when\":").Append(Date())
                .Append(",\"empty\":").Append(random.Next(2) == 0 ? "\"\"" : "null")
                .Append(",\"tags\":[").Append(Text()).Append(',').Append(Number()).Append(']')
                .Append(",\"nested\":{\"a\":").Append(Text()).Append(",\"b\":{\"c\":").Append(Real()).Append("}}")
                .Append(",\"items\":[");
            int items = random.Next(0, 4);
            for (int k = 0; k < items; k++)
            {
                json.Append(k > 0 ? "," : string.Empty)
                    .Append("{\"name\":").Append(Text()).Append(",\"price\":").Append(Real())
                    .Append(",\"parts\":[{\"q\":").Append(Integer()).Append(",\"note\":").Append(Text()).Append("}]}");
            }

            json.Append("]}\n");
        }

        return json.ToString();
    }
}
