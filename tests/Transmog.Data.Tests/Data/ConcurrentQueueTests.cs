using System.Text;

namespace Transmog.Data.Tests.Data;

/// <summary>
/// <see cref="TableReadMode.Concurrent"/> over a stream read once: rows cross threads in bounded queues. The rule
/// these tests pin down (no timing involved): the pass waits on a full queue only when that table's reader has
/// started and no reader is waiting for rows; otherwise the batch overflows to a spill file, which the reader reads
/// in order while the pass goes on.
/// </summary>
public class ConcurrentQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static byte[] Input(int customers)
    {
        var text = new StringBuilder();
        for (int i = 0; i < customers; i++)
        {
            text.Append($$"""{"c":{{i}},"name":"n{{i}}","orders":[{"o":{{i}},"items":[{"sku":"a{{i}}"},{"sku":"b{{i}}","q":{{i % 7}}}]},{"o":{{i + 1}}}]}""").Append('\n');
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static TransmogOptions Options(bool parallel)
    {
        var options = new TransmogOptions { BatchSize = 10, InferenceWindow = 20, IdGeneration = IdGeneration.Hash };
        return parallel ? options with { MaxDegreeOfParallelism = 3, ChunkBytes = 512 } : options with { MaxDegreeOfParallelism = 1 };
    }

    private static string Row(TransmogDataReader reader)
    {
        var cells = new List<string>();
        for (int i = 0; i < reader.FieldCount; i++)
        {
            if (reader.GetName(i) != "_timestamp")
            {
                cells.Add(reader.GetName(i) + "=" + (reader.IsDBNull(i) ? "" : reader.GetValue(i).ToString()));
            }
        }

        return string.Join("|", cells);
    }

    /// <summary>The same input read table after table in Sequential mode: the rows every other way must give.</summary>
    private static Dictionary<string, List<string>> Reference(byte[] input, TransmogOptions options)
    {
        using var set = TransmogTableSet.Open(JsonInput.FromStream(new MemoryStream(input)), "c", options, TableReadMode.Sequential);
        var result = new Dictionary<string, List<string>>();
        foreach (TransmogTable table in set.Tables)
        {
            using TransmogDataReader reader = set.OpenReader(table.Name);
            var rows = new List<string>();
            while (reader.Read())
            {
                rows.Add(Row(reader));
            }

            result[table.Name] = rows;
        }

        return result;
    }

    private static T Within<T>(Func<T> work)
    {
        Task<T> task = Task.Run(work);
        Assert.True(task.Wait(Patience), "The readers did not finish: the pass and the readers wait for each other.");
        return task.Result;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void One_thread_taking_a_few_rows_of_each_table_in_turn_gets_every_row_in_order(bool parallel)
    {
        byte[] input = Input(2000);
        var expected = Reference(input, Options(parallel));
        var got = Within(() =>
        {
            using var set = TransmogTableSet.Open(JsonInput.FromStream(new MemoryStream(input)), "c", Options(parallel), TableReadMode.Concurrent);
            var readers = set.Tables.Select(t => (t.Name, Reader: set.OpenReader(t.Name), Rows: new List<string>())).ToList();
            int[] steps = [1, 7, 25, 3, 60];
            int turn = 0;
            bool any = true;
            while (any)
            {
                any = false;
                foreach (var (_, reader, rows) in readers)
                {
                    // Unequal steps: some tables fall behind and overflow to disk, then catch up.
                    int step = steps[turn++ % steps.Length];
                    for (int i = 0; i < step && reader.Read(); i++)
                    {
                        rows.Add(Row(reader));
                        any = true;
                    }
                }
            }

            foreach (var (_, reader, _) in readers)
            {
                reader.Dispose();
            }

            return readers.ToDictionary(r => r.Name, r => r.Rows);
        });

        Assert.Equal(expected.Keys, got.Keys);
        foreach (string table in expected.Keys)
        {
            Assert.Equal(expected[table], got[table]);
        }
    }

    [Fact]
    public void A_started_reader_held_up_by_another_tables_reader_on_the_same_thread_does_not_hold_the_pass()
    {
        // The case a timing rule used to catch: the items reader has started (it read a row), then the same thread
        // reads the main table to the end. The pass, waiting on the full items queue, is released as soon as the main
        // table's reader waits for rows: the items batch goes to disk instead.
        string spill = Io.TempDirectory();
        var (main, items, orders, spilled) = Within(() =>
        {
            using var set = TransmogTableSet.Open(JsonInput.FromStream(new MemoryStream(Input(3000))), "c", Options(false), TableReadMode.Concurrent,
                spillDirectory: spill);
            using TransmogDataReader itemsReader = set.OpenReader("c_orders_items");
            using TransmogDataReader mainReader = set.OpenReader("c");
            Assert.True(itemsReader.Read());
            int main = 0;
            while (mainReader.Read())
            {
                main++;
            }

            bool spilled = Directory.GetFiles(spill).Length > 0;
            int items = 1;
            while (itemsReader.Read())
            {
                items++;
            }

            using TransmogDataReader ordersReader = set.OpenReader("c_orders");
            int orders = 0;
            while (ordersReader.Read())
            {
                orders++;
            }

            return (main, items, orders, spilled);
        });

        Assert.Equal(3000, main);
        Assert.Equal(6000, items);
        Assert.Equal(6000, orders);
        Assert.True(spilled, "the items table should have overflowed to its spill file");
        Assert.Empty(Directory.GetFiles(spill));
    }

    [Fact]
    public void A_started_reader_that_nobody_waits_behind_is_waited_for_and_never_spills()
    {
        // Only the main table is read. The input stops after a few records until its reader has started; from then on
        // the pass waits whenever the queue is full, however slowly the reader reads: no spill file, ever.
        string spill = Io.TempDirectory();
        byte[] input = Input(3000);
        int firstRecords = Encoding.UTF8.GetString(input).Split('\n').Take(35).Sum(l => l.Length + 1);
        using var gate = new ManualResetEventSlim();
        int rows = Within(() =>
        {
            using var set = TransmogTableSet.Open(JsonInput.FromStream(new GatedStream(input, firstRecords, gate, Patience)), "c", Options(false), TableReadMode.Concurrent,
                tables: ["c"], spillDirectory: spill);
            using TransmogDataReader reader = set.OpenReader("c");
            Assert.True(reader.Read());
            gate.Set();
            int n = 1;
            while (reader.Read())
            {
                if (++n % 100 == 0)
                {
                    // Slow consumer: the pass fills the queue and must wait, not spill.
                    Thread.Sleep(1);
                    Assert.Empty(Directory.GetFiles(spill));
                }
            }

            return n;
        });

        Assert.Equal(3000, rows);
        Assert.Empty(Directory.GetFiles(spill));
    }

    [Fact]
    public void A_reader_closed_early_never_holds_the_pass()
    {
        var (main, orders) = Within(() =>
        {
            using var set = TransmogTableSet.Open(JsonInput.FromStream(new MemoryStream(Input(3000))), "c", Options(false), TableReadMode.Concurrent);
            using (TransmogDataReader items = set.OpenReader("c_orders_items"))
            {
                for (int i = 0; i < 5; i++)
                {
                    Assert.True(items.Read());
                }
            }

            using TransmogDataReader mainReader = set.OpenReader("c");
            using TransmogDataReader ordersReader = set.OpenReader("c_orders");
            int main = 0;
            while (mainReader.Read())
            {
                main++;
            }

            int orders = 0;
            while (ordersReader.Read())
            {
                orders++;
            }

            return (main, orders);
        });

        Assert.Equal(3000, main);
        Assert.Equal(6000, orders);
    }

    [Fact]
    public async Task The_pass_error_reaches_every_reader()
    {
        byte[] input = [.. Input(200), .. "{\"c\":\n"u8];
        using var set = TransmogTableSet.Open(JsonInput.FromStream(new MemoryStream(input)), "c", Options(false), TableReadMode.Concurrent);
        TransmogDataReader[] readers = [.. set.Tables.Select(t => set.OpenReader(t.Name))];
        Task[] reading = [.. readers.Select(r => Task.Run(() =>
        {
            using (r)
            {
                while (r.Read())
                {
                }
            }
        }))];
        foreach (Task task in reading)
        {
            var ex = await Assert.ThrowsAsync<TransmogException>(() => task.WaitAsync(Patience));
            Assert.IsType<TransmogInputException>(ex.InnerException);
        }
    }
}
