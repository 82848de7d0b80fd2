using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Transmog.Data.Tests.Input;

/// <summary>
/// With <see cref="TransmogOptions.AllowComments"/> (and <see cref="TransmogOptions.AllowTrailingCommas"/>) the JSON
/// text a cell keeps (arrays of scalars, inline arrays, data deeper than MaxDepth) is the input's own text without
/// comments, whitespace and trailing commas: characters outside the Basic Multilingual Plane, private-use characters
/// and escapes stay as they are, on one thread and on many, and rejects keep the raw record with its comments.
/// </summary>
public class CommentedJsonTextTests
{
    // U+1F600 (emoji, 4 UTF-8 bytes), U+1D11E (musical symbol, 4 bytes), U+E000 (private use, 3 bytes),
    // U+2028 (line separator, 3 bytes): characters a JavaScript encoder escapes into 6 or 12 bytes.
    private const string Wide = "😀 𝄞 \uE000 \u2028 é";

    private static readonly TransmogOptions Commented = new()
    {
        AllowComments = true,
        IdGeneration = IdGeneration.Hash,
        TimeField = null,
        MaxDegreeOfParallelism = 1,
    };

    public static TheoryData<int> Threads() => [1, 4];

    private static TransmogOptions On(TransmogOptions options, int threads) =>
        threads == 1 ? options : options with { MaxDegreeOfParallelism = threads, ChunkBytes = 64 };

    [Theory]
    [MemberData(nameof(Threads))]
    public void Kept_arrays_hold_characters_outside_the_bmp_exactly(int threads)
    {
        string json = "{\"tags\": [ \"" + Wide + "\", /* between */ \"😀\" // to the end of the line\n ], \"s\": \"" + Wide + "\"}";
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(Array(json, 40)), "data", On(Commented, threads));
        foreach (IReadOnlyDictionary<string, object> row in result.Main.Rows())
        {
            Assert.Equal("[\"" + Wide + "\",\"😀\"]", row["tags"]);
            Assert.Equal(Wide, row["s"]);
        }

