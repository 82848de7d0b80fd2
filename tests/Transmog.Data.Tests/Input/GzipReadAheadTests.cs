using System.IO.Compression;
using System.Text;

namespace Transmog.Data.Tests.Input;

public class GzipReadAheadTests
{
    private static string WriteGzip(int records)
    {
        string path = Path.Combine(Io.TempDirectory(), "big.jsonl.gz");
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        for (int i = 0; i < records; i++)
        {
            gz.Write(Encoding.UTF8.GetBytes("{\"i\":" + i + ",\"s\":\"" + new string('é', i % 40) + "\"}\n"));
        }

        return path;
    }

    [Fact]
    public void Large_gzip_is_decompressed_ahead_without_losing_a_byte()
    {
        string path = WriteGzip(60_000);
        using var result = JsonFlattener.Flatten(JsonInput.FromFile(path));
        Assert.Equal(60_000, result.Main.RowCount);
        Assert.Equal(59_999L, result.Main.Rows().Last()["i"]);
    }

    [Fact]
    public void Stopping_early_disposes_the_read_ahead()
    {
        string path = WriteGzip(60_000);
        using (var reader = JsonFlattener.OpenReader(JsonInput.FromStream(File.OpenRead(path)), "data", "data", new TransmogOptions { InferenceWindow = 10 }))
        {
            Assert.True(reader.Read());
        }

        // The file is no longer held open by a reading thread.
        File.Delete(path);
        Assert.False(File.Exists(path));
    }
}
