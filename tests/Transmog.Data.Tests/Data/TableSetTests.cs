using System.Text;

namespace Transmog.Data.Tests.Data;

public class TableSetTests
{
    private static string Input(int customers)
    {
        var text = new StringBuilder();
        for (int i = 0; i < customers; i++)
        {
            text.Append($$"""{"c":{{i}},"orders":[{"o":{{i}},"items":[{"sku":"a"},{"sku":"b"}]},{"o":{{i + 1}}}]}""").Append('\n');
        }

        return text.ToString();
    }

    private static Dictionary<string, List<string>> ReadAll(TransmogTableSet set, IEnumerable<string> order)
    {
        var result = new Dictionary<string, List<string>>();
        foreach (string table in order)
        {
            using TransmogDataReader reader = set.OpenReader(table);
            var rows = new List<string>();
            while (reader.Read())
            {
                rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetValue(i).ToString())));
            }

            result[table] = rows;
        }

        return result;
    }

    /// <summary>One thread, or 3 threads in chunks small enough that every read crosses many chunks.</summary>
    private static TransmogOptions Threads(TransmogOptions options, bool parallel) =>
        parallel ? options with { MaxDegreeOfParallelism = 3, ChunkBytes = 512 } : options with { MaxDegreeOfParallelism = 1 };

    [Theory]
    [InlineData(TableReadMode.Sequential, false)]
    [InlineData(TableReadMode.Rescan, false)]
    [InlineData(TableReadMode.Sequential, true)]
    [InlineData(TableReadMode.Rescan, true)]
    public void One_after_another_gives_every_row_with_consistent_ids(TableReadMode mode, bool parallel)
    {
        using var set = TransmogTableSet.Open(JsonInput.FromString(Input(500)), "c", Threads(new TransmogOptions { BatchSize = 50 }, parallel), mode);
        Assert.Equal(["c", "c_orders", "c_orders_items"], set.Tables.Select(t => t.Name));
        var rows = ReadAll(set, set.Tables.Select(t => t.Name));
        Assert.Equal([500, 1000, 1000], rows.Values.Select(r => r.Count));
        var orderIds = rows["c_orders"].Select(r => r.Split('|')[1]).ToHashSet();
        var customerIds = rows["c"].Select(r => r.Split('|')[1]).ToHashSet();
        Assert.All(rows["c_orders"], r => Assert.Contains(r.Split('|')[2], customerIds));
        Assert.All(rows["c_orders_items"], r => Assert.Contains(r.Split('|')[2], orderIds));
    }

    [Theory]
    [InlineData(TableReadMode.Sequential, false)]
    [InlineData(TableReadMode.Concurrent, false)]
    [InlineData(TableReadMode.Sequential, true)]
    [InlineData(TableReadMode.Concurrent, true)]
    public void Streams_read_once_feed_live_and_queued_tables(TableReadMode mode, bool parallel)
    {
        // A stream cannot be scanned first: rows flow from the pass after the inference window, live or queued.
        var input = JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(Input(3000))));
        using var set = TransmogTableSet.Open(input, "c", Threads(new TransmogOptions { BatchSize = 10, InferenceWindow = 20 }, parallel), mode);
        var rows = ReadAll(set, ["c", "c_orders_items", "c_orders"]);
        Assert.Equal([3000, 6000, 6000], rows.Values.Select(r => r.Count));
    }

    [Fact]
    public void Sequential_refuses_a_second_reader_while_the_first_is_open()
    {
        using var set = TransmogTableSet.Open(JsonInput.FromString(Input(10)), "c");
        using var first = set.OpenReader("c");
        var ex = Assert.Throws<InvalidOperationException>(() => set.OpenReader("c_orders"));
        Assert.Contains("Concurrent", ex.Message);
        Assert.Throws<InvalidOperationException>(() => set.OpenReader("c"));
    }

    [Fact]
    public void Rescan_is_refused_for_a_stream()
    {
        Assert.Throws<ArgumentException>(() =>
            TransmogTableSet.Open(JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(Input(2)))), "c", mode: TableReadMode.Rescan));
    }

    [Fact]
    public async Task Concurrent_readers_on_their_own_threads()
    {
        using var set = TransmogTableSet.Open(JsonInput.FromString(Input(3000)), "c", new TransmogOptions { BatchSize = 100 }, TableReadMode.Concurrent);
        TransmogDataReader[] readers = set.Tables.Select(t => set.OpenReader(t.Name)).ToArray();
        int[] counts = await Task.WhenAll(readers.Select(r => Task.Run(() =>
        {
            int n = 0;
            using (r)
            {
                while (r.Read())
                {
                    n++;
                }
            }

            return n;
        })));
        Assert.Equal([3000, 6000, 6000], counts);
    }

    [Fact]
    public void Concurrent_never_deadlocks_when_one_thread_reads_tables_in_turn()
    {
        // One thread reads the tables one after another: the queues of tables not yet started fill up and
        // must spill instead of blocking the pass forever.
        using var set = TransmogTableSet.Open(JsonInput.FromString(Input(3000)), "c", new TransmogOptions { BatchSize = 10 }, TableReadMode.Concurrent);
        var rows = ReadAll(set, ["c_orders_items", "c", "c_orders"]);
        Assert.Equal(6000, rows["c_orders_items"].Count);
        Assert.Equal(3000, rows["c"].Count);
        Assert.Equal(6000, rows["c_orders"].Count);
    }

    [Fact]
    public async Task Concurrent_reader_sees_the_pass_error()
    {
        using var set = TransmogTableSet.Open(JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(Input(50) + "{\"c\":\n"))), "c",
            new TransmogOptions { BatchSize = 10, InferenceWindow = 5 }, TableReadMode.Concurrent);
        using var reader = set.OpenReader("c");
        var ex = await Assert.ThrowsAsync<TransmogException>(() => Task.Run(() =>
        {
            while (reader.Read())
            {
            }
        }));
        Assert.IsType<TransmogInputException>(ex.InnerException);
    }

    [Fact]
    public void Only_the_tables_asked_for()
    {
        using var set = TransmogTableSet.Open(JsonInput.FromString(Input(5)), "c", tables: ["c_orders_items"]);
        Assert.Equal(["c_orders_items"], set.Tables.Select(t => t.Name));
        Assert.Throws<ArgumentException>(() => set.OpenReader("c"));
        Assert.Equal(10, ReadAll(set, ["c_orders_items"])["c_orders_items"].Count);
    }

    [Fact]
    public void Spill_files_are_deleted_on_dispose()
    {
        string spill = Io.TempDirectory();
        var set = TransmogTableSet.Open(JsonInput.FromString(Input(2000)), "c", new TransmogOptions { BatchSize = 10 }, spillDirectory: spill);
        using (var reader = set.OpenReader("c"))
        {
            while (reader.Read())
            {
            }
        }

        using (var reader = set.OpenReader("c_orders"))
        {
            reader.Read();
            Assert.NotEmpty(Directory.GetFiles(spill));
        }

        set.Dispose();
        Assert.Empty(Directory.GetFiles(spill));
    }
}
