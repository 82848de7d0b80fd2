using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Parquet;

namespace Transmog.Data.Tests.Output;

/// <summary>Parquet row groups are cut by bytes (and optionally rows), never by the flattening batch.</summary>
public sealed class ParquetRowGroupTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "transmog-row-groups-" + Guid.NewGuid().ToString("N"));

    public ParquetRowGroupTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static JsonInput Input(int records)
    {
        var json = new StringBuilder();
        for (int i = 0; i < records; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $"{{\"n\":{i},\"name\":\"customer {i} with some text\",\"city\":\"{(i % 3 == 0 ? "Zürich" : "Oslo")}\",\"x\":{i}.25}}\n");
        }

        return JsonInput.FromString(json.ToString());
    }

    private async Task<long[]> RowGroupsAsync(string table)
    {
        await using ParquetReader reader = await ParquetReader.CreateAsync(Path.Combine(_directory, table + ".parquet"));
        return [.. reader.RowGroups.Select(g => g.RowCount)];
    }

    [Fact]
    public async Task The_flattening_batch_does_not_cut_row_groups()
    {
        // ForMemory flattens 100 rows at a time; the file still has one row group (5,000 small rows are far below 8 MB).
        await JsonFlattener.FlattenStreamAsync(Input(5000), _directory, "d", new ParquetFormatOptions(), TransmogOptions.ForMemory());

        long[] groups = await RowGroupsAsync("d");
        Assert.Equal(new[] { 5000L }, groups);
    }

    [Fact]
    public async Task Row_groups_close_at_the_byte_target()
    {
        await JsonFlattener.FlattenStreamAsync(Input(20_000), _directory, "d", new ParquetFormatOptions { RowGroupBytes = 256 << 10 }, TransmogOptions.ForMemory());

        long[] groups = await RowGroupsAsync("d");
        Assert.True(groups.Length > 3, $"{groups.Length} row groups");
        Assert.Equal(20_000L, groups.Sum());

        // Checked every 256 rows (at 255, 511, ...): every group but the last ends at a check, all the same size here.
        Assert.All(groups[..^1], g => Assert.Equal(255, g % 256));
        Assert.Single(groups[..^1].Distinct());

        // About 256 KB by the estimate (7 cells of about 160 bytes plus the text, about 1.2 KB a row): 256 rows.
        Assert.InRange(groups[0], 255, 1023);

        await using var duck = new DuckDBConnection("Data Source=:memory:");
        await duck.OpenAsync();
        using var command = duck.CreateCommand();
        command.CommandText = $"SELECT count(*), CAST(sum(n) AS BIGINT), count(DISTINCT _id) FROM read_parquet('{Path.Combine(_directory, "d.parquet")}')";
        using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(20_000L, Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
        Assert.Equal(199_990_000L, Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
        Assert.Equal(20_000L, Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_row_limit_cuts_first_when_it_is_smaller()
    {
        await JsonFlattener.FlattenStreamAsync(Input(2500), _directory, "d", new ParquetFormatOptions { RowGroupSize = 1000 }, TransmogOptions.ForPerformance());

        long[] groups = await RowGroupsAsync("d");
        Assert.Equal(new[] { 1000L, 1000L, 500L }, groups);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(65_535L)]
    [InlineData(-1L)]
    public void A_byte_target_below_64_KB_is_a_configuration_error(long bytes)
    {
        var error = Assert.Throws<ArgumentException>(() => new ParquetFormatOptions { RowGroupBytes = bytes }.Validate());
        Assert.Contains("RowGroupBytes", error.Message);
    }

    [Fact]
    public async Task A_file_of_many_row_groups_reads_back_whole_in_both_engines()
    {
        // Every row group is written by a writer of its own and the footer is put together from theirs: offsets, the
        // row count, the JSON type and the UUID ids must come out as one writer would have them.
        var json = new StringBuilder();
        for (int i = 0; i < 3000; i++)
        {
            json.Append(CultureInfo.InvariantCulture, $"{{\"n\":{i},\"text\":\"row {i} {new string('x', i % 50)}\",\"tags\":[\"a\",{i}],\"items\":[{{\"k\":{i}}},{{\"k\":{i + 1}}}]}}\n");
        }

        await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json.ToString()), _directory, "d", new ParquetFormatOptions { RowGroupSize = 70 }, TransmogOptions.ForMemory());

        long[] groups = await RowGroupsAsync("d");
        Assert.Equal(43, groups.Length);
        Assert.Equal(3000L, groups.Sum());

        await using (ParquetReader reader = await ParquetReader.CreateAsync(Path.Combine(_directory, "d.parquet")))
        {
            Assert.Equal(3000L, reader.Metadata!.NumRows);
            var field = reader.Schema.DataFields.Single(f => f.Name == "n");
            long expected = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                var values = new long?[group.RowCount];
                await group.ReadAsync<long>(field, values.AsMemory());
                foreach (long? value in values)
                {
                    Assert.Equal(expected++, value);
                }
            }

            Assert.Equal(3000L, expected);
        }

        await using var duck = new DuckDBConnection("Data Source=:memory:");
        await duck.OpenAsync();
        using var command = duck.CreateCommand();
        string main = Path.Combine(_directory, "d.parquet");
        string items = Path.Combine(_directory, "d_items.parquet");
        command.CommandText = $"""
            SELECT (SELECT count(DISTINCT row_group_id) FROM parquet_metadata('{main}')),
                   (SELECT count(*) FROM read_parquet('{main}') WHERE text = 'row ' || n || ' ' || repeat('x', CAST(n % 50 AS INTEGER)) AND (tags->>'$[0]') = 'a'),
                   (SELECT count(*) FROM read_parquet('{main}') d JOIN read_parquet('{items}') i ON i._parent_id = d._id AND i.k IN (d.n, d.n + 1)),
                   (SELECT typeof(_id) FROM read_parquet('{main}') LIMIT 1),
                   (SELECT count(*) FROM read_parquet('{main}') WHERE _id = (SELECT _id FROM read_parquet('{main}') WHERE n = 2999))
            """;
        using DuckDBDataReader result = (DuckDBDataReader)await command.ExecuteReaderAsync();
        Assert.True(await result.ReadAsync());
        Assert.Equal(43L, Convert.ToInt64(result.GetValue(0), CultureInfo.InvariantCulture));
        Assert.Equal(3000L, Convert.ToInt64(result.GetValue(1), CultureInfo.InvariantCulture));
        Assert.Equal(6000L, Convert.ToInt64(result.GetValue(2), CultureInfo.InvariantCulture));
        Assert.Equal("UUID", result.GetString(3));
        Assert.Equal(1L, Convert.ToInt64(result.GetValue(4), CultureInfo.InvariantCulture));
    }
}
