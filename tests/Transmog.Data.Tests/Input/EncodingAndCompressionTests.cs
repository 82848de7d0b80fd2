using System.IO.Compression;
using System.Text;

namespace Transmog.Data.Tests.Input;

/// <summary>
/// Inputs in UTF-16 and UTF-32 with a byte order mark, and compressed with gzip, zstd or Brotli, give exactly the
/// tables their UTF-8 text gives; bad data in any layer is an input error naming the layer and where it stopped.
/// </summary>
public class EncodingAndCompressionTests
{
    private static readonly string Text = string.Join("\n", InputDump.SampleLines()) + "\n";

    private static string Expected => InputDump.Of(JsonInput.FromString(Text));

    public static TheoryData<string> Encodings() => ["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-32le", "utf-32be"];

    internal static byte[] Encode(string text, string encoding) => encoding switch
    {
        "utf-8" => Encoding.UTF8.GetBytes(text),
        "utf-8-bom" => [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text)],
        "utf-16le" => [.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes(text)],
        "utf-16be" => [.. Encoding.BigEndianUnicode.Preamble, .. Encoding.BigEndianUnicode.GetBytes(text)],
        "utf-32le" => [.. Encoding.UTF32.Preamble, .. Encoding.UTF32.GetBytes(text)],
        _ => [.. new UTF32Encoding(true, true).Preamble, .. new UTF32Encoding(true, true).GetBytes(text)],
    };

    internal static byte[] Gzip(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(data);
        }

        return buffer.ToArray();
    }

    internal static byte[] Zstd(byte[] data)
    {
        using var compressor = new ZstdSharp.Compressor(3);
        return compressor.Wrap(data).ToArray();
    }

    internal static byte[] Brotli(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var br = new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            br.Write(data);
        }

        return buffer.ToArray();
    }

    private static string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(Io.TempDirectory(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Every_encoding_with_a_bom_gives_the_utf8_tables(string encoding)
    {
        byte[] bytes = Encode(Text, encoding);
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromBytes(bytes)));
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromStream(new OneWayStream(bytes))));
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromFile(WriteFile("x.json", Gzip(bytes)))));
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void A_pretty_value_stream_in_every_encoding_on_several_threads(string encoding)
    {
        byte[] bytes = Encode(InputDump.Pretty(InputDump.SampleLines()), encoding);
        var options = InputDump.HashIds with { MaxDegreeOfParallelism = 3, ChunkBytes = 500 };
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromBytes(bytes), options));
    }

    [Fact]
    public void Utf16_errors_give_the_line_of_the_file()
    {
        byte[] bytes = Encode("{\"a\":\"é\"}\r\n{\"a\":2}\r\n{\"a\":}\r\n", "utf-16le");
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromBytes(bytes)));
        Assert.Equal(3, error.Line);
        Assert.Equal(6, error.Column);
        Assert.Equal(26, error.ByteOffset); // offsets count the UTF-8 text: "{"a":"é"}\r\n" is 12 bytes there, not 22
    }

    [Fact]
    public void Odd_length_utf16_is_an_error_naming_the_encoding()
    {
        byte[] bytes = [.. Encode("{\"a\":1}\n{\"a\":2}\n", "utf-16le"), 0x7B];
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromBytes(bytes)));
        Assert.StartsWith("Invalid UTF-16 LE input", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unpaired_surrogate_in_utf16_is_an_error()
    {
        byte[] bytes = [.. Encode("{\"a\":\"", "utf-16le"), 0x00, 0xD8, .. Encoding.Unicode.GetBytes("x\"}\n")];
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromBytes(bytes)));
        Assert.StartsWith("Invalid UTF-16 LE input", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("events.jsonl.zst")]
    [InlineData("events.data")]
    public void Zstd_is_recognised_by_its_magic_bytes(string name)
    {
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromFile(WriteFile(name, Zstd(Encoding.UTF8.GetBytes(Text))))));
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromStream(new OneWayStream(Zstd(Encoding.UTF8.GetBytes(Text))))));
    }

    [Fact]
    public void Zstd_frames_concatenated_are_one_input()
    {
        string[] lines = InputDump.SampleLines();
        byte[] two = [.. Zstd(Encoding.UTF8.GetBytes(string.Join("\n", lines[..7]) + "\n")), .. Zstd(Encoding.UTF8.GetBytes(string.Join("\n", lines[7..]) + "\n"))];
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromBytes(two)));
    }

    [Fact]
    public void Brotli_by_the_br_extension()
    {
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromFile(WriteFile("events.jsonl.br", Brotli(Encoding.UTF8.GetBytes(Text))))));
        Assert.Equal(Expected, InputDump.Of(JsonInput.FromFile(WriteFile("events.json.br", Brotli(Encode(InputDump.Pretty(InputDump.SampleLines()), "utf-16le"))))));
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("brotli")]
    public void Truncated_compressed_input_is_an_error_not_shorter_data(string kind)
    {
        byte[] whole = kind == "zstd" ? Zstd(Encoding.UTF8.GetBytes(Text)) : Brotli(Encoding.UTF8.GetBytes(Text));
        string path = WriteFile(kind == "zstd" ? "cut.zst" : "cut.json.br", whole[..(whole.Length * 2 / 3)]);
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromFile(path)));
        Assert.StartsWith(kind == "zstd" ? "Invalid zstd input" : "Invalid Brotli input", error.Reason, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Corrupt_zstd_frame_is_an_error()
    {
        byte[] bytes = Zstd(Encoding.UTF8.GetBytes(Text));
        for (int i = 12; i < bytes.Length - 8; i += 7)
        {
            bytes[i] ^= 0x5A;
        }

        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromBytes(bytes)));
        Assert.StartsWith("Invalid zstd input", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("brotli")]
    [InlineData("gzip+utf-16")]
    public void MaxInputBytes_guards_every_decompressor(string kind)
    {
        byte[] huge = Encoding.UTF8.GetBytes("{\"s\":\"" + new string('x', 20_000_000) + "\"}\n");
        string path = kind switch
        {
            "zstd" => WriteFile("bomb.zst", Zstd(huge)),
            "brotli" => WriteFile("bomb.json.br", Brotli(huge)),
            _ => WriteFile("bomb.gz", Gzip(Encode("{\"s\":\"" + new string('x', 10_000_000) + "\"}\n", "utf-16le"))),
        };
        Assert.True(new FileInfo(path).Length < 200_000);
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromFile(path), new TransmogOptions { MaxInputBytes = 1_000_000 }));
        Assert.Contains("MaxInputBytes", error.Reason, StringComparison.Ordinal);
    }
}

/// <summary>A stream that can only be read forward, as stdin or a socket: no seeking, no length.</summary>
internal sealed class OneWayStream(byte[] bytes) : Stream
{
    private readonly MemoryStream _inner = new(bytes);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