        Assert.Equal(40, result.Main.RowCount);
    }

    [Theory]
    [MemberData(nameof(Threads))]
    public void Inline_arrays_and_deep_objects_keep_their_text_and_escapes(int threads)
    {
        string json = "{\"xs\": [ {\"a\": \"😀😀😀\" /* c */}, {\"b\": [\"\\u00e9\\ud83d\\ude00\", 1.50e3]} ],\n"
            + " \"deep\": {\"o\": {\"p\": { // c\n \"q\": \"𝄞\\n\\\"x\\\"\", \"r\": [\"\uE000\"] }}}}";
        TransmogOptions options = Commented with { ArrayMode = ArrayMode.Inline, MaxDepth = 2 };
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(Array(json, 30)), "data", On(options, threads));
        Assert.Equal(30, result.Main.RowCount);
        foreach (IReadOnlyDictionary<string, object> row in result.Main.Rows())
        {
            Assert.Equal("[{\"a\":\"😀😀😀\"},{\"b\":[\"\\u00e9\\ud83d\\ude00\",1.50e3]}]", row["xs"]);
            Assert.Equal("{\"p\":{\"q\":\"𝄞\\n\\\"x\\\"\",\"r\":[\"\uE000\"]}}", row["deep_o"]);
            JsonDocument.Parse((string)row["xs"]).Dispose();
        }
    }

    [Theory]
    [MemberData(nameof(Threads))]
    public void Trailing_commas_leave_no_trace_in_kept_text(int threads)
    {
        foreach (bool comments in new[] { false, true })
        {
            string json = "{\"xs\": [\"😀\", 2, [3, ], {\"k\": \"\uE000\", }, ], \"k\": 1, }\n";
            TransmogOptions options = Commented with { AllowComments = comments, AllowTrailingCommas = true, ArrayMode = ArrayMode.Inline };
            using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(Repeat(json, 30)), "data", On(options, threads));
            Assert.All(result.Main.Rows(), row => Assert.Equal("[\"😀\",2,[3],{\"k\":\"\uE000\"}]", row["xs"]));
        }
    }

    [Theory]
    [MemberData(nameof(Threads))]
    public void Commented_input_flattens_as_the_same_input_without_comments(int threads)
    {
        var plain = new StringBuilder();
        var commented = new StringBuilder();
        for (int i = 0; i < 300; i++)
        {
            string wide = char.ConvertFromUtf32(0x1F600 + (i % 80)) + char.ConvertFromUtf32(0x10000 + (i * 7919 % 0xFFFF)) + "\uE000";
            string scalars = $"[\"{wide}\",{i},\"x\\u00e9{i}\",null,true]";
            string objects = $"[{{\"w\":\"{wide}\",\"n\":{i}}},{{\"w\":\"{i}\",\"deep\":{{\"a\":{{\"b\":{{\"c\":[\"{wide}\"]}}}}}}}}]";
            plain.Append(CultureInfo.InvariantCulture, $"{{\"i\":{i},\"s\":\"{wide}\",\"tags\":{scalars},\"xs\":{objects}}}\n");
            commented.Append(i == 0 ? "[ // a top-level array: records may span lines\n" : ",\n")
                .Append(CultureInfo.InvariantCulture, $"/* {wide} */ {{\"i\": {i}, // {wide}\n \"s\": \"{wide}\" /**/, \"tags\": {Commentify(scalars)}, \"xs\": {Commentify(objects)} }}");
        }

        commented.Append("\n/* end */ ]");

        foreach (ArrayMode mode in new[] { ArrayMode.Smart, ArrayMode.Inline })
        {
            TransmogOptions options = Commented with { ArrayMode = mode, MaxDepth = 3 };
            string expected = Dump(JsonFlattener.Flatten(JsonInput.FromString(plain.ToString()), "data", options with { AllowComments = false }));
            string actual = Dump(JsonFlattener.Flatten(JsonInput.FromString(commented.ToString()), "data", On(options, threads)));
            Assert.Equal(expected, actual);
            Assert.Contains("😀", actual);
        }
    }

    [Theory]
    [MemberData(nameof(Threads))]
    public async Task Rejects_keep_the_raw_record_with_its_comments(int threads)
    {
        // Natural ids: a record without "id" is rejected under Skip, after its comments were read past.
        const string bad = "{\"name\": \"😀 \uE000\", /* no id here */ \"tags\": [\"𝄞\", /* c */ \"😀\"]}";
        var json = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            json.Append(i % 10 == 3 ? bad : $"{{\"id\": {i}, /* 😀 */ \"tags\": [\"😀\", \"{i}\"]}}").Append('\n');
        }

        TransmogOptions options = On(Commented with { IdGeneration = IdGeneration.Natural, IdField = "id", RecoveryMode = RecoveryMode.Skip }, threads);
        using (FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(json.ToString()), "data", options))
        {
            Assert.Equal(36, result.Main.RowCount);
            Assert.Equal(4, result.Rejects.Count);
            Assert.All(result.Rejects, r => Assert.Equal(bad, r.RawText));
            Assert.Equal([4L, 14L, 24L, 34L], result.Rejects.Select(r => r.Position.Line));
            Assert.Equal("[\"😀\",\"0\"]", result.Main.Rows()[0]["tags"]);
        }

        string dir = Io.TempDirectory();
        IReadOnlyList<string> paths = await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json.ToString()), dir, "data", options: options);
        string rejects = Assert.Single(paths, p => p.EndsWith("_rejects.jsonl", StringComparison.Ordinal));
        string[] lines = File.ReadAllLines(rejects, Encoding.UTF8);
        Assert.Equal(4, lines.Length);
        foreach (string line in lines)
        {
            using JsonDocument document = JsonDocument.Parse(line);
            Assert.Equal(bad, document.RootElement.GetProperty("raw").GetString());
        }
    }

    [Theory]
    [InlineData("[1, // c\r\n 2]", "[1,2]")]
    [InlineData("[1, // c\n 2 // d\r]", "[1,2]")]
    [InlineData("{\"a\" /* ** / */ : \"b//c/*d*/\"}", "{\"a\":\"b//c/*d*/\"}")]
    [InlineData("[ \"x\\\"/*\", /**/ ]", "[\"x\\\"/*\"]")]
    [InlineData("[[ ], { }, [1,], {\"k\":[],},\n]", "[[],{},[1],{\"k\":[]}]")]
    [InlineData("[\"😀\",/*😀*/\"\uE000\"]", "[\"😀\",\"\uE000\"]")]
    public void Lenient_compact_text_drops_comments_and_trailing_commas_only(string raw, string expected)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(raw);
        byte[] destination = new byte[bytes.Length];
        int written = Transmog.Data.Flattening.CompactJson.WriteLenient(bytes, destination);
        Assert.Equal(expected, Encoding.UTF8.GetString(destination, 0, written));
    }

    private static string Repeat(string line, int times) => string.Concat(Enumerable.Repeat(line, times));

    /// <summary>A top-level array of the record, with comments between elements (records may span lines).</summary>
    private static string Array(string record, int times) =>
        "[ // records\n" + string.Join(", /* next */\n", Enumerable.Repeat(record, times)) + "\n]";

    /// <summary>Puts a comment and whitespace after every comma and opening bracket (outside strings).</summary>
    private static string Commentify(string json)
    {
        var sb = new StringBuilder();
        bool inString = false;
        for (int i = 0; i < json.Length; i++)
        {
            char c = json[i];
            sb.Append(c);
            if (inString)
            {
                if (c == '\\')
                {
                    sb.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is ',' or '[' or '{')
            {
                sb.Append(i % 2 == 0 ? " /* 😀 */ " : " // 𝄞 ]}\"\n ");
            }
        }

        return sb.ToString();
    }

    private static string Dump(FlattenResult result)
    {
        using (result)
        {
            var sb = new StringBuilder();
            foreach (FlattenedTable table in result.AllTables)
            {
                sb.Append("# ").Append(table.Name).Append(" rows=").Append(table.RowCount).Append('\n');
                foreach (TransmogColumn c in table.Schema.Columns)
                {
                    sb.Append(c.Name).Append(':').Append(c.Type).Append(':').Append(c.MaxLength).Append(' ');
                }

                sb.Append('\n');
                using TransmogDataReader reader = table.CreateReader();
                while (reader.Read())
                {
                    for (int i = 0; i < reader.FieldCount; i++)
                    {
                        sb.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
                    }

                    sb.Append('\n');
                }
            }

            return sb.ToString();
        }
    }

    [Theory]
    [InlineData("// exported by a tool\n[{\"a\":1},{\"a\":2}]", 2, 2)]
    [InlineData("/* header\n spanning lines */ {\"a\":1}", 1, 2)]
    [InlineData("// one\n// two\n{\"a\":1}\n{\"a\":2}\n", 2, 3)]
    [InlineData("  /* x */ {\"a\":1}{\"a\":2}", 2, 1)]
    [InlineData("// only a comment\n", 0, 0)]
    [InlineData("{\"a\":1}{\"a\":2}\n// the end\n", 2, 1)]
    [InlineData("{\"a\":1} /* x */ {\"a\":2} /* the end */ // really\n", 2, 1)]
    public void An_input_may_start_with_comments(string json, int records, long firstLine)
    {
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(json), "data", Commented);
        Assert.Equal(records, result.Main.RowCount);
        if (records > 0)
        {
            // Positions after the comments stay right: a bad second value is reported on its own line.
            string bad = json.Replace("{\"a\":2}", "{\"a\":tru}", StringComparison.Ordinal);
            if (bad != json)
            {
                var error = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromString(bad), "data", Commented).Dispose());
                Assert.True(error.Line >= firstLine, error.Message);
            }
        }

        // Without AllowComments the same text is refused, naming the '/'.
        if (json.TrimStart().StartsWith('/'))
        {
            var refused = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromString(json), "data", Commented with { AllowComments = false }).Dispose());
            Assert.Contains("'/'", refused.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("// c\n{\"id\":1}\n", 1)]
    [InlineData("// exported by a tool\r\n  /* one */ /* two */ // three\r\n\r\n{\"id\":1}\r\n\t// between\r\n{\"id\":2}\r\n// the end", 2)]
    [InlineData("{\"id\":1} // after a record\n/* before a record */ {\"id\":2}\n{\"id\":3} /* after */\n/*/ still a comment */\n/**/{\"id\":4}/**/\n", 4)]
    [InlineData("/* c */\r{\"id\":1}\r// c\r{\"id\":2}", 2)]
    [InlineData("// 😀 \uE000\n{\"id\":1, /* inside */ \"s\": \"// not a comment\"}\n", 1)]
    public void Json_lines_files_skip_comment_lines_and_keep_later_positions(string text, int records)
    {
        string dir = Io.TempDirectory();
        string path = Path.Combine(dir, "cm.jsonl");
        File.WriteAllText(path, text);
        foreach (int threads in (int[])[1, 4])
        {
            TransmogOptions options = On(Commented, threads);
            using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFile(path), "data", options);
            Assert.Equal(Enumerable.Range(1, records).Select(i => (long)i), result.Main.Rows().Select(r => (long)r["id"]));
            Assert.Empty(result.Rejects);

            // The same text from a string (its format detected) gives the same tables.
            Assert.Equal(Dump(JsonFlattener.Flatten(JsonInput.FromFile(path), "data", options)), Dump(JsonFlattener.Flatten(JsonInput.FromString(text), "data", options)));

            // A bad record after the comments is reported where it is: the same line, column and byte offset as in
            // the text with every comment blanked out (and no AllowComments).
            string bad = text + "\n// one more\n  {\"id\": tru}\n";
            File.WriteAllText(path, bad);
            var error = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFile(path), "data", options).Dispose());
            File.WriteAllBytes(path, Blank(bad));
            var expected = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFile(path), "data", options with { AllowComments = false }).Dispose());
            Assert.Equal((expected.Line, expected.Column, expected.ByteOffset, expected.RecordNumber), (error.Line, error.Column, error.ByteOffset, error.RecordNumber));
            Assert.Equal(records + 1, error.RecordNumber);
            File.WriteAllText(path, text);
        }

        // Without AllowComments a comment line is still refused, naming the '/'.
        Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFile(path), "data", Commented with { AllowComments = false }).Dispose());
    }

    [Fact]
    public void A_json_lines_comment_must_end_on_its_line()
    {
        string path = Path.Combine(Io.TempDirectory(), "cm.jsonl");
        File.WriteAllText(path, "{\"id\":1}\n  /* runs on\n{\"id\":2}\n  */\n{\"id\":3}\n");
        var error = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFile(path), "data", Commented).Dispose());
        Assert.Contains("a comment must end on its line", error.Message, StringComparison.Ordinal);
        Assert.Equal((2L, 3L, 11L, 2L), (error.Line, error.Column, error.ByteOffset, error.RecordNumber));

        // Under Skip the line is one reject; the next lines are read as lines ("*/" alone is not a record either).
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFile(path), "data", Commented with { RecoveryMode = RecoveryMode.Skip });
        Assert.Equal([1L, 2L, 3L], result.Main.Rows().Select(r => (long)r["id"]));
        Assert.Equal([2L, 4L], result.Rejects.Select(r => r.Line));
        Assert.Equal("/* runs on", result.Rejects[0].RawText);
    }

    /// <summary>The text's UTF-8 with every comment outside strings replaced by spaces, byte for byte (line ends kept).</summary>
    private static byte[] Blank(string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        bool inString = false;
        for (int i = 0; i < bytes.Length; i++)
        {
            byte c = bytes[i];
            if (inString)
            {
                if (c == (byte)'\\')
                {
                    i++;
                }
                else if (c == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (c == (byte)'"')
            {
                inString = true;
            }
            else if (c == (byte)'/' && i + 1 < bytes.Length && bytes[i + 1] is (byte)'/' or (byte)'*')
            {
                int end = bytes[i + 1] == (byte)'/'
                    ? (bytes.AsSpan(i).IndexOfAny((byte)'\n', (byte)'\r') is var nl and >= 0 ? i + nl : bytes.Length)
                    : i + 2 + bytes.AsSpan(i + 2).IndexOf("*/"u8) + 2;
                for (int j = i; j < end; j++)
                {
                    bytes[j] = bytes[j] is (byte)'\n' or (byte)'\r' ? bytes[j] : (byte)' ';
                }

                i = end - 1;
            }
        }

        return bytes;
    }
}
