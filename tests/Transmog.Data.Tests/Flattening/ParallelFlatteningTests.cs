using System.Globalization;
using System.Text;

namespace Transmog.Data.Tests.Flattening;

/// <summary>
/// Flattening on several threads gives exactly what one thread gives: the same tables and columns in the same
/// order with the same types, the same rows in the same order, the same rejects and the same errors. Chunks are
/// made tiny here so that many are in flight and new columns keep turning up in chunks other than the oldest.
/// </summary>
public class ParallelFlatteningTests
{
    private static readonly TransmogOptions Sequential = new() { MaxDegreeOfParallelism = 1, IdGeneration = IdGeneration.Hash };

    private static TransmogOptions Parallel(TransmogOptions options, int chunkBytes = 300) =>
        options with { MaxDegreeOfParallelism = 4, ChunkBytes = chunkBytes };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Many_threads_give_the_tables_one_thread_gives(int seed)
    {
        string jsonl = Generate(seed, records: 800, badEvery: 0);
        string expected = Dump(JsonFlattener.Flatten(JsonInput.FromString(jsonl), "data", Sequential));
        for (int chunk = 1; chunk <= 4096; chunk *= 8)
        {
            string actual = Dump(JsonFlattener.Flatten(JsonInput.FromString(jsonl), "data", Parallel(Sequential, chunk)));
            Assert.Equal(expected, actual);
        }
    }

    public static TheoryData<string> OptionSets() => ["natural ids", "stringify + nulls", "separate arrays", "inline arrays", "max depth 2", "metadata + last wins", "explicit schema", "random ids"];

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Every_option_set_flattens_alike(string optionSet)
    {
        string jsonl = Generate(31, records: 500, badEvery: 0);
        TransmogOptions options = optionSet switch
        {
            "natural ids" => Sequential with { IdGeneration = IdGeneration.Natural, IdField = "id" },
            "stringify + nulls" => Sequential with { StringifyValues = true, IncludeNulls = true },
            "separate arrays" => Sequential with { ArrayMode = ArrayMode.Separate },
            "inline arrays" => Sequential with { ArrayMode = ArrayMode.Inline },
            "max depth 2" => Sequential with { MaxDepth = 2 },
            "metadata + last wins" => Sequential with { IncludeArrayIndex = true, IncludeRootId = true, LastWriteWins = true },
            "explicit schema" => Sequential with { Schema = JsonFlattener.ReadSchema(JsonInput.FromString(jsonl), "data", Sequential) },
            _ => Sequential with { IdGeneration = IdGeneration.Random },
        };

        string expected = Dump(JsonFlattener.Flatten(JsonInput.FromString(jsonl), "data", options));
        string actual = Dump(JsonFlattener.Flatten(JsonInput.FromString(jsonl), "data", Parallel(options, 512)));
        if (optionSet == "random ids")
        {
            // Random ids differ between runs (each run has its own seed); everything else is the same.
            Assert.Equal(WithoutGuids(expected), WithoutGuids(actual));
        }
        else
        {
            Assert.Equal(expected, actual);
        }
    }

    private static string WithoutGuids(string dump) =>
        System.Text.RegularExpressions.Regex.Replace(dump, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>");

    [Fact]
    public void Column_order_stays_the_order_of_first_sight_under_contention()
    {
        // Every record brings new columns and new child tables: the chunks race to add them.
        var sb = new StringBuilder();
        for (int i = 0; i < 400; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{{\"k{i % 97}\":{i},\"n{i}\":\"v\",\"o{i % 13}\":{{\"x{i % 7}\":1}},\"a{i % 11}\":[{{\"y{i % 5}\":{i}}}]}}\n");
        }

        string expected = Dump(JsonFlattener.Flatten(JsonInput.FromString(sb.ToString()), "data", Sequential));
        for (int run = 0; run < 10; run++)
        {
            Assert.Equal(expected, Dump(JsonFlattener.Flatten(JsonInput.FromString(sb.ToString()), "data", Parallel(Sequential, 64))));
        }
    }

    [Fact]
    public void Rejects_arrive_in_input_order_with_their_positions()
    {
        string jsonl = Generate(7, records: 600, badEvery: 37);
        TransmogOptions tolerant = Sequential with { RecoveryMode = RecoveryMode.Skip };
        using FlattenResult one = JsonFlattener.Flatten(JsonInput.FromString(jsonl), "data", tolerant);
        using FlattenResult many = JsonFlattener.Flatten(JsonInput.FromString(jsonl), "data", Parallel(tolerant));
        Assert.True(one.Rejects.Count > 8, $"only {one.Rejects.Count} rejects");
        Assert.Equal(one.Rejects.Select(r => r.ToString() + r.RawText), many.Rejects.Select(r => r.ToString() + r.RawText));
        Assert.Equal(Dump(one, dispose: false), Dump(many, dispose: false));
    }

    [Fact]
    public void Streamed_rejects_and_rows_match_one_thread()
    {
        // A stream is read once: the schema comes from the window, and the data pass is the parallel one.
        string jsonl = Generate(11, records: 900, badEvery: 53);
        TransmogOptions tolerant = Sequential with { RecoveryMode = RecoveryMode.Skip, SchemaInference = SchemaInference.Window, InferenceWindow = 100, SchemaDrift = RecoveryMode.Skip };
        (string rows, string rejects) Read(TransmogOptions options)
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(jsonl));
            using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromStream(stream), "data", options);
            return (Dump(result, dispose: false), string.Join("\n", result.Rejects.Select(r => r.ToString())));
        }

