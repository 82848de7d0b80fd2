using System.Text;

namespace Transmog.Data.Tests.Input;

/// <summary>
/// Several files as one input (<see cref="JsonInput.FromFiles"/>): each in its own layout, compression and encoding,
/// read in a stated order into one set of tables; errors and rejects name the file.
/// </summary>
public class ManyFilesTests
{
    private static readonly string[] Lines = InputDump.SampleLines();

    private static string Expected => InputDump.Of(JsonInput.FromString(string.Join("\n", Lines)));

    private static string Write(string dir, string relative, byte[] bytes)
    {
        string path = Path.Combine(dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>The sample cut in four, each part in another form; names sort in the order of the parts.</summary>
    private static string MixedDirectory()
    {
        string dir = Io.TempDirectory();
        Write(dir, "1-lines.jsonl", Utf8(string.Join("\r\n", Lines[..5])));
        Write(dir, "2-array.json.gz", EncodingAndCompressionTests.Gzip(Utf8("[" + string.Join(",\n", Lines[5..9]) + "]")));
        Write(dir, "3/pretty.json.zst", EncodingAndCompressionTests.Zstd(EncodingAndCompressionTests.Encode(InputDump.Pretty(Lines[9..14]), "utf-16le")));
        Write(dir, "3/single.json", Utf8(Lines[14]));
        Write(dir, "4-rest.ndjson.br", EncodingAndCompressionTests.Brotli(Utf8(string.Join("\n", Lines[15..]))));
        Write(dir, "README.md", Utf8("not data"));
        Write(dir, ".hidden.json", Utf8("not read"));
        Write(dir, ".git/x.json", Utf8("not read"));
        return dir;
    }

    [Fact]
    public void A_directory_of_mixed_forms_gives_the_tables_of_one_file()
    {
        string dir = MixedDirectory();
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromFiles(dir)));
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromFiles(dir), InputDump.HashIds with { MaxDegreeOfParallelism = 3, ChunkBytes = 700 }));
    }

    [Fact]
    public void Files_are_read_in_ordinal_order_of_their_relative_paths_and_the_source_column_names_them()
    {
        string dir = Io.TempDirectory();
        foreach (string name in (string[])["b.jsonl", "a.jsonl", "sub/c.json", "A.jsonl", "sub/B.json", "notes.txt"])
        {
            Write(dir, name, Utf8($"{{\"f\":\"{name}\"}}\n"));
        }

        var options = InputDump.HashIds with { SourceFileField = "_source_file" };
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFiles(dir), "data", options);
        string[] expected = ["A.jsonl", "a.jsonl", "b.jsonl", "sub/B.json", "sub/c.json"];
        Assert.Equal(expected, result.Main.Rows().Select(r => (string)r["f"]));
        Assert.Equal(expected, result.Main.Rows().Select(r => (string)r["_source_file"]));
        Assert.Equal(TransmogColumnRole.SourceFile, result.Main.Schema.Columns[^1].Role);
    }

    [Fact]
    public void Arguments_keep_their_order_globs_match_by_relative_path_and_a_file_is_read_once()
    {
        string dir = Io.TempDirectory();
        foreach (string name in (string[])["x/1.jsonl", "x/2.jsonl", "x/deep/3.jsonl", "y.jsonl", "x/4.txt"])
        {
            Write(dir, name, Utf8($"{{\"f\":\"{name}\"}}\n"));
        }

        var options = InputDump.HashIds with { SourceFileField = "src" };
        using FlattenResult result = JsonFlattener.Flatten(
            JsonInput.FromFiles(Path.Combine(dir, "y.jsonl"), Path.Combine(dir, "x", "*.jsonl"), Path.Combine(dir, "x", "**", "*.jsonl")), "data", options);
        Assert.Equal(["y.jsonl", "x/1.jsonl", "x/2.jsonl", "x/deep/3.jsonl"], result.Main.Rows().Select(r => (string)r["f"]));
        Assert.Equal([Path.Combine(dir, "y.jsonl"), "1.jsonl", "2.jsonl", "deep/3.jsonl"], result.Main.Rows().Select(r => (string)r["src"]));
    }

    [Fact]
    public void Random_ids_stay_unique_across_files()
    {
        string dir = Io.TempDirectory();
        string a = Write(dir, "a.jsonl", Utf8(string.Join("\n", Lines)));
        string b = Write(dir, "b.jsonl", Utf8(string.Join("\n", Lines)));
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFiles(a, b), "data", new TransmogOptions { IdGeneration = IdGeneration.Random });
        Assert.Equal(2 * Lines.Length, result.Main.RowCount);
        Assert.Equal(2 * Lines.Length, result.Main.Rows().Select(r => r["_id"]).Distinct().Count());
    }

    [Fact]
    public void An_error_names_the_file_line_offset_and_path()
    {
        string dir = Io.TempDirectory();
        Write(dir, "a.jsonl", Utf8("{\"a\":1}\n{\"a\":2}\n"));
        Write(dir, "b.jsonl", Utf8("{\"a\":3}\n{\"a\":{\"b\":}}\n"));
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromFiles(dir)));
        Assert.Equal("b.jsonl", error.Position.File);
        Assert.Equal(2, error.Line);
        Assert.Equal(18, error.ByteOffset);
        Assert.Equal(4, error.Position.RecordNumber);
        Assert.Contains("(file b.jsonl, line 2, column 11, byte offset 18, record 4, path $", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_flattening_error_names_the_file_too()
    {
        string dir = Io.TempDirectory();
        Write(dir, "a.json", Utf8("[{\"a\":1}]"));
        Write(dir, "b.json", Utf8("[{\"a\":2},{\"a_b\":1,\"a\":{\"b\":2}}]"));
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromFiles(dir)));
        Assert.Equal("b.json", error.Position.File);
        Assert.Equal("$[1].a.b", error.JsonPath);
    }

    [Fact]
    public void Skip_rejects_name_the_file_and_an_unreadable_file_is_one_reject()
    {
        string dir = Io.TempDirectory();
        Write(dir, "a.jsonl", Utf8("{\"a\":1}\nnot json\n"));
        string gone = Write(dir, "b.jsonl", Utf8("{\"a\":2}\n"));
        Write(dir, "c.json", Utf8("hello"));
        Write(dir, "d.jsonl", Utf8("{\"a\":3}\n"));
        JsonInput input = JsonInput.FromFiles(dir);
        File.Delete(gone);
        using FlattenResult result = JsonFlattener.Flatten(input, "data", InputDump.HashIds with { RecoveryMode = RecoveryMode.Skip });
        Assert.Equal([1L, 3L], result.Main.Rows().Select(r => (long)r["a"]));
        Assert.Equal(["a.jsonl", "b.jsonl", "c.json"], result.Rejects.Select(r => r.Position.File));
        Assert.Contains("Cannot open the input file", result.Rejects[1].Error, StringComparison.Ordinal);
        Assert.Equal(2, result.Rejects[0].Position.Line);

        var strict = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromFiles(Path.Combine(dir, "c.json"), Path.Combine(dir, "d.jsonl"))));
        Assert.Equal(Path.Combine(dir, "c.json"), strict.Position.File);
    }

    [Fact]
    public void Paths_that_match_nothing_are_errors()
    {
        string dir = Io.TempDirectory();
        Write(dir, "notes.txt", Utf8("x"));
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => JsonInput.FromFiles(Path.Combine(dir, "missing.json"))).Message, StringComparison.Ordinal);
        Assert.Contains("matches no file", Assert.Throws<ArgumentException>(() => JsonInput.FromFiles(Path.Combine(dir, "*.json"))).Message, StringComparison.Ordinal);
        Assert.Contains("holds no data file", Assert.Throws<ArgumentException>(() => JsonInput.FromFiles(dir)).Message, StringComparison.Ordinal);

        // An empty segment (a trailing slash, a doubled one) after a wildcard matches nothing: an error, not a crash.
        foreach (string pattern in (string[])["*/", "**/", "*//x.json"])
        {
            Assert.Contains("matches no file", Assert.Throws<ArgumentException>(() => JsonInput.FromFiles(Path.Combine(dir, pattern))).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Wildcards_leave_hidden_names_out_as_a_shell_does_unless_the_pattern_names_the_dot()
    {
        string dir = Io.TempDirectory();
        foreach (string name in (string[])["a.jsonl", ".a.jsonl", "sub/b.jsonl", "sub/.c.jsonl", ".hidden/d.jsonl"])
        {
            Write(dir, name, Utf8($"{{\"f\":\"{name}\"}}\n"));
        }

        string[] Read(string pattern)
        {
            using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFiles(Path.Combine(dir, pattern)), "data", InputDump.HashIds);
            return [.. result.Main.Rows().Select(r => (string)r["f"])];
        }

        Assert.Equal(["a.jsonl"], Read("*.jsonl"));
        Assert.Equal(["a.jsonl"], Read("?.jsonl"));
        Assert.Equal(["a.jsonl", "sub/b.jsonl"], Read(Path.Combine("**", "*.jsonl")));
        Assert.Equal(["a.jsonl", "sub/b.jsonl"], Read("**"));
        Assert.Equal([".a.jsonl"], Read(".*.jsonl"));
        Assert.Equal(["sub/.c.jsonl"], Read(Path.Combine("sub", ".c*")));
    }

    [Fact]
    public async Task Several_files_through_readers_and_to_files()
    {
        string dir = MixedDirectory();
        var options = InputDump.HashIds with { SourceFileField = "_file" };
        using (var tables = TransmogTableSet.Open(JsonInput.FromFiles(dir), "data", options))
        {
            using TransmogDataReader reader = tables.OpenReader("data");
            int rows = 0;
            while (reader.Read())
            {
                rows++;
            }

            Assert.Equal(Lines.Length, rows);
        }

        string outDir = Io.TempDirectory();
        IReadOnlyList<string> files = await JsonFlattener.FlattenStreamAsync(JsonInput.FromFiles(dir), outDir, "data", new CsvFormatOptions(), options);
        string[] csv = File.ReadAllLines(files[0]);
        Assert.EndsWith(",_file", csv[0], StringComparison.Ordinal);
        Assert.EndsWith(",4-rest.ndjson.br", csv[^1], StringComparison.Ordinal);
    }
}
