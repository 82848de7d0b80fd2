namespace Transmog.Data.Tests.Flattening;

public class OptionsTests
{
    [Fact]
    public void Invalid_values_are_rejected_when_set()
    {
        Assert.Throws<ArgumentException>(() => new TransmogOptions { BatchSize = 0 });
        Assert.Throws<ArgumentException>(() => new TransmogOptions { MaxDepth = 0 });
        Assert.Throws<ArgumentException>(() => new TransmogOptions { Separator = "" });
        Assert.Throws<ArgumentException>(() => new TransmogOptions { IdField = " " });
        Assert.Throws<ArgumentException>(() => new TransmogOptions { ArrayMode = (ArrayMode)42 });
        Assert.Throws<ArgumentException>(() => IdGeneration.Fields());
    }

    [Fact]
    public void Metadata_fields_must_be_distinct()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TransmogOptions { IdField = "x", ParentField = "x" }.Validate());
        Assert.Contains("distinct", ex.Message);
        Assert.Throws<ArgumentException>(() => TestData.Flatten("{}", new TransmogOptions { TimeField = "_id" }));
    }

    [Fact]
    public void Presets_match_python_transmog()
    {
        Assert.Equal((100, 1000), (TransmogOptions.ForMemory().BatchSize, TransmogOptions.ForMemory().CacheSize));
        Assert.Equal((10_000, 50_000), (TransmogOptions.ForPerformance().BatchSize, TransmogOptions.ForPerformance().CacheSize));
        Assert.Equal((10_000, 50_000), (TransmogOptions.ForParquet().BatchSize, TransmogOptions.ForParquet().CacheSize));
        Assert.True(TransmogOptions.ForCsv().IncludeNulls && TransmogOptions.ForCsv().StringifyValues);
        Assert.Equal(("id", "parent_id", "timestamp"), (TransmogOptions.Simple().IdField, TransmogOptions.Simple().ParentField, TransmogOptions.Simple().TimeField));
        Assert.Equal(RecoveryMode.Skip, TransmogOptions.ErrorTolerant().RecoveryMode);
    }

    [Fact]
    public void Cache_size_zero_still_flattens_correctly()
    {
        using var cached = TestData.Flatten("""[{"a":{"b":1},"xs":[{"k":1}]},{"a":{"b":2},"xs":[{"k":2}]}]""", new TransmogOptions { IdGeneration = IdGeneration.Hash });
        using var uncached = TestData.Flatten("""[{"a":{"b":1},"xs":[{"k":1}]},{"a":{"b":2},"xs":[{"k":2}]}]""", new TransmogOptions { IdGeneration = IdGeneration.Hash, CacheSize = 0 });
        Assert.Equal(cached.AllTables.SelectMany(t => t.Rows()).Select(r => string.Join(",", r.Where(kv => kv.Key != "_timestamp").Select(kv => kv.Key + "=" + kv.Value))),
            uncached.AllTables.SelectMany(t => t.Rows()).Select(r => string.Join(",", r.Where(kv => kv.Key != "_timestamp").Select(kv => kv.Key + "=" + kv.Value))));
    }

    [Fact]
    public void Max_columns_limit_is_a_clear_error()
    {
        var ex = Assert.Throws<TransmogInputException>(() => TestData.Flatten("""{"a":1,"b":2,"c":3}""", new TransmogOptions { MaxColumns = 2 }));
        Assert.Contains("MaxColumns", ex.Message);
    }
}
