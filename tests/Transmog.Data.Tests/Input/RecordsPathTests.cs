using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Transmog.Data.Tests.Input;

/// <summary>
/// Records inside an envelope (<see cref="TransmogOptions.RecordsPath"/>): the array at a path, or the members of an
/// object map with their names in <c>_key</c>, flatten exactly as the same records given as JSON Lines.
/// </summary>
public class RecordsPathTests(ITestOutputHelper output)
{
    private static readonly string[] Lines = InputDump.SampleLines();

    private static readonly string JsonLines = string.Join("\n", Lines);

    private static TransmogOptions At(string path, TransmogOptions? options = null) => (options ?? InputDump.HashIds) with { RecordsPath = path };

    private static string Expected => InputDump.Of(JsonInput.FromString(JsonLines));

    private static string Envelope(string recordsKey, bool metadataFirst) =>
        metadataFirst
            ? $$$"""{"search_metadata":{"count":{{{Lines.Length}}},"nested":[{"a":[1,{"b":2}]}],"s":"x]}\"{"},"statuses":[{{{string.Join(",\n", Lines)}}}],"after":[1,2,3]}"""
            : $$$"""{"{{{recordsKey}}}":[{{{string.Join(",", Lines)}}}],"search_metadata":{"count":1}}""";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_array_at_a_key_gives_the_tables_of_its_records(bool metadataFirst)
    {
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromString(Envelope("statuses", metadataFirst)), At("statuses")));
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromString(Envelope("statuses", metadataFirst)), At("$.statuses")));
    }

    [Fact]
    public void A_nested_path_on_several_threads()
    {
        string json = $$$"""{"meta":{"page":1},"data":{"total":3,"items":[{{{string.Join(",", Enumerable.Repeat(Lines, 20).SelectMany(l => l))}}}],"next":null}}""";
        string one = InputDump.Of(JsonInput.FromString(json), At("data.items"));
        Assert.Equal(one, InputDump.Of(JsonInput.FromString(json), At("data.items", InputDump.HashIds with { MaxDegreeOfParallelism = 3, ChunkBytes = 900 })));
        Assert.Equal(InputDump.Of(JsonInput.FromString(string.Join("\n", Enumerable.Repeat(Lines, 20).SelectMany(l => l)))), one);
    }

    [Fact]
    public void Members_of_an_object_map_are_records_with_their_name_in_key()
    {
        const string json = """{"version":2,"plugins":{"git":{"v":"1.0","deps":[{"n":"scm"}]},"svn":{"v":"2.0"},"empty":{}},"signature":{"x":1}}""";
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(json), "plugins", At("plugins.*"));
        Assert.Equal(["git", "svn"], result.Main.Rows().Select(r => (string)r["_key"]));
        Assert.Equal(["1.0", "2.0"], result.Main.Rows().Select(r => (string)r["v"]));
        Assert.Equal(TransmogColumnRole.Key, result.Main.Schema.Columns.Single(c => c.Name == "_key").Role);
        Assert.Equal("scm", result["plugins_deps"].Rows().Single()["n"]);

        using FlattenResult named = JsonFlattener.Flatten(JsonInput.FromString(json), "plugins", At("plugins.*") with { KeyField = "plugin" });
        Assert.Equal(["git", "svn"], named.Main.Rows().Select(r => (string)r["plugin"]));
    }

    [Fact]
    public void A_root_object_map_and_a_map_above_the_records()
    {
        using FlattenResult root = JsonFlattener.Flatten(JsonInput.FromString("""{"1":{"a":1},"2":{"a":2}}"""), "data", At("*"));
        Assert.Equal(["1", "2"], root.Main.Rows().Select(r => (string)r["_key"]));

        const string json = """{"eu":{"items":[{"a":1},{"a":2}],"n":2},"us":{"n":0,"items":[{"a":3}]},"none":{"n":0}}""";
        using FlattenResult nested = JsonFlattener.Flatten(JsonInput.FromString(json), "data", At("*.items"));
        Assert.Equal(["eu", "eu", "us"], nested.Main.Rows().Select(r => (string)r["_key"]));
        Assert.Equal([1L, 2L, 3L], nested.Main.Rows().Select(r => (long)r["a"]));
    }

    [Fact]
    public void Envelopes_one_after_another_as_json_lines()
    {
        string lines = string.Concat(Lines.Chunk(6).Select(c => $$"""{"page":1,"items":[{{string.Join(",", c)}}]}""" + "\n"));
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromString(lines), At("items")));
    }

    [Fact]
    public void A_key_named_like_the_path_inside_skipped_values_does_not_match()
    {
        const string json = """{"x":{"items":[{"a":9}]},"items":[{"a":1}],"y":[{"items":[{"a":8}]}]}""";
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(json), "data", At("items"));
        Assert.Equal([1L], result.Main.Rows().Select(r => (long)r["a"]));
    }

    [Theory]
    [InlineData("""{"data":{"total":1}}""", "data.items", "RecordsPath 'data.items' matches nothing in the input: $.data was found, but no member 'items' in it", "$.data")]
    [InlineData("""{"other":[{"a":1}]}""", "items", "no top-level object has a member 'items'", "$")]
    [InlineData("""{"data":[{"items":[]}]}""", "data.items", "RecordsPath 'data.items' goes through an array at $.data", "$.data")]
    [InlineData("""{"data":{"items":"x"}}""", "data.items", "RecordsPath 'data.items' leads to a string at $.data.items, not to an array of records", "$.data.items")]
    [InlineData("""{"data":5}""", "data.items", "RecordsPath 'data.items' leads to a number at $.data", "$.data")]
    [InlineData("""[{"items":[]}]""", "items", "RecordsPath 'items' needs a JSON object at the top level, found an array", "$")]
    public void Paths_that_do_not_fit_the_input_are_clear_errors(string json, string path, string message, string jsonPath)
    {
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromString(json), At(path)));
        Assert.Contains(message, error.Reason, StringComparison.Ordinal);
        Assert.Equal(jsonPath, error.JsonPath);
        output.WriteLine(error.Message);
    }

    [Fact]
    public void An_empty_array_at_the_path_is_no_records_not_an_error()
    {
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString("""{"items":[],"n":0}"""), "data", At("items"));
        Assert.Equal(0, result.Main.RowCount);
    }

    [Fact]
    public void Map_members_that_are_not_objects_are_errors_or_rejects()
    {
        const string json = """{"plugins":{"git":{"v":1},"bad":[1,2],"svn":{"v":2},"n":null}}""";
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromString(json), At("plugins.*")));
        Assert.StartsWith("Expected JSON object as member 'bad' of the object map, got array", error.Reason, StringComparison.Ordinal);
        Assert.Equal("$.plugins.bad", error.JsonPath);
        Assert.Equal(json.IndexOf("[1,2]", StringComparison.Ordinal), error.ByteOffset);

        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(json), "data", At("plugins.*", InputDump.HashIds with { RecoveryMode = RecoveryMode.Skip }));
        Assert.Equal(["git", "svn"], result.Main.Rows().Select(r => (string)r["_key"]));
        Assert.Equal(["[1,2]", "null"], result.Rejects.Select(r => r.RawText));
    }

    [Fact]
    public void Errors_inside_records_name_their_path_and_skip_rejects_them_alone()
    {
        const string json = "{\"meta\":{},\n\"items\":[\n{\"a\":1},\n{\"a_b\":1,\"a\":{\"b\":2}},\n5,\n{\"a\":3}]}";
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromString(json), At("items")));
        Assert.Equal("$.items[1].a.b", error.JsonPath);
        Assert.Equal(4, error.Line);

        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(json), "data", At("items", InputDump.HashIds with { RecoveryMode = RecoveryMode.Skip }));
        Assert.Equal([1L, 3L], result.Main.Rows().Select(r => (long)r["a"]));
        Assert.Equal(["$.items[1]", "$.items[2]"], result.Rejects.Select(r => r.Position.JsonPath[..Math.Min(10, r.Position.JsonPath.Length)]));
    }

    [Fact]
    public void Syntax_errors_and_truncation_in_the_envelope_say_where()
    {
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromString("""{"meta":{"a":1,},"items":[{"a":1}]}"""), At("items")));
        Assert.StartsWith("Invalid JSON", error.Reason, StringComparison.Ordinal);
        Assert.Equal(15, error.ByteOffset);

        error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromString("""{"items":[{"a":1},{"a":2"""), At("items")));
        Assert.StartsWith("Truncated JSON", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Python_hash_ids_of_records_at_a_path_are_those_of_the_records_alone()
    {
        var options = new TransmogOptions { IdGeneration = IdGeneration.Hash, TimeField = null };
        using FlattenResult direct = JsonFlattener.Flatten(JsonInput.FromString(JsonLines), "data", options);
        using FlattenResult wrapped = JsonFlattener.Flatten(JsonInput.FromString(Envelope("statuses", true)), "data", options with { RecordsPath = "statuses" });
        Assert.Equal(direct.Main.Rows().Select(r => r["_id"]), wrapped.Main.Rows().Select(r => r["_id"]));
    }

    [Fact]
    public void A_huge_member_outside_the_path_is_skipped_without_being_held()
    {
        // 60 MB of envelope around two records, streamed: what the reader allocates stays far below the skipped size.
        // (One token, such as a string, is always held whole: a 60 MB string would be.)
        var stream = new GeneratedEnvelope(64L * 15 * (1 << 16));
        long before = GC.GetAllocatedBytesForCurrentThread();
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromStream(stream), "data", At("items", new TransmogOptions { MaxDegreeOfParallelism = 1 }));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal([1L, 2L], result.Main.Rows().Select(r => (long)r["a"]));
        Assert.True(allocated < 8 << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Several_files_with_a_records_path()
    {
        string dir = Io.TempDirectory();
        File.WriteAllText(Path.Combine(dir, "a.json"), Envelope("statuses", true).Replace("\"statuses\"", "\"items\"", StringComparison.Ordinal));
        File.WriteAllBytes(Path.Combine(dir, "b.json.gz"), EncodingAndCompressionTests.Gzip(Encoding.UTF8.GetBytes(Envelope("items", false))));
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFiles(dir), "data", At("items") with { SourceFileField = "file" });
        Assert.Equal(2 * Lines.Length, result.Main.RowCount);
        Assert.Equal("b.json.gz", result.Main.Rows()[^1]["file"]);
    }

    [Theory]
    [InlineData("twitter.json", "statuses", 100)]
    [InlineData("update-center.json", "plugins.*", 654)]
    [InlineData("gsoc-2018.json", "*", 1264)]
    public void Corpus_envelopes(string file, string path, int records)
    {
        if (Repository.CorpusDirectory is not { } dir)
        {
            output.WriteLine("SKIPPED: ../shared/corpus is not present on this machine.");
            return;
        }

        string full = Path.Combine(dir, file);
        var options = new TransmogOptions { IdGeneration = IdGeneration.Hash, RecordsPath = path, MaxDegreeOfParallelism = 1 };
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFile(full), "data", options);
        Assert.Equal(records, result.Main.RowCount);

        // The same records given one per line flatten to the same tables (but for the key column).
        JsonNode root = JsonNode.Parse(File.ReadAllText(full))!;
        IEnumerable<JsonNode> items = path switch
        {
            "statuses" => root["statuses"]!.AsArray()!,
            "plugins.*" => root["plugins"]!.AsObject().Select(p => p.Value!),
            _ => root.AsObject().Select(p => p.Value!),
        };
        string jsonl = string.Join("\n", items.Select(n => n.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })));
        using FlattenResult lines = JsonFlattener.Flatten(JsonInput.FromString(jsonl), "data", options with { RecordsPath = null });
        using FlattenResult parallel = JsonFlattener.Flatten(JsonInput.FromFile(full), "data", options with { MaxDegreeOfParallelism = 3, ChunkBytes = 20_000 });
        Assert.Equal(InputDump.Of(result), InputDump.Of(parallel));
        if (path.Contains('*', StringComparison.Ordinal))
        {
            // The same tables and rows, plus the key column holding each member's name.
            IEnumerable<string> names = path == "*" ? root.AsObject().Select(p => p.Key) : root["plugins"]!.AsObject().Select(p => p.Key);
            Assert.Equal(names, result.Main.Rows().Select(r => (string)r["_key"]));
            Assert.Equal(lines.AllTables.Select(t => (t.Name, t.RowCount)), result.AllTables.Select(t => (t.Name, t.RowCount)));
            Assert.Equal(lines.Main.Rows().Select(r => r["_id"]), result.Main.Rows().Select(r => r["_id"]));
        }
        else
        {
            Assert.Equal(InputDump.Of(lines), InputDump.Of(result));
        }
    }

    /// <summary>An envelope whose first member is a huge array of small objects, produced on the fly (never in memory whole).</summary>
    private sealed class GeneratedEnvelope(long padding) : Stream
    {
        private static readonly byte[] Head = Encoding.UTF8.GetBytes("{\"pad\":{\"s\":[");
        private static readonly byte[] Tail = Encoding.UTF8.GetBytes("{\"k\":0}],\"deep\":[[[1]]]},\"items\":[{\"a\":1},{\"a\":2}],\"more\":\"x\"}");
        private static readonly byte[] Unit = Encoding.UTF8.GetBytes("{\"k\":[1,\"x\"]},\n");
        private long _position;

        private long Total => Head.Length + padding + Tail.Length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = 0;
            while (n < count && _position < Total)
            {
                long p = _position;
                buffer[offset + n] = p < Head.Length ? Head[p] : p < Head.Length + padding ? Unit[(p - Head.Length) % Unit.Length] : Tail[p - Head.Length - padding];
                _position++;
                n++;
            }

            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
