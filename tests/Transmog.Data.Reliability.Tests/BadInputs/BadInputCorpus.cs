using System.Text;
using static Transmog.Data.TestSupport.Io;

namespace Transmog.Data.Reliability.Tests.BadInputs;

/// <summary>
/// The bad-input corpus: every hostile or broken input with its expected outcome. Inputs are built in code (so the
/// expected line, column and byte offset are computed from the bytes, not copied), plus the files in this folder.
/// </summary>
public static class BadInputCorpus
{
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];

    public static IReadOnlyDictionary<string, BadInput> All { get; } = Build().ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string name in All.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    /// <summary>Offset of the first occurrence of <paramref name="needle"/> in <paramref name="bytes"/>.</summary>
    private static int At(byte[] bytes, string needle) => bytes.AsSpan().IndexOf(Utf8(needle)) is var i and >= 0 ? i : throw new ArgumentException(needle);

    private static int At(byte[] bytes, byte[] needle) => bytes.AsSpan().IndexOf(needle);

    private static string Deep(string open, string close, int depth) =>
        new StringBuilder(depth * (open.Length + close.Length) + 8).Insert(0, open, depth).Append('1').Insert(depth * open.Length + 1, close, depth).ToString();

    private static IEnumerable<BadInput> Build()
    {
        // ---- Truncated documents -------------------------------------------------------------------------------
        byte[] b = Utf8("[{\"a\":1},{\"a\":2");
        yield return new BadInput("truncated-array", b,
            new Fails(1, b.Length + 1, b.Length, "$[1]", "runcated", Record: 2),
            new Rejects(1, new Reject(1, 2, "{\"a\":2", "runcated"))) { Records = 2 };

        b = Utf8("[{\"a\":1},{\"a\":2},\n");
        yield return new BadInput("truncated-array-before-close", b,
            new Fails(2, null, null, "$[2]", "", Record: 3),
            new Rejects(2, new Reject(2, 3, "", ""))) { Records = 3 };

        b = Utf8("{\"a\":{\"b\":1");
        yield return new BadInput("truncated-object", b,
            new Fails(1, null, null, "$", "", Record: 1),
            new Rejects(0, new Reject(1, 1, "{\"a\":{\"b\":1", ""))) { Records = 1 };

        b = Utf8("{\"a\":1}\n{\"a\":2}\n{\"a\":");
        yield return new BadInput("truncated-jsonl-last-line", b,
            new Fails(3, null, null, "$", "line 3", Record: 3),
            new Rejects(2, new Reject(3, 3, "{\"a\":", "line 3"))) { Records = 3 };

        byte[] lines = Utf8(string.Concat(Enumerable.Range(0, 4000).Select(i => $"{{\"a\":{i},\"s\":\"{new string('x', i % 50)}\"}}\n")));
        byte[] gz = Gzip(lines);
        yield return new BadInput("gzip-cut-in-the-middle", gz[..(gz.Length / 2)],
            new Fails(null, null, null, "$", "truncated or corrupt: its trailer does not match"),
            new StillFails("gzip", "the rest of the data is gone; a truncated gzip is never taken for a short file"));
        yield return new BadInput("gzip-trailer-missing", gz[..^8],
            new Fails(4001, 1, lines.Length, "$", "Invalid gzip input: truncated or corrupt"),
            new StillFails("gzip", "all records decompressed, but nothing proves the file is whole"));
        yield return new BadInput("gzip-header-only", [0x1F, 0x8B, 0x08],
            new Fails(1, 1, 0, "$", "Invalid gzip input: truncated"),
            new StillFails("gzip", "nothing to read"));
        byte[] corrupt = (byte[])gz.Clone();
        for (int i = 20; i < 60; i++)
        {
            corrupt[i] ^= 0x5A;
        }

        yield return new BadInput("gzip-corrupt", corrupt,
            new Fails(1, 1, 0, "$", "Invalid gzip input"),
            new StillFails("gzip", "the stream cannot be decoded past the damage"));

        // Concatenated gzip members (cat a.gz b.gz, bgzip) are one valid input, also when one member is empty.
        yield return new BadInput("gzip-multi-member-is-fine", Concat(Gzip(lines[..1000]), Gzip([]), Gzip(lines[1000..])),
            new Flattens(4000), new Rejects(4000)) { Records = 4000 };

        // ---- Invalid UTF-8 and escaped lone surrogates ----------------------------------------------------------
        b = Concat(Utf8("{\"a\":1}\n{\"a\":\""), [0xFF], Utf8("\"}\n{\"a\":3}\n"));
        yield return new BadInput("invalid-utf8-in-string", b,
            new Fails(2, 6, 13, "$.a", "UTF-8", Record: 2),
            new Rejects(2, new Reject(2, 2, "{\"a\":", "UTF-8"))) { Records = 3 };

        b = Concat(Utf8("{\"a\":1}\n{\"b\":{\"c\":\"ok"), [0xC3, 0x28], Utf8("\"}}\n{\"a\":3}\n"));
        yield return new BadInput("invalid-utf8-in-nested-string", b,
            new Fails(2, 11, 18, "$.b.c", "UTF-8", Record: 2),
            new Rejects(2, new Reject(2, 2, "{\"b\":", "UTF-8"))) { Records = 3 };

        b = Concat(Utf8("{\"a\":1}\n{\""), [0xC3, 0x28], Utf8("\":2}\n{\"a\":3}\n"));
        yield return new BadInput("invalid-utf8-in-key", b,
            new Fails(2, 2, 9, "$", "UTF-8", Record: 2),
            new Rejects(2, new Reject(2, 2, "\":2}", "UTF-8"))) { Records = 3 };

        b = Concat(Utf8("{\"a\":1}\n{\"arr\":[{\"x\":1},{\""), [0xFF], Utf8("\":2}]}\n{\"a\":3}\n"));
        yield return new BadInput("invalid-utf8-in-child-item-key", b,
            new Fails(2, 18, 25, "$.arr[1]", "UTF-8", Record: 2),
            new Rejects(2, new Reject(2, 2, "arr", "UTF-8"))) { Records = 3 };

        b = Utf8("{\"a\":1}\n{\"a\":\"\\ud800\"}\n{\"a\":3}\n");
        yield return new BadInput("lone-high-surrogate-escape", b,
            new Fails(2, 6, 13, "$.a", "surrogate", Record: 2),
            new Rejects(2, new Reject(2, 2, "\\ud800", "surrogate"))) { Records = 3 };

        b = Utf8("{\"a\":1}\n{\"a\":\"x\\udc00y\"}\n{\"a\":3}\n");
        yield return new BadInput("lone-low-surrogate-escape", b,
            new Fails(2, 6, 13, "$.a", "", Record: 2),
            new Rejects(2, new Reject(2, 2, "\\udc00", ""))) { Records = 3 };

        b = Utf8("{\"a\":1}\n{\"\\ud800\":1}\n{\"a\":3}\n");
        yield return new BadInput("lone-surrogate-escape-in-key", b,
            new Fails(2, 2, 9, "$", "surrogate", Record: 2),
            new Rejects(2, new Reject(2, 2, "\\ud800", "surrogate"))) { Records = 3 };

        b = Utf8("{\"a\":\"\\ud83d\\ude00\"}\n{\"a\":\"é\"}\n");
        yield return new BadInput("surrogate-pair-is-fine", b,
            new Flattens(2, r => Assert.Equal(["😀", "é"], r.Main.Rows.Select(x => x["a"]))), new Rejects(2)) { Records = 2 };

        // ---- BOMs -----------------------------------------------------------------------------------------------
        b = Concat(Utf8("{\"a\":1}\n"), Bom, Utf8("{\"a\":2}\n{\"a\":3}\n"));
        yield return new BadInput("bom-in-the-middle-of-json-lines", b,
            new Fails(2, 1, 8, "$", "0xEF", Record: 2),
            new Rejects(2, new Reject(2, 2, "{\"a\":2}", "0xEF"))) { Records = 3 };

        b = Concat(Bom, Utf8("{\"a\":1}\n{\"a\":2}\n"));
        yield return new BadInput("bom-at-the-start-is-fine", b, new Flattens(2), new Rejects(2)) { Records = 2 };

        // ---- NaN / Infinity (not JSON) -------------------------------------------------------------------------
        foreach ((string name, string literal) in new[] { ("nan-literal", "NaN"), ("infinity-literal", "Infinity"), ("negative-infinity-literal", "-Infinity") })
        {
            b = Utf8($"{{\"a\":1}}\n{{\"a\":{literal}}}\n{{\"a\":3}}\n");
            yield return new BadInput(name, b,
                new Fails(2, null, null, "$", "Invalid JSON on line 2", Record: 2),
                new Rejects(2, new Reject(2, 2, literal, "Invalid JSON"))) { Records = 3 };
        }

        // ---- Duplicate keys: never last-wins silently ---------------------------------------------------------
        b = Utf8("{\"a\":1}\n{\"a\":1,\"a\":2}\n{\"a\":3}\n");
        yield return new BadInput("duplicate-key-scalar", b,
            new Fails(2, 12, At(b, "2}"), "$.a", "Two paths of one record produce column 'a' of table 'data': '$.a (duplicate key)' and '$.a'", Record: 2),
            new Rejects(2, new Reject(2, 2, "{\"a\":1,\"a\":2}", "column 'a'"))) { Records = 3 };

        b = Utf8("{\"a\":1}\n{\"o\":{\"x\":1},\"o\":{\"x\":2}}\n");
        yield return new BadInput("duplicate-key-object-same-leaf", b,
            new Fails(2, null, At(b, "2}}"), "$.o.x", "column 'o_x' of table 'data': '$.o.x (duplicate key)' and '$.o.x'", Record: 2),
            new Rejects(1, new Reject(2, 2, "\"o\":{\"x\":2}", "o_x"))) { Records = 2 };

        // Duplicate keys whose values do not collide lose nothing: both objects' leaves, both arrays' items.
        b = Utf8("{\"o\":{\"x\":1},\"o\":{\"y\":2},\"arr\":[{\"v\":1}],\"arr\":[{\"v\":2}]}");
        yield return new BadInput("duplicate-keys-without-collision-keep-everything", b,
            new Flattens(1, r =>
            {
                var row = r.Main.Rows.Single();
                Assert.Equal(1L, row["o_x"]);
                Assert.Equal(2L, row["o_y"]);
                Assert.Equal([1L, 2L], r["data_arr"].Rows.Select(x => x["v"]));
            }),
            new Rejects(1)) { Records = 1 };

        b = Utf8("{\"a\":1,\"a\":2}");
        yield return new BadInput("duplicate-key-last-wins-only-when-asked", b,
            new Flattens(1, r => Assert.Equal(2L, r.Main.Rows.Single()["a"])), new Rejects(1))
        { Options = new TransmogOptions { LastWriteWins = true }, Records = 1 };

        // ---- Nesting 100 000 levels deep: a clear error, never a stack overflow -------------------------------
        foreach ((string name, string open, string close) in new[] { ("objects", "{\"a\":", "}"), ("arrays", "[", "]"), ("arrays-of-objects", "{\"a\":[", "]}") })
        {
            string deep = Deep(open, close, 100_000);
            string record = deep.StartsWith('{') ? deep : "{\"d\":" + deep + "}";
            b = Utf8("{\"a\":1}\n" + record + "\n{\"a\":3}\n");
            yield return new BadInput("nesting-100000-" + name, b,
                new Fails(2, null, null, "$", "maximum configured depth", Record: 2),
                new Rejects(2, new Reject(2, 2, open + open, "depth"))) { Records = 3 };
        }

        b = Utf8(Deep("[", "]", 100_000));
        yield return new BadInput("nesting-100000-top-level-array", b,
            new Fails(1, 1001, 1000, "$[0]", "maximum configured depth", Record: 1),
            new StillFails("depth", "a top-level array cannot be resynchronised after an element it cannot read"));

        // ---- A million distinct keys: the MaxColumns limit -----------------------------------------------------
        var keys = new StringBuilder("{\"a\":1}\n{");
        for (int i = 0; i < 1_000_000; i++)
        {
            keys.Append(i == 0 ? "" : ",").Append("\"k").Append(i).Append("\":1");
        }

        b = Utf8(keys.Append("}\n{\"a\":3}\n").ToString());
        yield return new BadInput("million-distinct-keys", b,
            // Record 1 made 3 columns (a, _id, _timestamp): the 100 001st column is k99997.
            new Fails(2, At(b, "\"k99997\":") + 9 - 8 + 1, At(b, "\"k99997\":") + 9, "$.k99997", "more than 100000 columns (MaxColumns)", Record: 2),
            new Rejects(2, new Reject(2, 2, "\"k999999\":1", "MaxColumns"))) { Records = 3 };

        b = Utf8("{\"a\":1,\"b\":2}\n{\"a\":1,\"b\":2,\"c\":3}\n");
        yield return new BadInput("max-columns-configured", b,
            new Fails(2, 18, At(b, "3}"), "$.c", "more than 4 columns (MaxColumns)", Record: 2),
            new Rejects(1, new Reject(2, 2, "\"c\":3", "MaxColumns")))
        { Options = new TransmogOptions { MaxColumns = 4 }, Records = 2 };

        // ---- Numbers beyond double and decimal: kept as exact text, never rounded to Infinity or 0 ------------
        string[] huge = ["1e400", "-1e400", "1e-400", "123456789012345678901234567890123456789", "-0.000000000000000000000000000000000001e-380"];
        b = Utf8(string.Concat(huge.Select(h => $"{{\"n\":{h}}}\n")));
        yield return new BadInput("numbers-beyond-double-and-decimal", b,
            new Flattens(huge.Length, r =>
            {
                Assert.Equal(TransmogColumnType.String, r.Main.Schema.Columns[0].Type);
                Assert.Equal(huge, r.Main.Rows.Select(x => x["n"]));
            }),
            new Rejects(huge.Length)) { Records = huge.Length };

        // ---- Top-level scalars ---------------------------------------------------------------------------------
        foreach ((string name, string json, string what) in new[] { ("number", "42", "a number"), ("string", "\"text\"", "a string"), ("boolean", "true", "a boolean"), ("null", "null", "null") })
        {
            yield return new BadInput("top-level-" + name, Utf8("  " + json),
                new Fails(1, 3, 2, "$", "starts with " + what),
                new StillFails("starts with", "not records at all: there is nothing to skip to"));
        }

        b = Utf8("[1,\"x\",{\"a\":1},null,[2]]");
        yield return new BadInput("array-of-scalars", b,
            new Fails(1, 2, 1, "$[0]", "Expected JSON object at index 0, got number", Record: 1),
            new Rejects(1, new Reject(1, 1, "1", "number"), new Reject(1, 2, "\"x\"", "string"), new Reject(1, 4, "null", "null"), new Reject(1, 5, "[2]", "array")))
        { Records = 5 };

        // ---- Garbage lines inside JSON Lines --------------------------------------------------------------------
        b = Utf8("{\"a\":1}\nhello world\n}{\n{\"a\":2} trailing\n[1,2]\n\"str\"\n{\"a\":3}\n");
        yield return new BadInput("garbage-lines-in-json-lines", b,
            new Fails(2, 1, 8, "$", "line 2", Record: 2),
            new Rejects(2,
                new Reject(2, 2, "hello world", "must start with '{'"),
                new Reject(3, 3, "}{", "must start with '{'"),
                new Reject(4, 4, "{\"a\":2} trailing", "line 4"),
                new Reject(5, 5, "[1,2]", "Expected JSON object on line 5, got array"),
                new Reject(6, 6, "\"str\"", "got string")))
        { Records = 7 };

        // ---- Empty and whitespace-only input ---------------------------------------------------------------------
        yield return new BadInput("empty-file", [], new Flattens(0), new Rejects(0)) { Records = 0 };
        yield return new BadInput("whitespace-only", Utf8(" \n\t\r\n  \n"), new Flattens(0), new Rejects(0)) { Records = 0 };
        yield return new BadInput("bom-only", Bom, new Flattens(0), new Rejects(0)) { Records = 0 };
        yield return new BadInput("empty-top-level-array", Utf8(" [ ] "), new Flattens(0), new Rejects(0)) { Records = 0 };

        // ---- Mixed line endings ---------------------------------------------------------------------------------
        b = Utf8("{\"a\":1}\r\n{\"a\":2}\n\r\n{\"a\":3}\r\n{\"a\":4}");
        yield return new BadInput("mixed-line-endings", b,
            new Flattens(4, r => Assert.Equal([1L, 2L, 3L, 4L], r.Main.Rows.Select(x => x["a"]))), new Rejects(4)) { Records = 4 };

        b = Utf8("{\"a\":1}\r\n{\"a\":2}\n{\"a\" 3}\r\n{\"a\":4}\r\n");
        yield return new BadInput("mixed-line-endings-error-position", b,
            new Fails(3, 6, At(b, " 3}") + 1, "$", "line 3", Record: 3),
            new Rejects(3, new Reject(3, 3, "{\"a\" 3}", "line 3"))) { Records = 4 };

        // A lone CR ends a line of JSON Lines as LF and CRLF do (old Mac line ends; DESIGN §2 Inputs).
        b = Utf8("{\"a\":1}\n{\"a\":2}\r{\"a\":3}\n{\"a\":4}\n");
        yield return new BadInput("lone-cr-is-a-line-break", b, new Flattens(4), new Rejects(4)) { Records = 4 };

        // ---- A gzip stream whose expansion is enormous: MaxInputBytes --------------------------------------------
        yield return new BadInput("gzip-bomb", GzipBomb(),
            new Fails(1, 1_000_001, 1_000_000, "$", "MaxInputBytes (1000000 bytes"),
            new StillFails("MaxInputBytes", "a limit stops the run whatever the recovery mode"))
        { Options = new TransmogOptions { MaxInputBytes = 1_000_000 } };

        yield return new BadInput("max-input-bytes-plain-json-lines", Utf8(string.Concat(Enumerable.Repeat("{\"a\":1}\n", 1000))),
            new Fails(626, 1, 5000, "$", "MaxInputBytes"),
            new StillFails("MaxInputBytes", "a limit stops the run whatever the recovery mode"))
        { Options = new TransmogOptions { MaxInputBytes = 5000 } };

        // ---- Other syntax -------------------------------------------------------------------------------------
        b = Utf8("{\"a\":\"x\u0001y\"}\n{\"a\":2}\n");
        yield return new BadInput("raw-control-character-in-string", b,
            new Fails(1, 8, 7, "$", "0x01", Record: 1),
            new Rejects(1, new Reject(1, 1, "{\"a\":", "0x01"))) { Records = 2 };

        b = Utf8("{\"a\":1,}\n{\"a\":2}\n");
        yield return new BadInput("trailing-comma", b,
            new Fails(1, null, null, "$", "line 1", Record: 1),
            new Rejects(1, new Reject(1, 1, "{\"a\":1,}", ""))) { Records = 2 };

        b = Utf8("{\"a\":1 /* c */}\n{\"a\":2}\n");
        yield return new BadInput("comment-without-allow-comments", b,
            new Fails(1, null, null, "$", "line 1", Record: 1),
            new Rejects(1, new Reject(1, 1, "/* c */", ""))) { Records = 2 };

        b = Utf8("{\"a_b\":1,\"a\":{\"b\":2}}\n{\"a_b\":3}\n");
        yield return new BadInput("separator-conflict", b,
            new Fails(1, null, At(b, "2}"), "$.a.b", "'$.a_b' and '$.a.b'", Record: 1),
            new Rejects(1, new Reject(1, 1, "{\"a_b\":1", "a_b"))) { Records = 2 };

        b = Utf8("{\"id\":1}\n{\"x\":2}\n{\"id\":\"\"}\n{\"id\":3}\n");
        yield return new BadInput("natural-id-missing-or-empty", b,
            new Fails(2, 1, 9, "$", "requires field 'id'", Record: 2),
            new Rejects(2, new Reject(2, 2, "{\"x\":2}", "'id'"), new Reject(3, 3, "{\"id\":\"\"}", "'id'")))
        { Options = new TransmogOptions { IdGeneration = IdGeneration.Natural, IdField = "id" }, Records = 4 };

        // ---- Keys that become table names, file names and identifiers -------------------------------------------
        b = Utf8("{\"../../x\":[{\"v\":1}],\"CON\":[{\"v\":2}],\"a/b\":[{\"v\":3}],\"x\\\"; DROP TABLE y; --\":[{\"v\":4}],\"..\":[{\"v\":5}],\"\\u0000\":[{\"v\":6}],\"_id\":7,\"q\\\"uote,comma\\nnl\":8}");
        yield return new BadInput("hostile-keys", b,
            new Flattens(1, r =>
            {
                // '..' and '\u0000' both sanitize to 'unnamed_field' and share one table (as in Python transmog):
                // both rows are kept, but which key a row came from is not recorded.
                Assert.Equal(["data", "data_x", "data_CON", "data_a_b", "data_x__DROP_TABLE_y", "data_unnamed_field"], r.AllTables.Select(t => t.Name));
                Assert.Equal([5L, 6L], r["data_unnamed_field"].Rows.Select(x => x["v"]));
                var row = r.Main.Rows.Single();
                Assert.Equal(7L, row["_id_source"]);
                Assert.Equal(8L, row["q\"uote,comma\nnl"]);
            }),
            new Rejects(1)) { Records = 1 };

        // ---- Input forms: value streams, encodings, compression, several files (InputFormsCorpus.cs) ------------
        foreach (BadInput c in InputFormsCorpus.Build())
        {
            yield return c;
        }

        // ---- Files kept in this folder -----------------------------------------------------------------------------
        foreach (string file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "BadInputs"), "*.jsonl").Order(StringComparer.Ordinal))
        {
            yield return FileCase(file);
        }
    }

    /// <summary>64 MB of one JSON string, gzip-compressed to about 64 KB.</summary>
    private static byte[] GzipBomb()
    {
        var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Utf8("{\"a\":\""));
            byte[] chunk = new byte[1 << 20];
            chunk.AsSpan().Fill((byte)'x');
            for (int i = 0; i < 64; i++)
            {
                gzip.Write(chunk);
            }

            gzip.Write(Utf8("\"}\n"));
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A corpus file: its first line is a JSON header <c>{"strict":{...},"skip":{...}}</c> describing the outcome,
    /// the rest is the input.
    /// </summary>
    private static BadInput FileCase(string path)
    {
        byte[] all = File.ReadAllBytes(path);
        int newline = Array.IndexOf(all, (byte)'\n');
        using var header = System.Text.Json.JsonDocument.Parse(all.AsMemory(0, newline));
        byte[] input = all[(newline + 1)..];
        System.Text.Json.JsonElement strict = header.RootElement.GetProperty("strict");
        System.Text.Json.JsonElement skip = header.RootElement.GetProperty("skip");
        StrictOutcome s = strict.TryGetProperty("rows", out var rows)
            ? new Flattens(rows.GetInt32())
            : new Fails(strict.GetProperty("line").GetInt64(), strict.GetProperty("column").GetInt64(), strict.GetProperty("offset").GetInt64(),
                strict.GetProperty("path").GetString()!, strict.GetProperty("contains").GetString()!, strict.GetProperty("record").GetInt64());
        SkipOutcome k = new Rejects(skip.GetProperty("rows").GetInt32(), [.. skip.GetProperty("rejects").EnumerateArray().Select(r =>
            new Reject(r.GetProperty("line").GetInt64(), r.GetProperty("record").GetInt64(), r.GetProperty("raw").GetString()!, r.GetProperty("error").GetString()!))]);
        return new BadInput("file:" + Path.GetFileName(path), input, s, k) { Records = header.RootElement.GetProperty("records").GetInt32() };
    }
}
