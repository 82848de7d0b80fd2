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
        Assert.Equal("/nonexistent/x.json", ex.File);
    }

    [Fact]
    public void A_single_file_is_named_in_errors_as_given_like_one_of_several()
    {
        string dir = Io.TempDirectory();
        string path = Path.Combine(dir, "bad1.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n{\"a\": 1,, }\n");
        var single = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFile(path)).Dispose());
        var several = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFiles(path)).Dispose());
        Assert.Equal(path, single.File);
        Assert.Equal(several.Message, single.Message);
        Assert.Contains($"(file {path}, line 2, column 9, byte offset 16, record 2, path $)", single.Message, StringComparison.Ordinal);

        // Compressed, and a flattening error (not a syntax error) on the parallel path: the same name.
        string gz = Path.Combine(dir, "bad2.json.gz");
        File.WriteAllBytes(gz, EncodingAndCompressionTests.Gzip(Encoding.UTF8.GetBytes("[{\"a\":1},{\"a_b\":1,\"a\":{\"b\":2}}]")));
        var flattening = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFile(gz), "data", new TransmogOptions { MaxDegreeOfParallelism = 2, ChunkBytes = 8 }).Dispose());
        Assert.Equal(gz, flattening.File);
        Assert.StartsWith($"file {gz}, line 1, ", flattening.Message[(flattening.Message.LastIndexOf('(') + 1)..], StringComparison.Ordinal);

        // Text, bytes and streams have no file name.
        var text = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromString("{\"a\":1}\n{\"a\": 1,, }\n")).Dispose());
        Assert.Null(text.File);
        Assert.Contains("(line 2, column 9, byte offset 16, record 2, path $)", text.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_of_a_single_file_name_it_in_the_result_and_the_rejects_file()
    {
        string path = Path.Combine(Io.TempDirectory(), "bad1.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n{\"a\": 1,, }\nnot json\n");
        var options = TransmogOptions.ErrorTolerant() with { MaxDegreeOfParallelism = 1 };
        using (FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFile(path), "data", options))
        {
            Assert.Equal([path, path], result.Rejects.Select(r => r.File));
        }

        string outDir = Io.TempDirectory();
        IReadOnlyList<string> files = await JsonFlattener.FlattenStreamAsync(JsonInput.FromFile(path), outDir, "data", options: options);
        string[] rejects = File.ReadAllLines(Assert.Single(files, f => f.EndsWith("_rejects.jsonl", StringComparison.Ordinal)));
        Assert.Equal(2, rejects.Length);
        string named = System.Text.Json.JsonSerializer.Serialize(path);
        Assert.All(rejects, r => Assert.StartsWith("{\"file\":" + named + ",\"record\":", r, StringComparison.Ordinal));
    }

    [Fact]
    public void The_source_column_holds_a_single_files_name_as_given()
    {
        string dir = Io.TempDirectory();
        string plain = Path.Combine(dir, "a.jsonl");
        string gz = Path.Combine(dir, "b.json.gz");
        File.WriteAllText(plain, "{\"x\":1}\n{\"x\":2}\n");
        File.WriteAllBytes(gz, EncodingAndCompressionTests.Gzip(Encoding.UTF8.GetBytes("[{\"x\":1},{\"x\":2}]")));
        foreach (string path in (string[])[plain, gz])
        {
            foreach (int threads in (int[])[1, 3])
            {
                var options = new TransmogOptions { SourceFileField = "_file", MaxDegreeOfParallelism = threads, ChunkBytes = 8 };
                using FlattenResult single = JsonFlattener.Flatten(JsonInput.FromFile(path), "data", options);
                Assert.Equal([path, path], single.Main.Rows().Select(r => r["_file"]));

                // The same name as the file gets among several, and as a shard of itself.
                using FlattenResult several = JsonFlattener.Flatten(JsonInput.FromFiles(path), "data", options);
                Assert.Equal([path, path], several.Main.Rows().Select(r => r["_file"]));
                using FlattenResult shard = JsonFlattener.Flatten(JsonInput.FromFile(path).Shard(0, 1), "data", options);
                Assert.Equal([path, path], shard.Main.Rows().Select(r => r["_file"]));
            }
        }

        // Position ids are made of the same name: they do not change with it.
        var position = new TransmogOptions { IdGeneration = IdGeneration.Position };
        using FlattenResult a = JsonFlattener.Flatten(JsonInput.FromFile(plain), "data", position);
        using FlattenResult b = JsonFlattener.Flatten(JsonInput.FromFile(plain).Shard(0, 1), "data", position);
        Assert.Equal(b.Main.Rows().Select(r => r["_id"]), a.Main.Rows().Select(r => r["_id"]));

        using FlattenResult text = JsonFlattener.Flatten(JsonInput.FromString("{\"x\":1}"), "data", new TransmogOptions { SourceFileField = "_file" });
        Assert.Contains(text.Main.Schema.Columns, c => c.Name == "_file");
        Assert.False(text.Main.Rows()[0].ContainsKey("_file"));
    }
}
