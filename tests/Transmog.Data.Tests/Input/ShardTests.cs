using System.Text;

namespace Transmog.Data.Tests.Input;

/// <summary><see cref="JsonInput.Shard"/>: which task reads what, positions, errors and rejects under shards.</summary>
public class ShardTests
{
    private static string Lines(int from, int count) =>
        string.Concat(Enumerable.Range(from, count).Select(i => $"{{\"id\":{i},\"pad\":\"{new string('x', i % 17)}\"}}\n"));

    private static List<long> Ids(JsonInput input, TransmogOptions? options = null)
    {
        using FlattenResult result = JsonFlattener.Flatten(input, "data", options);
        return [.. result.Main.Rows.Select(r => Convert.ToInt64(r["id"], System.Globalization.CultureInfo.InvariantCulture))];
    }

    [Fact]
    public void Every_line_is_read_by_exactly_one_task_for_every_N()
    {
        using TempDir dir = Io.TempDir("shard");
        string a = dir.Sub("a.jsonl");
        string b = dir.Sub("b.ndjson");
        File.WriteAllText(a, Lines(0, 97));
        File.WriteAllText(b, Lines(97, 50).Replace("\n", "\r\n", StringComparison.Ordinal));
        for (int n = 1; n <= 40; n++)
        {
            var all = new List<long>();
            for (int k = 0; k < n; k++)
            {
                all.AddRange(Ids(JsonInput.FromFiles(a, b).Shard(k, n)));
            }

            Assert.Equal(Enumerable.Range(0, 147).Select(i => (long)i), all);
        }
    }

    [Fact]
    public void A_file_that_cannot_be_split_goes_whole_to_the_task_holding_its_first_byte()
    {
        using TempDir dir = Io.TempDir("shard");
        string lines = dir.Sub("a.jsonl");
        string gz = dir.Sub("b.jsonl.gz");
        string array = dir.Sub("c.json");
        File.WriteAllText(lines, Lines(0, 10));
        File.WriteAllBytes(gz, Io.Gzip(Io.Utf8(Lines(10, 10))));
        File.WriteAllText(array, "[" + string.Join(",", Enumerable.Range(20, 10).Select(i => $"{{\"id\":{i}}}")) + "]");

        long total = new FileInfo(lines).Length + new FileInfo(gz).Length + new FileInfo(array).Length;
        const int tasks = 4;
        var owners = new Dictionary<long, int>();
        for (int k = 0; k < tasks; k++)
        {
            foreach (long id in Ids(JsonInput.FromFiles(lines, gz, array).Shard(k, tasks)))
            {
                owners.Add(id, k);
            }
        }

        Assert.Equal(30, owners.Count);
        int OwnerOf(long offset) => (int)Enumerable.Range(0, tasks).Last(k => (long)((UInt128)(ulong)total * (ulong)k / tasks) <= offset);
        long gzStart = new FileInfo(lines).Length;
        long arrayStart = gzStart + new FileInfo(gz).Length;
        Assert.All(Enumerable.Range(10, 10), id => Assert.Equal(OwnerOf(gzStart), owners[id]));
        Assert.All(Enumerable.Range(20, 10), id => Assert.Equal(OwnerOf(arrayStart), owners[id]));
    }

    [Fact]
    public void Position_ids_are_the_same_for_every_split_and_unique_for_duplicate_records()
    {
        using TempDir dir = Io.TempDir("shard");
        string a = dir.Sub("a.jsonl");
        File.WriteAllText(a, string.Concat(Enumerable.Repeat("{\"same\":1,\"items\":[{\"x\":1},{\"x\":2}]}\n", 30)));
        var options = new TransmogOptions { IdGeneration = IdGeneration.Position };

        HashSet<string> IdsOf(int n)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            for (int k = 0; k < n; k++)
            {
                using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFile(a).Shard(k, n), "data", options);
                foreach (FlattenedTable table in result.AllTables)
                {
                    foreach (var row in table.Rows)
                    {
                        Assert.True(ids.Add(table.Name + ":" + row["_id"]), "duplicate id " + row["_id"]);
                    }
                }
            }

            return ids;
        }

        HashSet<string> one = IdsOf(1);
        Assert.Equal(90, one.Count);
        Assert.True(one.SetEquals(IdsOf(7)));
        Assert.True(one.SetEquals(IdsOf(16)));

        // The same file read without shards gives the same ids (its name as given).
        using FlattenResult whole = JsonFlattener.Flatten(JsonInput.FromFile(a), "data", options);
        Assert.True(one.SetEquals(whole.AllTables.SelectMany(t => t.Rows.Select(r => t.Name + ":" + r["_id"]))));
    }

    [Fact]
    public void A_bad_line_is_reported_by_the_task_that_owns_it_with_the_files_line_and_byte_offset()
    {
        using TempDir dir = Io.TempDir("shard");
        string a = dir.Sub("a.jsonl");
        string text = Lines(0, 40) + "{\"id\":40,\"bad\":tru}\n" + Lines(41, 40);
        File.WriteAllText(a, text);
        long badOffset = Encoding.UTF8.GetByteCount(Lines(0, 40));
        const int tasks = 5;
        var failures = new List<(int Task, TransmogInputException Error)>();
        var rejects = new List<(int Task, RejectedRecord Reject)>();
        for (int k = 0; k < tasks; k++)
        {
            try
            {
                Ids(JsonInput.FromFile(a).Shard(k, tasks));
            }
            catch (TransmogInputException ex)
            {
                failures.Add((k, ex));
            }

            using FlattenResult tolerant = JsonFlattener.Flatten(JsonInput.FromFile(a).Shard(k, tasks), "data", new TransmogOptions { RecoveryMode = RecoveryMode.Skip });
            rejects.AddRange(tolerant.Rejects.Select(r => (k, r)));
        }

        (int task, TransmogInputException error) = Assert.Single(failures);
        Assert.Equal(41, error.Line);
        Assert.Equal("a.jsonl", Path.GetFileName(error.File));
        Assert.InRange(error.ByteOffset, badOffset, badOffset + 20);
        Assert.Contains("line 41", error.Message, StringComparison.Ordinal);

        (int rejectTask, RejectedRecord reject) = Assert.Single(rejects);
        Assert.Equal(task, rejectTask);
        Assert.Equal(41, reject.Line);
        Assert.Equal(error.ByteOffset, reject.ByteOffset);
    }

    [Fact]
    public void Shard_checks_its_arguments_and_refuses_streams()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonInput.FromFile("x.jsonl").Shard(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonInput.FromFile("x.jsonl").Shard(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonInput.FromFile("x.jsonl").Shard(-1, 2));
        var ex = Assert.Throws<ArgumentException>(() => JsonInput.FromStream(new MemoryStream()).Shard(0, 2));
        Assert.Contains("Only files", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_task_with_no_share_gives_no_rows()
    {
        using TempDir dir = Io.TempDir("shard");
        string a = dir.Sub("a.jsonl");
        File.WriteAllText(a, Lines(0, 2));
        Assert.Equal(2, Enumerable.Range(0, 64).Sum(k => Ids(JsonInput.FromFile(a).Shard(k, 64)).Count));
    }
}
