using System.Globalization;
using System.Text;

namespace Transmog.Data.Tests.Data;

/// <summary>GetString's per-column cache of recently decoded strings: same values, fewer strings.</summary>
public class StringCacheTests
{
    private static readonly string[] Cities = ["Paris", "Berlin", "東京", "São Paulo", "Zürich", "Ålesund", "Kraków", "\"quoted\"", "emoji 😀", "x"];

    private static JsonInput Records(int count, Func<int, string> record)
    {
        var json = new StringBuilder();
        for (int i = 0; i < count; i++)
        {
            json.Append(record(i)).Append('\n');
        }

        return JsonInput.FromString(json.ToString());
    }

    [Fact]
    public void Repeated_short_values_come_back_as_the_same_instance_and_allocate_almost_nothing()
    {
        const int count = 20_000;
        JsonInput input = Records(count, i => $"{{\"city\":\"{Cities[i % Cities.Length].Replace("\"", "\\\"", StringComparison.Ordinal)}\",\"n\":{i}}}");
        using TransmogDataReader reader = JsonFlattener.OpenReader(input, "d", "d", TransmogOptions.Default with { TimeField = null });
        int city = reader.GetOrdinal("city");
        var seen = new Dictionary<string, string>();
        long allocated = 0;
        int row = 0;
        while (reader.Read())
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            string value = reader.GetString(city);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(Cities[row % Cities.Length], value);
            if (seen.TryGetValue(value, out string? first))
            {
                Assert.Same(first, value);
            }
            else
            {
                seen.Add(value, value);
            }

            row++;
        }

        Assert.Equal(count, row);
        Assert.Equal(Cities.Length, seen.Count);

        // Without the cache: one string per cell, at least 24 bytes each (480 KB). With it: the first of each value
        // and the per-column slots (about 4 KB).
        Assert.True(allocated < 16 * 1024, $"GetString allocated {allocated:N0} bytes for {count:N0} cells of {Cities.Length} values.");
    }

    [Fact]
    public void Every_value_is_exact_whatever_the_collisions_lengths_and_result_sets()
    {
        // Thousands of distinct short values (slot collisions), values around and beyond the cached length, repeats
        // far apart (evicted meanwhile), and a second table whose column 0 sees other bytes.
        string Value(int i) => (i % 5) switch
        {
            0 => "v" + (i % 3000).ToString(CultureInfo.InvariantCulture),
            1 => new string('é', 23) + (i % 7).ToString(CultureInfo.InvariantCulture),
            2 => new string('a', 47 + (i % 3)),
            3 => "",
            _ => "日本" + (i % 11).ToString(CultureInfo.InvariantCulture),
        };

        const int count = 12_000;
        JsonInput input = Records(count, i => $"{{\"s\":\"{Value(i)}\",\"items\":[{{\"t\":\"{Value(i + 1)}\"}}]}}");
        using TransmogDataReader reader = JsonFlattener.OpenReader(input, "d", table: null, TransmogOptions.Default with { TimeField = null, IncludeNulls = true });
        int row = 0;
        while (reader.Read())
        {
            int s = reader.GetOrdinal("s");
            Assert.Equal(Value(row), reader.IsDBNull(s) ? "" : reader.GetString(s));
            row++;
        }

        Assert.Equal(count, row);
        Assert.True(reader.NextResult());
        row = 0;
        while (reader.Read())
        {
            int t = reader.GetOrdinal("t");
            Assert.Equal(Value(row + 1), reader.IsDBNull(t) ? "" : reader.GetString(t));
            row++;
        }

        Assert.Equal(count, row);
    }

    [Fact]
    public void A_column_of_unique_values_stops_using_the_cache()
    {
        var cache = new Utf8StringCache();
        cache.Reset(2);
        for (int i = 0; i < Utf8StringCache.Probe * 2; i++)
        {
            byte[] unique = Encoding.UTF8.GetBytes("id-" + i.ToString(CultureInfo.InvariantCulture));
            Assert.Equal("id-" + i.ToString(CultureInfo.InvariantCulture), cache.Get(0, unique));
            Assert.Equal("same", cache.Get(1, "same"u8));
        }

        (long lookups, long hits, bool enabled) = cache.Statistics(0);
        Assert.False(enabled);
        Assert.Equal(Utf8StringCache.Probe, lookups);
        Assert.True(hits < Utf8StringCache.Probe / 8);

        (lookups, hits, enabled) = cache.Statistics(1);
        Assert.True(enabled);
        Assert.Equal(Utf8StringCache.Probe * 2, lookups);
        Assert.Equal(lookups - 1, hits);

        // A new result set starts afresh.
        cache.Reset(2);
        Assert.Equal((0L, 0L, true), cache.Statistics(0));
    }
}
