using System.Data;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;

namespace Transmog.Data.Tests.Output;

/// <summary>Typed dates through the reader's getters, CSV (the original text) and Parquet (DATE and TIMESTAMP), read back by Parquet.Net and DuckDB.</summary>
public sealed class DateOutputTests : IDisposable
{
    private const string Events = """
        {"day":"2024-03-01","at":"2024-03-01T10:20:30.123456","when":"2024-03-01T10:20:30+02:00","mixed":"2024-03-01"}
        {"day":"1999-12-31","at":"2024-03-01 00:00:00","when":"2024-03-01T23:59:59.5Z","mixed":"2024-03-01T06:00:00.1"}
        {"day":null,"at":"0001-01-01T00:00:00","when":"2024-12-31T22:00:00-05:30"}
        """;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "transmog-dates-" + Guid.NewGuid().ToString("N"));

    public DateOutputTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static TransmogOptions Options => TransmogOptions.ForMemory() with { IdGeneration = IdGeneration.Hash };

    [Fact]
    public void Readers_serve_typed_values_and_the_original_text()
    {
        using TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromString(Events), "events", options: Options);
        int day = reader.GetOrdinal("day"), at = reader.GetOrdinal("at"), when = reader.GetOrdinal("when"), mixed = reader.GetOrdinal("mixed"), stamp = reader.GetOrdinal("_timestamp");

        Assert.Equal((typeof(DateTime), "date"), (reader.GetFieldType(day), reader.GetDataTypeName(day)));
        Assert.Equal((typeof(DateTime), "timestamp"), (reader.GetFieldType(at), reader.GetDataTypeName(at)));
        Assert.Equal((typeof(DateTimeOffset), "timestamptz"), (reader.GetFieldType(when), reader.GetDataTypeName(when)));
        Assert.Equal((typeof(DateTime), "timestamp"), (reader.GetFieldType(mixed), reader.GetDataTypeName(mixed)));
        DataTable schema = reader.GetSchemaTable();
        Assert.Equal(typeof(DateTimeOffset), schema.Rows[when]["DataType"]);
        Assert.Equal("date", schema.Rows[day]["DataTypeName"]);

        Assert.True(reader.Read());
        Assert.Equal(new DateTime(2024, 3, 1), reader.GetDateTime(day));
        Assert.Equal(DateTimeKind.Unspecified, reader.GetDateTime(day).Kind);
        Assert.Equal(new DateOnly(2024, 3, 1), reader.GetFieldValue<DateOnly>(day));
        Assert.Equal(new DateOnly(2024, 3, 1), reader.GetFieldValue<DateOnly?>(day));
        Assert.Equal("2024-03-01", reader.GetString(day));
        Assert.Equal(new DateTime(2024, 3, 1, 10, 20, 30).AddTicks(1234560), reader.GetDateTime(at));
        Assert.Equal(DateTimeKind.Unspecified, reader.GetDateTime(at).Kind);
        Assert.Equal("2024-03-01T10:20:30.123456", reader.GetString(at));
        var expected = new DateTimeOffset(2024, 3, 1, 10, 20, 30, TimeSpan.FromHours(2));
        Assert.Equal(expected, reader.GetFieldValue<DateTimeOffset>(when));
        Assert.Equal(TimeSpan.FromHours(2), reader.GetFieldValue<DateTimeOffset>(when).Offset);
        Assert.Equal(expected, reader.GetValue(when));
        Assert.Equal(expected.UtcDateTime, reader.GetDateTime(when));
        Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(when).Kind);
        Assert.Equal("2024-03-01T10:20:30+02:00", reader.GetString(when));
        Assert.Equal(new DateTime(2024, 3, 1), reader.GetValue(mixed));
        Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(stamp).Kind);

        // Getters of another type are refused, as for any column.
        Assert.Throws<InvalidCastException>(() => reader.GetInt64(day));
        Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<DateTimeOffset>(at));
        Assert.Throws<InvalidCastException>(() => reader.GetFieldValue<DateOnly>(at));

        Assert.True(reader.Read());
        Assert.Equal(new DateTime(2024, 3, 1, 6, 0, 0, 100), reader.GetDateTime(mixed));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 23, 59, 59, 500, TimeSpan.Zero), reader.GetFieldValue<DateTimeOffset>(when));
        Assert.Equal("2024-03-01 00:00:00", reader.GetString(at));

        Assert.True(reader.Read());
        Assert.True(reader.IsDBNull(day));
        Assert.Equal(DBNull.Value, reader.GetValue(day));
        Assert.Null(reader.GetFieldValue<DateOnly?>(day));
        Assert.Equal(DateTime.MinValue, reader.GetDateTime(at));
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 22, 0, 0, new TimeSpan(-5, -30, 0)), reader.GetFieldValue<DateTimeOffset>(when));
    }

    [Fact]
    public async Task Csv_writes_the_original_text()
    {
        await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(Events), _directory, "events", new CsvFormatOptions(), Options);
        string[] lines = await File.ReadAllLinesAsync(Path.Combine(_directory, "events.csv"));
        Assert.StartsWith("day,at,when,mixed,", lines[0]);
        Assert.StartsWith("2024-03-01,2024-03-01T10:20:30.123456,2024-03-01T10:20:30+02:00,2024-03-01,", lines[1]);
        Assert.StartsWith("1999-12-31,2024-03-01 00:00:00,2024-03-01T23:59:59.5Z,2024-03-01T06:00:00.1,", lines[2]);
        Assert.StartsWith(",0001-01-01T00:00:00,2024-12-31T22:00:00-05:30,,", lines[3]);

        // The run's timestamp keeps its format.
        string stamp = lines[1].Split(',')[^1];
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$", stamp);
    }

    [Fact]
    public async Task Parquet_has_date_and_timestamp_types_that_Parquet_Net_reads_back()
    {
        await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(Events), _directory, "events", new ParquetFormatOptions(), Options);
        await using ParquetReader parquet = await ParquetReader.CreateAsync(Path.Combine(_directory, "events.parquet"));
        DataField[] fields = parquet.Schema.GetDataFields();
        DataField day = fields.Single(f => f.Name == "day");
        var at = (DateTimeDataField)fields.Single(f => f.Name == "at");
        var when = (DateTimeDataField)fields.Single(f => f.Name == "when");
        var stamp = (DateTimeDataField)fields.Single(f => f.Name == "_timestamp");
        Assert.False(at.IsAdjustedToUTC);
        Assert.True(when.IsAdjustedToUTC);
        Assert.True(stamp.IsAdjustedToUTC);
        Assert.Equal(DateTimeTimeUnit.Micros, at.Unit);
        Assert.Equal(DateTimeTimeUnit.Micros, when.Unit);

        using ParquetRowGroupReader group = parquet.OpenRowGroupReader(0);
        Assert.Equal(DateTimeFormat.Date, Assert.IsType<DateTimeDataField>(day).DateTimeFormat);
        var days = new DateTime?[3];
        await group.ReadAsync<DateTime>(day, days.AsMemory());
        Assert.Equal(new DateTime?[] { new DateTime(2024, 3, 1), new DateTime(1999, 12, 31), null }, days);
        var ats = new DateTime?[3];
        await group.ReadAsync<DateTime>(at, ats.AsMemory());
        Assert.Equal(new DateTime(2024, 3, 1, 10, 20, 30).AddTicks(1234560), ats[0]);
        Assert.Equal(DateTime.MinValue, ats[2]);
        var whens = new DateTime?[3];
        await group.ReadAsync<DateTime>(when, whens.AsMemory());
        Assert.Equal(new DateTime(2024, 3, 1, 8, 20, 30), whens[0]);
        Assert.Equal(new DateTime(2025, 1, 1, 3, 30, 0), whens[2]);
    }

    [Fact]
    public async Task DuckDB_reads_date_timestamp_and_timestamptz()
    {
        await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(Events), _directory, "events", new ParquetFormatOptions(), Options);
        string file = Path.Combine(_directory, "events.parquet");
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using (var setZone = connection.CreateCommand())
        {
            setZone.CommandText = "SET TimeZone = 'UTC'";
            await setZone.ExecuteNonQueryAsync();
        }

        var types = new Dictionary<string, string>();
        await using (var describe = connection.CreateCommand())
        {
            describe.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{file}')";
            await using var reader = await describe.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                types[reader.GetString(0)] = reader.GetString(1);
            }
        }

        Assert.Equal("DATE", types["day"]);
        Assert.Equal("TIMESTAMP", types["at"]);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["when"]);
        Assert.Equal("TIMESTAMP", types["mixed"]);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", types["_timestamp"]);

        var rows = new List<string?[]>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = $"SELECT CAST(day AS VARCHAR), CAST(\"at\" AS VARCHAR), CAST(\"when\" AS VARCHAR), CAST(mixed AS VARCHAR) FROM read_parquet('{file}')";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add([.. Enumerable.Range(0, 4).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]);
            }
        }

        Assert.Equal(new string?[] { "2024-03-01", "2024-03-01 10:20:30.123456", "2024-03-01 08:20:30+00", "2024-03-01 00:00:00" }, rows[0]);
        Assert.Equal(new string?[] { "1999-12-31", "2024-03-01 00:00:00", "2024-03-01 23:59:59.5+00", "2024-03-01 06:00:00.1" }, rows[1]);
        Assert.Equal(new string?[] { null, "0001-01-01 00:00:00", "2025-01-01 03:30:00+00", null }, rows[2]);
    }
}
