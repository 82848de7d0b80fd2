using System.Text;

namespace Transmog.Data.Reliability.Tests.BadInputs;

/// <summary>
/// Failures the reliability work and the fuzzer found in the flattener (keys that cannot be decoded or are empty,
/// MaxDepth not cutting arrays of objects, no bound on the number of tables), now fixed: each test states the wanted
/// behaviour and keeps it.
/// </summary>
public class FixedFindingsTests
{
    [Fact]
    public void An_empty_key_is_an_input_error_or_a_named_column()
    {
        foreach (string json in new[] { "{\"a\":1}\n{\"\":1}\n", "{\"a\":[{\"\":{\"b\":1}}]}" })
        {
            Exception? ex = Record.Exception(() =>
            {
                using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(json));
                Assert.All(result.AllTables.SelectMany(t => t.Schema.Columns), c => Assert.NotEqual("", c.Name));
            });
            Assert.True(ex is null or TransmogInputException, ex?.ToString());
        }
    }

    [Fact]
    public void Invalid_utf8_in_a_key_is_reported_at_the_key()
    {
        byte[] json = [.. "{\"a\":1}\n{\"o\":{\"ok\":1,\""u8, 0xC3, 0x28, .. "\":2}}\n"u8];
        var ex = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromBytes(json)));
        int key = Array.IndexOf(json, (byte)0xC3) - 1;
        Assert.Equal(2, ex.Line);
        Assert.Equal(key, ex.ByteOffset);
        Assert.Equal(key - 8 + 1, ex.Column);
        Assert.StartsWith("$.o", ex.JsonPath);
    }

    [Fact]
    public void Lone_surrogate_escape_in_a_nested_key_is_reported_at_the_key()
    {
        const string json = "{\"arr\":[{\"x\":1,\"\\udc00\":2}]}";
        var ex = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromString(json)));
        Assert.Equal(json.IndexOf("\"\\udc00\"", StringComparison.Ordinal), ex.ByteOffset);
        Assert.StartsWith("$.arr[0]", ex.JsonPath);
    }

    [Fact]
    public void Max_depth_also_cuts_arrays_of_objects_losslessly()
    {
        string json = string.Concat(Enumerable.Repeat("{\"a\":[", 50)) + "{\"v\":\"bottom\"}" + string.Concat(Enumerable.Repeat("]}", 50));
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(json), options: new TransmogOptions { MaxDepth = 3 });
        Assert.InRange(result.AllTables.Count, 1, 4);
        string? kept = result.AllTables.SelectMany(t => t.Rows).SelectMany(r => r.Values).OfType<string>().SingleOrDefault(v => v.Contains("bottom", StringComparison.Ordinal));
        Assert.NotNull(kept);
        // The cut-off part of the chain is in that JSON text: nothing lost.
        Assert.Contains("{\"a\":[", kept!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_number_of_tables_is_limited_with_a_clear_error()
    {
        var json = new StringBuilder("{");
        for (int i = 0; i < 30_000; i++)
        {
            json.Append(i == 0 ? "" : ",").Append("\"k").Append(i).Append("\":[{\"v\":1}]");
        }

        using TempDir dir = Io.TempDir("tables");
        var ex = await Assert.ThrowsAsync<TransmogInputException>(() => JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json.Append('}').ToString()), dir.Path));
        Assert.Contains("tables", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, ex.Line);
        Assert.Empty(Io.FilesUnder(dir.Path));
    }
}
