using System.Text;

namespace Transmog.Data.Tests.Input;

public class InputErrorTests
{
    [Fact]
    public void Syntax_error_in_array_names_line_column_offset_and_path()
    {
        const string json = "[\n{\"a\":1},\n{\"a\": tru}\n]";
        var ex = Assert.Throws<TransmogInputException>(() => TestData.Flatten(json));
        Assert.Equal(3, ex.Line);
        Assert.Equal("$[1]", ex.JsonPath);
        Assert.InRange(ex.ByteOffset, json.IndexOf("tru", StringComparison.Ordinal), json.IndexOf("tru", StringComparison.Ordinal) + 3);
        Assert.Contains("line 3", ex.Message);
    }

    [Fact]
    public void Syntax_error_in_json_lines_names_the_line()
    {
        const string json = "{\"a\":1}\n{\"a\":1}\n{\"a\" 2}\n";
        var ex = Assert.Throws<TransmogInputException>(() => TestData.Flatten(json));
        Assert.Equal(3, ex.Line);
        Assert.Equal(3, ex.Position.RecordNumber);
        Assert.Equal(json.IndexOf("{\"a\" 2", StringComparison.Ordinal) + 5, ex.ByteOffset);
    }

    [Fact]
    public void Truncated_array_is_an_error()
    {
        var ex = Assert.Throws<TransmogInputException>(() => TestData.Flatten("[{\"a\":1},{\"a\":"));
        Assert.Contains("truncated", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    public void Top_level_scalar_is_an_error(string json)
    {
        Assert.Throws<TransmogInputException>(() => TestData.Flatten(json));
    }

    [Fact]
    public void Non_object_array_element_is_an_error_naming_its_index()
    {
        var ex = Assert.Throws<TransmogInputException>(() => TestData.Flatten("""[{"a":1},5]"""));
        Assert.Equal("$[1]", ex.JsonPath);
        Assert.Contains("Expected JSON object at index 1", ex.Message);
    }

    [Fact]
    public void Json_lines_array_line_is_rejected_like_python()
    {
        string path = Path.Combine(Io.TempDirectory(), "rows.ndjson");
        File.WriteAllText(path, "[\"asin\",\"brand\"]\n[\"x\",\"y\"]\n");
        var ex = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFile(path)));
        Assert.Contains("Expected JSON object on line 1", ex.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_an_error_with_path()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("{\"a\":{\"b\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}}")];
        var ex = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromBytes(bytes)));
        Assert.Equal("$.a.b", ex.JsonPath);
    }

    [Fact]
    public void Skip_mode_rejects_bad_records_and_keeps_the_good_ones()
    {
        const string json = "{\"a\":1}\nnot json\n{\"a\":\n[1]\n{\"a_b\":1,\"a\":{\"b\":2}}\n{\"a\":2}\n";
        using var result = TestData.Flatten(json, TransmogOptions.ErrorTolerant());
        Assert.Equal([1L, 2L], result.Main.Rows().Select(r => r["a"]));
        Assert.Equal(4, result.Rejects.Count);
        Assert.Equal([2L, 3L, 4L, 5L], result.Rejects.Select(r => r.Position.Line));
        Assert.Equal("not json", result.Rejects[0].RawText);
        Assert.Contains("a_b", result.Rejects[3].Error);
    }

    [Fact]
    public void Skip_mode_rolls_back_a_half_flattened_record()
    {
        const string json = "{\"xs\":[{\"k\":1}],\"a_b\":1,\"a\":{\"b\":2}}\n{\"xs\":[{\"k\":2}]}\n";
        using var result = TestData.Flatten(json, TransmogOptions.ErrorTolerant());
        Assert.Equal([2L], result["data_xs"].Rows().Select(r => r["k"]));
        Assert.Single(result.Rejects);
    }

    [Fact]
    public void Missing_file_is_a_clear_error()
    {
        var ex = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFile("/nonexistent/x.json")));
        Assert.Contains("x.json", ex.Message);
    }
}
