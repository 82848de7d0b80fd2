namespace Transmog.Data.Tests.Flattening;

/// <summary>
/// Python transmog 2.0.4 parity reported by issue 11 (item 6, found by comparing both on the same inputs and options); DESIGN's
/// parity list. Each case states what Python produces.
/// </summary>
public class PythonParityTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    public void Null_and_empty_object_items_of_an_array_of_objects(bool includeNulls, int rows)
    {
        // flatten({"xs": [{}, {"a": 1}, None]}, include_nulls=...) -> data_xs has 1 row, or 3 with include_nulls.
        using var result = TestData.Flatten("""{"xs":[{},{"a":1},null]}""", new TransmogOptions { IncludeNulls = includeNulls });
        Assert.Equal(rows, result["data_xs"].RowCount);
        Assert.All(result["data_xs"].Rows(), r => Assert.Equal(result.Main.Rows()[0]["_id"], r["_parent_id"]));
    }

    [Theory]
    [InlineData(false, new[] { "a", "b" })]
    [InlineData(true, new[] { "a", null, null, "b" })]
    public void Null_and_empty_string_items_in_separate_mode(bool includeNulls, string?[] values)
    {
        // arrays="separate": ["a", None, "", "b"] -> rows for "a" and "b"; with include_nulls a row for each item.
        using var result = TestData.Flatten("""{"tags":["a",null,"","b"]}""", new TransmogOptions { ArrayMode = ArrayMode.Separate, IncludeNulls = includeNulls });
        Assert.Equal(values, result["data_tags"].Rows().Select(r => r.TryGetValue("value", out object? v) ? (string?)v : null));
    }

    [Fact]
    public void Ragged_arrays_of_arrays_keep_empty_inner_arrays_as_text()
    {
        // arrays="separate": {"m": [[1, 2], [], [3]]} -> value cells "[1,2]", "[]", "[3]".
        using var result = TestData.Flatten("""{"m":[[1,2],[],[3]]}""", new TransmogOptions { ArrayMode = ArrayMode.Separate });
        Assert.Equal(["[1,2]", "[]", "[3]"], result["data_m"].Rows().Select(r => r["value"]));

        // Smart and inline keep the whole array as text, the empty inner one included.
        using var smart = TestData.Flatten("""{"m":[[1,2],[],[3]]}""");
        Assert.Equal("[[1,2],[],[3]]", smart.Main.Rows()[0]["m"]);
    }
}
