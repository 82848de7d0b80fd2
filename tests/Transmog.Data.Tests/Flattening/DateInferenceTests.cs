using System.Text;
using Transmog.Data.Schema;

namespace Transmog.Data.Tests.Flattening;

/// <summary>ISO 8601 strings typed as dates, date-times and offset date-times (<see cref="TransmogOptions.InferDates"/>).</summary>
public class DateInferenceTests
{
    private static TransmogColumnType TypeOf(string json, string column = "a", TransmogOptions? options = null)
    {
        using var result = TestData.Flatten(json, options);
        return result.Main.Schema.Columns[result.Main.Schema.IndexOf(column)].Type;
    }

    private static string Values(params string[] values) =>
        "[" + string.Join(",", values.Select(v => v == "null" ? """{"a":null}""" : $$"""{"a":"{{v}}"}""")) + "]";

    [Theory]
    [InlineData("2024-03-01", nameof(ValueKinds.Date))]
    [InlineData("0001-01-01", nameof(ValueKinds.Date))]
    [InlineData("9999-12-31", nameof(ValueKinds.Date))]
    [InlineData("2024-02-29", nameof(ValueKinds.Date))]
    [InlineData("2024-03-01T10:20:30", nameof(ValueKinds.DateTime))]
    [InlineData("2024-03-01 10:20:30", nameof(ValueKinds.DateTime))]
    [InlineData("2024-03-01T10:20:30.5", nameof(ValueKinds.DateTime))]
    [InlineData("2024-03-01T10:20:30.123456", nameof(ValueKinds.DateTime))]
    [InlineData("2024-03-01T10:20:30Z", nameof(ValueKinds.DateTimeOffset))]
    [InlineData("2024-03-01T10:20:30.123456+05:30", nameof(ValueKinds.DateTimeOffset))]
    [InlineData("2024-03-01 23:59:59-14:00", nameof(ValueKinds.DateTimeOffset))]
    [InlineData("2024-03-01T00:00:00+14:00", nameof(ValueKinds.DateTimeOffset))]
    [InlineData("2023-02-29", nameof(ValueKinds.String))]                         // not a leap year
    [InlineData("2023-02-30", nameof(ValueKinds.String))]
    [InlineData("2024-13-01", nameof(ValueKinds.String))]
    [InlineData("2024-00-10", nameof(ValueKinds.String))]
    [InlineData("0000-01-01", nameof(ValueKinds.String))]
    [InlineData("2024-3-01", nameof(ValueKinds.String))]
    [InlineData("2024/03/01", nameof(ValueKinds.String))]
    [InlineData("20240301", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:20", nameof(ValueKinds.String))]                   // seconds required
    [InlineData("2024-03-01T24:00:00", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:60:00", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:20:60", nameof(ValueKinds.String))]                // no leap second
    [InlineData("2024-03-01T10:20:30.1234567", nameof(ValueKinds.String))]        // 7 digits: more than microseconds hold
    [InlineData("2024-03-01T10:20:30.123456789Z", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:20:30.", nameof(ValueKinds.String))]
    [InlineData("2024-03-01t10:20:30", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:20:30z", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:20:30+0530", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:20:30+05", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:20:30+15:00", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:20:30+14:30", nameof(ValueKinds.String))]
    [InlineData("2024-03-01T10:20:30 ", nameof(ValueKinds.String))]
    [InlineData(" 2024-03-01", nameof(ValueKinds.String))]
    [InlineData("0001-01-01T00:00:00+01:00", nameof(ValueKinds.String))]          // before year 1 in UTC
    [InlineData("9999-12-31T23:00:00-01:30", nameof(ValueKinds.String))]          // after year 9999 in UTC
    [InlineData("abcd-ef-gh", nameof(ValueKinds.String))]
    [InlineData("O-001-1", nameof(ValueKinds.String))]
    public void Iso_forms_are_classified_exactly(string text, string expected)
    {
        Assert.Equal(expected, IsoDateTime.Classify(Encoding.UTF8.GetBytes(text)).ToString());
    }

    [Fact]
    public void Classification_and_parsing_agree_with_the_exact_formats_of_dotnet()
    {
        // Mutated ISO strings (digits, separators, fraction lengths, offsets) against DateTime(Offset).TryParseExact.
        var random = new Random(20240301);
        string[] seeds = ["2024-02-29", "2023-02-28T23:59:59", "2024-12-31 00:00:00.123456", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9+14:00", "2024-06-15T12:30:45.5-09:30"];
        const string alphabet = "0123456789-:T .Z+z";
        string[] dates = ["yyyy-MM-dd"];
        string[] times = [.. new[] { "'T'", " " }.SelectMany(sep => new[] { "", ".f", ".ff", ".fff", ".ffff", ".fffff", ".ffffff" }.Select(f => "yyyy-MM-dd" + sep + "HH:mm:ss" + f))];
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        for (int n = 0; n < 20_000; n++)
        {
            char[] text = seeds[random.Next(seeds.Length)].ToCharArray();
            int edits = random.Next(0, 3);
            var chars = new List<char>(text);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(chars.Count);
                switch (random.Next(4))
                {
                    case 0: chars[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: chars[at] = (char)('0' + random.Next(10)); break;
                    case 2: chars.RemoveAt(at); break;
                    default: chars.Insert(at, (char)('0' + random.Next(10))); break;
                }
            }

            string value = new(chars.ToArray());
            string expected =
                DateTime.TryParseExact(value, dates, culture, System.Globalization.DateTimeStyles.None, out _) ? nameof(ValueKinds.Date)
                : DateTime.TryParseExact(value, times, culture, System.Globalization.DateTimeStyles.None, out _) ? nameof(ValueKinds.DateTime)
                : DateTimeOffset.TryParseExact(value, [.. times.Select(t => t + "'Z'")], culture, System.Globalization.DateTimeStyles.AssumeUniversal, out _)
                    || (DateTimeOffset.TryParseExact(value, [.. times.Select(t => t + "zzz")], culture, System.Globalization.DateTimeStyles.None, out DateTimeOffset withOffset)
                        && Math.Abs(withOffset.Offset.TotalMinutes) <= 14 * 60 && value[^6] is '+' or '-') ? nameof(ValueKinds.DateTimeOffset)
                : nameof(ValueKinds.String);
            ValueKinds kind = IsoDateTime.TryParse(Encoding.UTF8.GetBytes(value), out DateTime parsed, out int offset);
            Assert.True(expected == kind.ToString(), $"'{value}': expected {expected}, classified {kind}");
            if (kind == ValueKinds.DateTimeOffset)
            {
                Assert.Equal(DateTimeOffset.Parse(value, culture), new DateTimeOffset(parsed, TimeSpan.FromMinutes(offset)));
            }
            else if (kind != ValueKinds.String)
            {
                Assert.Equal(DateTime.Parse(value, culture, System.Globalization.DateTimeStyles.RoundtripKind), parsed);
            }
        }
    }

    [Theory]
    [InlineData(TransmogColumnType.Date, "2024-03-01", "2023-12-31", "null")]
    [InlineData(TransmogColumnType.DateTime, "2024-03-01T10:20:30", "2024-03-01 10:20:30.5")]
    [InlineData(TransmogColumnType.DateTimeOffset, "2024-03-01T10:20:30Z", "2024-03-01T10:20:30+01:00")]
    [InlineData(TransmogColumnType.DateTime, "2024-03-01", "2024-03-01T10:20:30")]          // a date widens to its midnight
    [InlineData(TransmogColumnType.String, "2024-03-01", "2024-03-01T10:20:30Z")]           // a local date and an instant: text
    [InlineData(TransmogColumnType.String, "2024-03-01T10:20:30", "2024-03-01T10:20:30Z")]
    [InlineData(TransmogColumnType.String, "2024-03-01", "2023-02-30")]                     // one invalid date
    [InlineData(TransmogColumnType.String, "2024-03-01T10:20:30", "2024-03-01T10:20:30.1234567")] // one value beyond micros
    [InlineData(TransmogColumnType.String, "2024-03-01", "n/a")]
    public void A_column_is_typed_only_when_every_value_is_one_kind(TransmogColumnType expected, params string[] values)
    {
        Assert.Equal(expected, TypeOf(Values(values)));
    }

    [Fact]
    public void Any_other_kind_of_value_keeps_the_column_text()
    {
        Assert.Equal(TransmogColumnType.String, TypeOf("""[{"a":"2024-03-01"},{"a":20240301}]"""));
        Assert.Equal(TransmogColumnType.String, TypeOf("""[{"a":"2024-03-01"},{"a":true}]"""));
        Assert.Equal(TransmogColumnType.Json, TypeOf("""[{"a":["2024-03-01"]}]"""));
    }

    [Fact]
    public void An_escaped_date_is_a_date()
    {
        // "\u0032024-03-01" is "2024-03-01" once unescaped.
        Assert.Equal(TransmogColumnType.Date, TypeOf("""[{"a":"\u0032024-03-01"},{"a":"2024-03-02"}]"""));
        Assert.Equal(TransmogColumnType.String, TypeOf("""[{"a":"2024-03-01\n"}]"""));
    }

    [Fact]
    public void The_opt_out_and_stringify_keep_strings()
    {
        const string json = """[{"a":"2024-03-01","b":"2024-03-01T10:20:30Z"}]""";
        Assert.Equal(TransmogColumnType.String, TypeOf(json, "a", new TransmogOptions { InferDates = false }));
        Assert.Equal(TransmogColumnType.String, TypeOf(json, "b", new TransmogOptions { InferDates = false }));
        Assert.Equal(TransmogColumnType.String, TypeOf(json, "a", new TransmogOptions { StringifyValues = true }));
        using var result = TestData.Flatten(json, new TransmogOptions { InferDates = false });
        Assert.Equal("2024-03-01", result.Main.Rows()[0]["a"]);
        Assert.Equal(TransmogOptions.Default.InferDates, new TransmogConnectionStringBuilder().InferDates);
        Assert.False(new TransmogConnectionStringBuilder("Dates=false").ToOptions().InferDates);
    }

    [Fact]
    public void Natural_ids_stay_text()
    {
        using var result = TestData.Flatten("""[{"id":"2024-03-01","d":"2024-03-01"}]""", new TransmogOptions { IdGeneration = IdGeneration.Natural, IdField = "id" });
        Assert.Equal(TransmogColumnType.String, result.Main.Schema.Columns[result.Main.Schema.IndexOf("id")].Type);
        Assert.Equal(TransmogColumnType.Date, result.Main.Schema.Columns[result.Main.Schema.IndexOf("d")].Type);
    }

    [Fact]
    public void The_exact_scan_and_the_window_agree()
    {
        var json = new StringBuilder();
        for (int i = 0; i < 50; i++)
        {
            json.Append(System.Globalization.CultureInfo.InvariantCulture, $$"""{"d":"2024-01-{{(i % 28) + 1:00}}","t":"2024-01-01T00:00:{{i:00}}.25","z":"2024-01-01T00:00:00+0{{i % 10}}:00"}""").Append('\n');
        }

        foreach (SchemaInference inference in new[] { SchemaInference.FullScan, SchemaInference.Window })
        {
            var options = new TransmogOptions { SchemaInference = inference, InferenceWindow = 10 };
            using FlattenResult result = JsonFlattener.Flatten(inference == SchemaInference.Window ? JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString()))) : JsonInput.FromString(json.ToString()), "data", options);
            TransmogTable schema = result.Main.Schema;
            Assert.Equal(TransmogColumnType.Date, schema.Columns[schema.IndexOf("d")].Type);
            Assert.Equal(TransmogColumnType.DateTime, schema.Columns[schema.IndexOf("t")].Type);
            Assert.Equal(TransmogColumnType.DateTimeOffset, schema.Columns[schema.IndexOf("z")].Type);
            Assert.Equal(50, result.Main.RowCount);
        }
    }

    [Fact]
    public void A_value_after_the_window_that_is_no_date_is_drift()
    {
        string json = """{"d":"2024-01-01"}""" + "\n" + """{"d":"soon"}""" + "\n";
        var options = new TransmogOptions { SchemaInference = SchemaInference.Window, InferenceWindow = 1 };
        Assert.Throws<TransmogSchemaDriftException>(() => JsonFlattener.Flatten(JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(json))), "data", options));

        using FlattenResult skipped = JsonFlattener.Flatten(JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(json))), "data", options with { SchemaDrift = RecoveryMode.Skip });
        Assert.Equal(1, skipped.Main.RowCount);
        Assert.Single(skipped.Rejects);
    }

