using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Transmog.Data.Tests.Input;

public class InputFormatTests
{
    private static long MainRows(JsonInput input, TransmogOptions? options = null)
    {
        using var result = JsonFlattener.Flatten(input, "data", options);
        return result.Main.RowCount;
    }

    [Fact]
    public void Top_level_array_of_objects()
    {
        Assert.Equal(3, MainRows(JsonInput.FromString("""[{"a":1},{"a":2},{"a":3}]""")));
    }

    [Fact]
    public void Single_object_is_one_record()
    {
        Assert.Equal(1, MainRows(JsonInput.FromString("{\n  \"a\": 1,\n  \"b\": {\"c\": 2}\n}\n")));
    }

    [Fact]
    public void Json_lines_with_blank_lines_crlf_and_bom()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"a\":1}\r\n\r\n{\"a\":2}\n   \n{\"a\":3}")];
        Assert.Equal(3, MainRows(JsonInput.FromBytes(bytes)));
    }

    [Fact]
    public void Empty_and_whitespace_inputs_have_no_rows()
    {
        Assert.Equal(0, MainRows(JsonInput.FromString("")));
        Assert.Equal(0, MainRows(JsonInput.FromString(" \n\t ")));
        Assert.Equal(0, MainRows(JsonInput.FromString("[]")));
    }

    [Fact]
    public void Gzip_is_recognised_by_magic_bytes_whatever_the_name()
    {
        string dir = Io.TempDirectory();
        string path = Path.Combine(dir, "records.data");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gz.Write(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"a\":2}\n"));
        }

        Assert.Equal(2, MainRows(JsonInput.FromFile(path)));
    }

    [Fact]
    public void Jsonl_extension_forces_json_lines()
    {
        string dir = Io.TempDirectory();
        string path = Path.Combine(dir, "one.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n");
        using var result = JsonFlattener.Flatten(JsonInput.FromFile(path));
        Assert.Equal(1, result.Main.RowCount);
    }

    [Fact]
    public void Streams_are_read_once_with_window_inference()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"a\":2}\n"));
        using var result = JsonFlattener.Flatten(JsonInput.FromStream(stream));
        Assert.Equal(2, result.Main.RowCount);
    }

    [Fact]
    public void Records_already_parsed()
    {
        JsonElement[] records = [TestData.Parse("""{"a":1}"""), TestData.Parse("""{"a":{"b":2}}""")];
        using var result = JsonFlattener.Flatten(JsonInput.FromRecords(records));
        Assert.Equal(2, result.Main.RowCount);
        Assert.Equal(2L, result.Main.Rows()[1]["a_b"]);
    }

    [Fact]
    public async Task Async_records()
    {
        static async IAsyncEnumerable<JsonElement> Produce()
        {
            for (int i = 0; i < 3; i++)
            {
                await Task.Yield();
                yield return TestData.Parse($$"""{"i":{{i}}}""");
            }
        }

        string dir = Io.TempDirectory();
        var paths = await JsonFlattener.FlattenStreamAsync(JsonInput.FromRecords(Produce()), dir);
        Assert.Equal(4, File.ReadAllLines(Assert.Single(paths)).Length);
    }

    [Fact]
    public void Comments_and_trailing_commas_when_allowed()
    {
        const string json = "[\n// first\n{\"a\":1,},\n{\"a\":[1,2,],},\n]";
        Assert.Throws<TransmogInputException>(() => MainRows(JsonInput.FromString(json)));
        using var result = JsonFlattener.Flatten(JsonInput.FromString(json), "data", new TransmogOptions { AllowComments = true, AllowTrailingCommas = true });
        Assert.Equal(2, result.Main.RowCount);
        Assert.Equal("[1,2]", result.Main.Rows()[1]["a"]);
    }

    [Fact]
    public void Large_array_streams_through_small_buffers()
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < 20_000; i++)
        {
            text.Append(i == 0 ? "" : ",").Append($$"""{"i":{{i}},"pad":"{{new string('x', i % 50)}}","xs":[{"k":{{i}}}]}""");
        }

        text.Append(']');
        using var result = JsonFlattener.Flatten(JsonInput.FromString(text.ToString()));
        Assert.Equal(20_000, result.Main.RowCount);
        Assert.Equal(20_000, result["data_xs"].RowCount);
        Assert.Equal(19_999L, result.Main.Rows().Last()["i"]);
    }
}
