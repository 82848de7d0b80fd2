using System.Text;
using Transmog.Data.Rows;

namespace Transmog.Data.Tests.Rows;

/// <summary>A spill file gives back every row in order, frees what it has read (Linux), and is read once.</summary>
public sealed class RowStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "transmog-rowstore-" + Guid.NewGuid().ToString("N"));

    public RowStoreTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Rows_come_back_in_order_and_the_read_front_of_the_file_is_freed()
    {
        const int rows = 40_000;
        using RowStore store = RowStore.SpillFile(_directory);
        using (var buffer = new RowBuffer())
        {
            for (int i = 0; i < rows; i++)
            {
                buffer.BeginRow();
                buffer.WriteCell(0, CellKind.String, Encoding.UTF8.GetBytes(Text(i)));
                buffer.EndRow();
                buffer.Commit();
                if (buffer.CommittedRows == 100)
                {
                    store.Append(buffer.Committed, buffer.CommittedRows);
                    buffer.ClearCommitted();
                }
            }

            store.Append(buffer.Committed, buffer.CommittedRows);
        }

        Assert.True(store.Bytes > 3 * SpillHoles.Step, $"{store.Bytes} bytes");
        string path = store.FilePath!;
        int next = 0;
        using (IRowSource source = store.OpenSource())
        using (var batch = new RowBatch(1 << 16))
        {
            var cells = new CellSlot[1];
            int stamp = 0;
            while (source.TryFill(batch))
            {
                int position = 0;
                for (int r = 0; r < batch.Rows; r++)
                {
                    RowDecoder.ReadRow(batch.Data.AsSpan(0, batch.Length), ref position, cells, ++stamp);
                    Assert.Equal(Text(next++), Encoding.UTF8.GetString(batch.Data, cells[0].Offset, cells[0].Length));
                }
            }
        }

        Assert.Equal(rows, next);

        // Nothing reads the front again; on Linux its pages went back to the system (a hole reads as zeros).
        if (OperatingSystem.IsLinux())
        {
            using var again = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            byte[] front = new byte[4096];
            again.ReadExactly(front);
            Assert.All(front, b => Assert.Equal(0, b));
        }

        var error = Assert.Throws<InvalidOperationException>(() => store.OpenSource());
        Assert.Contains("read once", error.Message);
    }

    private static string Text(int i) => $"row {i:D6} " + new string((char)('a' + (i % 26)), 1000);
}