    [Fact]
    public void An_explicit_schema_types_dates_even_with_the_opt_out()
    {
        var schema = new TransmogSchema([
            new TransmogTable("data", [
                new TransmogColumn("d", TransmogColumnType.Date),
                new TransmogColumn("t", TransmogColumnType.DateTime),
                new TransmogColumn("z", TransmogColumnType.DateTimeOffset),
                new TransmogColumn("s", TransmogColumnType.String),
                new TransmogColumn("_id", TransmogColumnType.Guid, TransmogColumnRole.Id),
            ]),
        ]);
        var options = new TransmogOptions { Schema = schema, InferDates = false, TimeField = null };
        using var result = TestData.Flatten("""[{"d":"2024-03-01","t":"2024-03-01","z":"2024-03-01T10:00:00-02:00","s":"2024-03-01"}]""", options);
        var row = result.Main.Rows()[0];
        Assert.Equal(new DateTime(2024, 3, 1), row["d"]);
        Assert.Equal(new DateTime(2024, 3, 1), row["t"]);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.FromHours(-2)), row["z"]);
        Assert.Equal("2024-03-01", row["s"]);

        // A value that is not of the column's kind does not fit.
        Assert.Throws<TransmogSchemaDriftException>(() => TestData.Flatten("""[{"d":"2024-03-01T10:00:00"}]""", options));
        Assert.Throws<TransmogSchemaDriftException>(() => TestData.Flatten("""[{"z":"2024-03-01T10:00:00"}]""", options));
        Assert.Throws<TransmogSchemaDriftException>(() => TestData.Flatten("""[{"t":"2024-03-01T10:00:00Z"}]""", options));
    }

    [Fact]
    public void The_sample_types_signup_and_placed_at()
    {
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFile(Path.Combine(Repository.Root, "samples", "data", "customers.jsonl")), "customers");
        TransmogTable customers = result.Main.Schema;
        Assert.Equal(TransmogColumnType.Date, customers.Columns[customers.IndexOf("signup")].Type);
        TransmogTable orders = result["customers_orders"].Schema;
        Assert.Equal(TransmogColumnType.DateTimeOffset, orders.Columns[orders.IndexOf("placed_at")].Type);
    }
}