        var one = Read(tolerant);
        var many = Read(Parallel(tolerant));
        Assert.Equal(one.rows, many.rows);
        Assert.Equal(one.rejects, many.rejects);
        Assert.Contains("not in the schema", one.rejects);
    }

    [Fact]
    public void A_bad_record_stops_the_run_where_one_thread_stops_it()
    {
        string jsonl = Generate(5, records: 700, badEvery: 0);
        string[] lines = jsonl.Split('\n');
        lines[437] = lines[437][..(lines[437].Length / 2)];
        string broken = string.Join("\n", lines);

        var one = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromString(broken), "data", Sequential));
        var many = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromString(broken), "data", Parallel(Sequential)));
        Assert.Equal(one.Message, many.Message);
        Assert.Equal(one.Position, many.Position);
        Assert.Equal(438, many.Position.Line);

        // Read as a stream: the rows before the bad record are read, then the error comes, as with one thread.
        int RowsBeforeError(TransmogOptions options)
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(broken));
            using TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromStream(stream), "data", "data", options with { SchemaInference = SchemaInference.Window, InferenceWindow = 50, SchemaDrift = RecoveryMode.Skip });
            int rows = 0;
            var ex = Assert.Throws<TransmogInputException>(() =>
            {
                while (reader.Read())
                {
                    rows++;
                }
            });
            Assert.Equal(one.Message, ex.Message);

            // A failed reader stays failed: it does not look like the end of the data.
            Assert.Throws<TransmogInputException>(() => reader.Read());
            return rows;
        }

        Assert.Equal(RowsBeforeError(Sequential), RowsBeforeError(Parallel(Sequential)));
    }

    [Fact]
    public void A_line_that_is_not_an_object_stops_the_run_after_the_rows_before_it()
    {
        string jsonl = Generate(9, records: 300, badEvery: 0);
        string[] lines = jsonl.Split('\n');
        lines[250] = "[1,2,3]";
        string broken = string.Join("\n", lines);
        var one = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromString(broken), "data", Sequential));
        var many = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromString(broken), "data", Parallel(Sequential)));
        Assert.Equal(one.Message, many.Message);
        Assert.Equal(one.Position, many.Position);
    }

    [Fact]
    public void The_sample_data_flattens_alike_on_any_number_of_threads() => FlattenAlikeOnAnyNumberOfThreads([Repository.SamplePath]);

    /// <summary>Reports itself skipped where the corpus is missing (CI has it).</summary>
    [SkippableFact]
    public void The_corpus_flattens_alike_on_any_number_of_threads() =>
        FlattenAlikeOnAnyNumberOfThreads(Directory.GetFiles(Repository.RequireCorpus(), "*.json").Order());

    private static void FlattenAlikeOnAnyNumberOfThreads(IEnumerable<string> files)
    {
        foreach (string file in files)
        {
            string expected = Dump(JsonFlattener.Flatten(JsonInput.FromFile(file), "data", Sequential));
            Assert.Equal(expected, Dump(JsonFlattener.Flatten(JsonInput.FromFile(file), "data", Parallel(Sequential, 4096))));
        }
    }

    [Fact]
    public void Cancellation_stops_the_workers()
    {
        string jsonl = Generate(3, records: 3000, badEvery: 0);
        using var cts = new CancellationTokenSource();
        byte[] bytes = Encoding.UTF8.GetBytes(jsonl);
        using var stream = new CancelAfterStream(bytes, bytes.Length / 2, cts);
        TransmogOptions options = Parallel(Sequential, 1024) with { SchemaInference = SchemaInference.Window, SchemaDrift = RecoveryMode.Skip };
        Assert.ThrowsAny<OperationCanceledException>(() => JsonFlattener.Flatten(JsonInput.FromStream(stream), "data", options, cts.Token));
    }

    [Fact]
    public async Task A_reader_closed_early_stops_the_pass()
    {
        string jsonl = Generate(4, records: 3000, badEvery: 0);
        Task closing = Task.Run(() =>
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(jsonl));
            using TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromStream(stream), "data", "data",
                Parallel(Sequential, 512) with { SchemaInference = SchemaInference.Window, InferenceWindow = 10, SchemaDrift = RecoveryMode.Skip });
            for (int i = 0; i < 5; i++)
            {
                Assert.True(reader.Read());
            }
        });
        await closing.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Gzip_json_lines_and_a_top_level_array_flatten_alike()
    {
        string jsonl = Generate(21, records: 700, badEvery: 0);
        string array = "[" + string.Join(",\n", jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.Trim().Length > 0)) + "]";
        foreach (string text in new[] { jsonl, array })
        {
            string path = Path.Combine(Io.TempDirectory(), "input.json.gz");
            using (var gz = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
            {
                gz.Write(Encoding.UTF8.GetBytes(text));
            }

            string expected = Dump(JsonFlattener.Flatten(JsonInput.FromFile(path), "data", Sequential));
            Assert.Equal(expected, Dump(JsonFlattener.Flatten(JsonInput.FromFile(path), "data", Parallel(Sequential, 256))));
        }
    }

    [Fact]
    public void A_huge_record_among_small_ones_flattens_alike()
    {
        var sb = new StringBuilder();
        for (int i = 0; i < 300; i++)
        {
            string text = i == 150 ? new string('x', 5 << 20) : "s" + i;
            sb.Append(CultureInfo.InvariantCulture, $"{{\"id\":{i},\"text\":\"{text}\",\"items\":[{{\"k\":{i}}}]}}\n");
        }

        string expected = Dump(JsonFlattener.Flatten(JsonInput.FromString(sb.ToString()), "data", Sequential));
        Assert.Equal(expected, Dump(JsonFlattener.Flatten(JsonInput.FromString(sb.ToString()), "data", Parallel(Sequential, 1024))));
    }

    [Fact]
    public void Parallelism_is_validated()
    {
        Assert.Throws<ArgumentException>(() => new TransmogOptions { MaxDegreeOfParallelism = 0 });
        Assert.Null(TransmogOptions.Default.MaxDegreeOfParallelism);
    }

    /// <summary>JSON Lines whose records bring new columns, child tables and wider types as they go; some bad.</summary>
    private static string Generate(int seed, int records, int badEvery)
    {
        var random = new Random(seed);
        var sb = new StringBuilder();
        for (int i = 0; i < records; i++)
        {
            if (badEvery > 0 && i % badEvery == badEvery - 1)
            {
                sb.Append((i / badEvery % 4) switch
                {
                    0 => "{\"id\": 1, \"broken\": ",
                    1 => "[\"not\", \"an\", \"object\"]",
                    2 => "{\"a_b\": 1, \"a\": {\"b\": 2}}",
                    _ => "{\"late_field_" + i + "\": 1}",
                }).Append('\n');
                continue;
            }

            if (i % 97 == 50)
            {
                sb.Append("   \n");
            }

            sb.Append("{\"id\":").Append(i);
            int fields = random.Next(1, 8);
            var keys = new HashSet<int>();
            for (int f = 0; f < fields; f++)
            {
                int key = random.Next(0, 5 + (i / 10));
                if (!keys.Add(key))
                {
                    continue;
                }

                sb.Append(",\"f").Append(key).Append("\":");
                AppendValue(sb, random, depth: 0, key);
            }

            sb.Append("}\n");
        }

        return sb.ToString();
    }

    private static void AppendValue(StringBuilder sb, Random random, int depth, int key)
    {
        switch (random.Next(depth > 1 ? 6 : 9))
        {
            case 0:
                sb.Append(random.Next(-1000, 1000));
                break;
            case 1:
                sb.Append((random.NextDouble() * 100).ToString("R", CultureInfo.InvariantCulture));
                break;
            case 2:
                sb.Append("\"s").Append(random.Next(100)).Append(key % 3 == 0 ? "é\\u00fc\\ud83d\\ude00" : "").Append('"');
                break;
            case 3:
                sb.Append(random.Next(2) == 0 ? "true" : "false");
                break;
            case 4:
                sb.Append("null");
                break;
            case 5:
                sb.Append("[1,\"two\",3.5]");
                break;
            case 6:
                sb.Append("{\"x\":");
                AppendValue(sb, random, depth + 1, key);
                sb.Append(",\"y").Append(key % 4).Append("\":");
                AppendValue(sb, random, depth + 1, key + 1);
                sb.Append('}');
                break;
            default:
                sb.Append('[');
                int items = random.Next(0, 4);
                for (int j = 0; j < items; j++)
                {
                    sb.Append(j > 0 ? "," : "").Append("{\"k").Append(key % 5).Append("\":");
                    AppendValue(sb, random, depth + 1, key + j);
                    sb.Append('}');
                }

                sb.Append(']');
                break;
        }
    }

    /// <summary>Everything a run produced, as text: tables, columns with types and lengths, rows, in order.</summary>
    private static string Dump(FlattenResult result, bool dispose = true)
    {
        var sb = new StringBuilder();
        try
        {
            foreach (FlattenedTable table in result.AllTables)
            {
                sb.Append("# ").Append(table.Name).Append(" <- ").Append(table.Schema.ParentName).Append(" rows=").Append(table.RowCount).Append('\n');
                foreach (TransmogColumn c in table.Schema.Columns)
                {
                    sb.Append(c.Name).Append(':').Append(c.Type).Append(':').Append(c.Role).Append(':').Append(c.MaxLength).Append(' ');
                }

                sb.Append('\n');
                using TransmogDataReader reader = table.CreateReader();
                while (reader.Read())
                {
                    for (int i = 0; i < reader.FieldCount; i++)
                    {
                        if (reader.GetName(i) != "_timestamp")
                        {
                            sb.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
                        }
                    }

                    sb.Append('\n');
                }
            }
        }
        finally
        {
            if (dispose)
            {
                result.Dispose();
            }
        }

        return sb.ToString();
    }

    /// <summary>An input that cancels a token once half of it has been read.</summary>
    private sealed class CancelAfterStream(byte[] data, int cancelAt, CancellationTokenSource cts) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (Position >= cancelAt)
            {
                cts.Cancel();
            }

            return base.Read(buffer, offset, Math.Min(count, 4096));
        }

        public override int Read(Span<byte> buffer)
        {
            if (Position >= cancelAt)
            {
                cts.Cancel();
            }

            return base.Read(buffer[..Math.Min(buffer.Length, 4096)]);
        }
    }

    /// <summary>
    /// A record rejected part-way (a duplicate key or a path collision after good values) leaves the schema as if it
    /// had never been read: no type it would have widened, no column only it had.
    /// </summary>
    [Theory]
    [InlineData("{\"id\":2,\"v\":\"text\",\"z\":1,\"z\":2}")]
    [InlineData("{\"id\":2,\"v\":\"text\",\"z\":1,\"a\":{\"b\":1},\"a_b\":2}")]
    public void A_rejected_record_changes_no_column(string bad)
    {
        var lines = new List<string>();
        for (int i = 0; i < 400; i++)
        {
            lines.Add(i == 200 ? bad : $"{{\"id\":{i},\"v\":{i}}}");
        }

        string jsonl = string.Join("\n", lines) + "\n";
        foreach (TransmogOptions options in (TransmogOptions[])[Sequential with { RecoveryMode = RecoveryMode.Skip }, Parallel(Sequential with { RecoveryMode = RecoveryMode.Skip })])
        {
            using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(jsonl), "data", options);
            Assert.Single(result.Rejects);
            TransmogTable main = result.Schema.Tables[0];
            Assert.Equal(["id", "v", "_id", "_timestamp"], main.Columns.Select(c => c.Name));
            Assert.Equal(TransmogColumnType.Int64, main.Columns[1].Type);
            Assert.Equal(399, main.RowCount);
        }
    }
}
