using System.Data.Common;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;
using Transmog.Data.Output;

namespace Transmog.Data.Tests.Output;

/// <summary>
/// Parquet files as other engines read them: DuckDB's <c>read_parquet</c> sees UUID ids, JSON text, decimals with
/// precision and scale and UTC timestamps, with the values the reader served.
/// </summary>
public sealed class ParquetLogicalTypesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "transmog-parquet-types-" + Guid.NewGuid().ToString("N"));

    public ParquetLogicalTypesTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private const string Orders = """
        {"order":"A-1","price":12.5,"tags":["x","y"],"meta":{"deep":{"k":[1,{"z":null}]}},"items":[{"sku":"s1","qty":2,"dims":[1,2]},{"sku":"s2","qty":1}]}
        {"order":"B-2","price":0.000000001,"tags":[],"items":[{"sku":"s3","qty":5,"dims":[]}]}
        {"order":"C-3","price":-79228162514.264337593,"tags":["é","日本"],"items":[]}
        """;

    [Fact]
    public async Task DuckDB_reads_uuid_json_decimal_and_utc_timestamp_types()
    {
        TransmogOptions options = TransmogOptions.ForMemory() with { RealNumbers = TransmogColumnType.Decimal, MaxDepth = 2 };
        await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(Orders), _directory, "orders", new ParquetFormatOptions(), options);

        Dictionary<string, string> main = await DescribeAsync("orders");
        Assert.Equal("UUID", main["_id"]);
        Assert.Equal("JSON", main["tags"]);
        Assert.Equal("JSON", main["meta_deep"]);
        Assert.Equal("DECIMAL(38,9)", main["price"]);
        Assert.Equal("TIMESTAMP WITH TIME ZONE", main["_timestamp"]);
        Assert.Equal("VARCHAR", main["order"]);

        Dictionary<string, string> items = await DescribeAsync("orders_items");
        Assert.Equal("UUID", items["_id"]);
        Assert.Equal("UUID", items["_parent_id"]);
        Assert.Equal("JSON", items["dims"]);
        Assert.Equal("BIGINT", items["qty"]);
    }

    [Fact]
    public async Task DuckDB_reads_the_values_the_reader_served()
    {
        TransmogOptions options = TransmogOptions.ForMemory() with { RealNumbers = TransmogColumnType.Decimal, IdGeneration = IdGeneration.Hash, MaxDepth = 2 };
        await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(Orders), _directory, "orders", new ParquetFormatOptions(), options);
        using FlattenResult expected = JsonFlattener.Flatten(JsonInput.FromString(Orders), "orders", options);

        foreach (string table in new[] { "orders", "orders_items" })
        {
            using TransmogDataReader reader = expected[table].CreateReader();
            string[] names = [.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetName)];

            // Every column as DuckDB's text of the typed value, in file order.
            string select = string.Join(", ", names.Select(n => n == "_timestamp"
                ? "CAST(epoch_us(_timestamp) AS VARCHAR)"
                : $"CAST(\"{n}\" AS VARCHAR)"));
            List<string?[]> actual = await QueryAsync($"SELECT {select} FROM read_parquet('{FileOf(table)}')", names.Length);

            // The run's timestamp: one instant on every row, within minutes of now (the in-memory run has its own).
            int time = Array.IndexOf(names, "_timestamp");
            long now = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10;
            Assert.All(actual, r => Assert.Equal(actual[0][time], r[time]));
            Assert.InRange(long.Parse(actual[0][time]!, CultureInfo.InvariantCulture), now - 300_000_000, now + 1);

            int row = 0;
            while (reader.Read())
            {
                for (int i = 0; i < names.Length; i++)
                {
                    if (i == time)
                    {
                        continue;
                    }

                    string? want = reader.IsDBNull(i) ? null : reader.GetFieldType(i) switch
                    {
                        Type t when t == typeof(decimal) => reader.GetDecimal(i).ToString("0.000000000", CultureInfo.InvariantCulture),
                        Type t when t == typeof(Guid) => reader.GetGuid(i).ToString("D"),
                        Type t when t == typeof(DateTime) => ((reader.GetDateTime(i).Ticks - DateTime.UnixEpoch.Ticks) / 10).ToString(CultureInfo.InvariantCulture),
                        Type t when t == typeof(long) => reader.GetInt64(i).ToString(CultureInfo.InvariantCulture),
                        _ => reader.GetString(i),
                    };
                    Assert.True(want == actual[row][i], $"{table} row {row} column {names[i]}: expected {want ?? "null"}, DuckDB read {actual[row][i] ?? "null"}");
                }

                row++;
            }

            Assert.Equal(row, actual.Count);
        }

        // JSON columns are JSON to DuckDB: its JSON functions read them without a cast.
        List<string?[]> tags = await QueryAsync($"SELECT json_array_length(tags), tags->>'$[1]' FROM read_parquet('{FileOf("orders")}') ORDER BY \"order\"", 2);
        Assert.Equal(new string?[] { "2", "y" }, tags[0]);
        Assert.Equal(new string?[] { null, null }, tags[1]);
        Assert.Equal(new string?[] { "2", "日本" }, tags[2]);
    }

    [Fact]
    public async Task Uuid_columns_carry_no_misleading_min_max_statistics()
    {
        // Many row groups of random ids: a filter on one id must find its row whichever row group holds it.
        var json = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $"{{\"n\":{i},\"items\":[{{\"k\":{i}}}]}}\n");
        }

        await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json.ToString()), _directory, "d", new ParquetFormatOptions { RowGroupSize = 100 },
            TransmogOptions.ForMemory());

        string file = FileOf("d");
        await using (ParquetReader parquet = await ParquetReader.CreateAsync(file))
        {
            Assert.Equal(30, parquet.RowGroupCount);
            DataField id = parquet.Schema.DataFields.Single(f => f.Name == "_id");
            Assert.Equal(typeof(Guid), id.ClrType);
            foreach (ParquetRowGroupReader group in parquet.RowGroups)
            {
                Parquet.Meta.Statistics? statistics = group.GetMetadata(id)!.MetaData!.Statistics;
                Assert.NotNull(statistics);
                Assert.Null(statistics.MinValue);
                Assert.Null(statistics.MaxValue);
                Assert.Null(statistics.Min);
                Assert.Null(statistics.Max);
                Assert.Equal(0, statistics.NullCount);

                // Other columns keep theirs.
                Assert.NotNull(group.GetMetadata(parquet.Schema.DataFields.Single(f => f.Name == "n"))!.MetaData!.Statistics!.MaxValue);
            }
        }

        List<string?[]> all = await QueryAsync($"SELECT CAST(_id AS VARCHAR), n FROM read_parquet('{file}')", 2);
        Assert.Equal(3000, all.Count);
        foreach (string?[] probe in all.Where((_, i) => i % 97 == 0))
        {
            List<string?[]> found = await QueryAsync($"SELECT n FROM read_parquet('{file}') WHERE _id = '{probe[0]}'::UUID", 1);
            Assert.Equal(probe[1], Assert.Single(found)[0]);
        }

        List<string?[]> joined = await QueryAsync(
            $"SELECT count(*) FROM read_parquet('{file}') d JOIN read_parquet('{FileOf("d_items")}') i ON i._parent_id = d._id AND i.k = d.n", 1);
        Assert.Equal("3000", joined[0][0]);
    }

    [Fact]
    public async Task The_footer_rewrite_without_changes_gives_back_the_same_bytes()
    {
        // The Thrift codec keeps every field: a footer with nothing to change comes out byte for byte as it went in.
        var json = new StringBuilder();
        for (int i = 0; i < 2000; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $"{{\"n\":{i},\"r\":{i}.5,\"b\":{(i % 2 == 0 ? "true" : "false")},\"s\":\"é{i}\",\"a\":[{i}],\"o\":{{\"x\":null}}}}\n");
        }

        await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json.ToString()), _directory, "d", new ParquetFormatOptions { RowGroupSize = 300 },
            TransmogOptions.ForMemory() with { IncludeNulls = true });
        byte[] file = await File.ReadAllBytesAsync(FileOf("d"));
        int length = BitConverter.ToInt32(file, file.Length - 8);
        ReadOnlySpan<byte> footer = file.AsSpan(file.Length - 8 - length, length);

        Assert.Equal(footer.ToArray(), ParquetFooter.Patch(footer, [], []));

        // And the changes are confined to what was asked: the JSON type on "a" (ordinal 4) and nothing else.
        byte[] patched = ParquetFooter.Patch(footer, [4], []);
        Assert.Equal(patched, ParquetFooter.Patch(patched, [4], []));
    }

    [Fact]
    public async Task A_truncated_footer_is_a_clear_error()
    {
        await JsonFlattener.FlattenStreamAsync(JsonInput.FromString("{\"a\":[1]}"), _directory, "d", new ParquetFormatOptions());
        byte[] file = await File.ReadAllBytesAsync(FileOf("d"));
        int length = BitConverter.ToInt32(file, file.Length - 8);
        byte[] footer = file.AsSpan(file.Length - 8 - length, length).ToArray();

        var error = Assert.Throws<InvalidDataException>(() => ParquetFooter.Patch(footer.AsSpan(0, footer.Length / 2), [0], []));
        Assert.Contains("Parquet footer", error.Message);
    }

    private string FileOf(string table) => Path.Combine(_directory, table + ".parquet");

    private async Task<Dictionary<string, string>> DescribeAsync(string table)
    {
        List<string?[]> rows = await QueryAsync($"DESCRIBE SELECT * FROM read_parquet('{FileOf(table)}')", 2);
        return rows.ToDictionary(r => r[0]!, r => r[1]!);
    }

    private static async Task<List<string?[]>> QueryAsync(string sql, int columns)
    {
        await using var connection = new DuckDBConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            var row = new string?[columns];
            for (int i = 0; i < columns; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
