using System.Text;

namespace Transmog.Data.Tests.Input;

/// <summary>
/// Streams of JSON values (pretty-printed objects one after another, objects back to back, JSON Lines with any line
/// end) give exactly the tables that JSON Lines of the same records give, on one thread or several.
/// </summary>
public class ValueStreamTests
{
    private static readonly string Lines = string.Join("\n", InputDump.SampleLines()) + "\n";

    private static string Expected => InputDump.Of(JsonInput.FromString(Lines));

    [Fact]
    public void Pretty_printed_objects_one_after_another_as_jq_writes_them()
    {
        string pretty = InputDump.Pretty(InputDump.SampleLines());
        Assert.Contains("\n  \"", pretty);
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromString(pretty)));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t\r\n ")]
    public void Objects_back_to_back_with_or_without_whitespace(string separator)
    {
        string joined = string.Join(separator, InputDump.SampleLines());
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromString(joined)));
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\r")]
    [InlineData("\n\r")]
    public void Json_lines_with_crlf_or_lone_cr(string lineEnd)
    {
        string text = string.Join(lineEnd, InputDump.SampleLines()) + lineEnd;
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromString(text)));
    }

    [Fact]
    public void Lone_cr_json_lines_count_lines_for_errors()
    {
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromString("{\"a\":1}\r{\"a\":2}\r{\"a\":}\r{\"a\":4}")));
        Assert.Equal(3, error.Line);
        Assert.Equal(21, error.ByteOffset);
    }

    [Fact]
    public void A_value_stream_is_flattened_on_several_threads_alike()
    {
        string pretty = InputDump.Pretty(Enumerable.Repeat(InputDump.SampleLines(), 30).SelectMany(l => l));
        string one = InputDump.Of(JsonInput.FromString(pretty));
        foreach (int chunk in (int[])[200, 4096, 65536])
        {
            var options = InputDump.HashIds with { MaxDegreeOfParallelism = 3, ChunkBytes = chunk };
            Assert.Equal(one, InputDump.Of(JsonInput.FromString(pretty), options));
        }
    }

    [Theory]
    [InlineData("{\"a\":1}\n{\"a\":2}", InputFormat.JsonLines)]
    [InlineData("{\"a\":1}\r\n{\"a\":2}", InputFormat.JsonLines)]
    [InlineData("{\"a\":1}\r{\"a\":2}", InputFormat.JsonLines)]
    [InlineData("{\"a\":1}{\"a\":2}", InputFormat.ValueStream)]
    [InlineData("{\"a\":1} {\"a\":2}\n", InputFormat.ValueStream)]
    [InlineData("{\n\"a\":1}\n{\"a\":2}", InputFormat.ValueStream)]
    [InlineData("  {\"a\":1}  ", InputFormat.Object)]
    [InlineData("[{\"a\":1}]", InputFormat.Array)]
    public void The_first_value_decides_the_layout(string text, InputFormat expected)
    {
        using var reader = new Transmog.Data.Input.RecordReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), InputFormat.Auto, TransmogOptions.Default);
        Assert.True(reader.TryRead(out _));
        Assert.Equal(expected, reader.Format);
    }

    [Fact]
    public void Strict_error_names_line_offset_and_record()
    {
        const string text = "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n{\n  \"a\": 3,\n  \"b\": ]\n}\n";
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromString(text)));
        Assert.Equal(9, error.Line);
        Assert.Equal(text.IndexOf(']', StringComparison.Ordinal), error.ByteOffset);
        Assert.Equal(3, error.Position.RecordNumber);
    }

    [Fact]
    public void Skip_rejects_a_bad_record_up_to_the_next_line_starting_a_record()
    {
        const string bad = "{\n  \"a\": 2,\n  \"b\": ]\n}\n";
        string text = "{\n  \"a\": 1\n}\n" + bad + "{\n  \"a\": 3\n}\n";
        var options = InputDump.HashIds with { RecoveryMode = RecoveryMode.Skip };
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(text), "data", options);
        Assert.Equal([1L, 3L], result.Main.Rows().Select(r => (long)r["a"]));
        RejectedRecord reject = Assert.Single(result.Rejects);
        Assert.Equal(bad, reject.RawText);
        Assert.Equal(6, reject.Position.Line);
        Assert.Equal(2, reject.Position.RecordNumber);
    }

    [Fact]
    public void Skip_rejects_garbage_between_values_and_non_objects()
    {
        string text = "{\"a\":1} [1,2] \"s\"\n{\"a\":2}\nxyz {\"a\":9}\n{\"a\":3}";
        var options = InputDump.HashIds with { RecoveryMode = RecoveryMode.Skip };
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(text), "data", options);
        Assert.Equal([1L, 2L, 3L], result.Main.Rows().Select(r => (long)r["a"]));
        Assert.Equal(["[1,2]", "\"s\"", "xyz {\"a\":9}\n"], result.Rejects.Select(r => r.RawText));
        Assert.StartsWith("Expected JSON object as value 2 of the stream, got array", result.Rejects[0].Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_says_when_no_boundary_follows_a_bad_record()
    {
        string text = "{\"a\":1}{\"a\":,}{\"a\":3}{\"a\":4}";
        var options = InputDump.HashIds with { RecoveryMode = RecoveryMode.Skip };
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(text), "data", options);
        Assert.Equal([1L], result.Main.Rows().Select(r => (long)r["a"]));
        RejectedRecord reject = Assert.Single(result.Rejects);
        Assert.Equal("{\"a\":,}{\"a\":3}{\"a\":4}", reject.RawText);
        Assert.Contains("the rest of the input is rejected with this record", reject.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_value_stream()
    {
        const string text = "{\n  \"a\": 1\n}\n{\n  \"a\": 2,\n  \"b\": [1, 2";
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromString(text)));
        Assert.StartsWith("Truncated JSON", error.Reason, StringComparison.Ordinal);
        Assert.Equal(2, error.Position.RecordNumber);

        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(text), "data", InputDump.HashIds with { RecoveryMode = RecoveryMode.Skip });
        Assert.Equal(1, result.Main.RowCount);
        Assert.Equal("{\n  \"a\": 2,\n  \"b\": [1, 2", Assert.Single(result.Rejects).RawText);
    }

    [Fact]
    public void A_record_larger_than_the_buffer_in_a_value_stream()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 5; i++)
        {
            sb.Append("{\"i\":").Append(i).Append(",\"pad\":\"").Append('x', 200_000 * (i % 2)).Append("\"}");
        }

        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(sb.ToString()), "data", InputDump.HashIds);
        Assert.Equal(5, result.Main.RowCount);
    }
}
