using System.Text;
using static Transmog.Data.TestSupport.Io;

namespace Transmog.Data.Reliability.Tests.BadInputs;

/// <summary>
/// The bad-input cases of the input forms of issue 11: JSON value streams (pretty-printed or back-to-back objects),
/// encodings other than UTF-8, other compressions. Part of <see cref="BadInputCorpus"/>.
/// </summary>
internal static class InputFormsCorpus
{
    private static int At(byte[] bytes, string needle) => bytes.AsSpan().IndexOf(Utf8(needle)) is var i and >= 0 ? i : throw new ArgumentException(needle);

    public static IEnumerable<BadInput> Build()
    {
        // ---- Value streams: objects one after another, record boundaries found by the token scan -----------------
        byte[] b = Utf8("{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}\n{\n  \"a\": 3,\n  \"b\": [1, 2");
        yield return new BadInput("value-stream-truncated", b,
            new Fails(9, 13, b.Length, "$", "Truncated", Record: 3),
            new Rejects(2, new Reject(9, 3, "\"b\": [1, 2", "Truncated"))) { Records = 3 };

        b = Utf8("{\n  \"a\": 1\n}\nxyz\n{\n  \"a\": 2\n}\n");
        yield return new BadInput("value-stream-garbage-between-values", b,
            new Fails(4, 1, At(b, "xyz"), "$", "Invalid JSON", Record: 2),
            new Rejects(2, new Reject(4, 2, "xyz", "Invalid JSON"))) { Records = 3 };

        b = Utf8("{\"a\":1}{\"a\":,}{\"a\":3}");
        yield return new BadInput("value-stream-back-to-back-bad-record", b,
            new Fails(1, 13, At(b, ",}"), "$", "Invalid JSON", Record: 2),
            new Rejects(1, new Reject(1, 2, "{\"a\":,}{\"a\":3}", "the rest of the input is rejected"))) { Records = 2 };

        b = Utf8("{\"a\":1} 5 [1] {\"a\":2}");
        yield return new BadInput("value-stream-non-objects", b,
            new Fails(1, 9, 8, "$", "Expected JSON object as value 2 of the stream, got number", Record: 2),
            new Rejects(2, new Reject(1, 2, "5", "got number"), new Reject(1, 3, "[1]", "got array"))) { Records = 4 };

        // ---- Encodings: UTF-16/UTF-32 with a BOM are transcoded; positions count the UTF-8 text -----------------
        b = [.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes("{\"a\":1}\n{\"a\":2}\n"), 0x7B];
        yield return new BadInput("utf16-odd-length", b,
            new Fails(3, 1, 16, "$", "Invalid UTF-16 LE input"),
            new StillFails("UTF-16 LE", "text that cannot be decoded cannot be resynchronised"));

        b = [.. Encoding.BigEndianUnicode.Preamble, .. Encoding.BigEndianUnicode.GetBytes("{\"a\":1}\n{\"a\":\""), 0xDC, 0x00, .. Encoding.BigEndianUnicode.GetBytes("\"}\n")];
        yield return new BadInput("utf16-unpaired-surrogate", b,
            new Fails(null, null, null, "$", "Invalid UTF-16 BE input"),
            new StillFails("UTF-16 BE", "text that cannot be decoded cannot be resynchronised"));

        // A BOM inside UTF-16 text is U+FEFF, the UTF-8 BOM once transcoded: as in UTF-8 JSON Lines, a bad record.
        b = [.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes("{\"a\":1}\n\uFEFF{\"a\":2}\n{\"a\":3}\n")];
        yield return new BadInput("utf16-bom-in-the-middle", b,
            new Fails(2, 1, 8, "$", "0xEF", Record: 2),
            new Rejects(2, new Reject(2, 2, "{\"a\":2}", "0xEF"))) { Records = 3 };

        b = [.. Encoding.UTF32.Preamble, .. Encoding.UTF32.GetBytes("{\"a\":1}\n{\"a\":2}\n")];
        yield return new BadInput("utf32-with-bom-is-fine", b, new Flattens(2), new Rejects(2)) { Records = 2 };

        // ---- zstd (by magic bytes) ------------------------------------------------------------------------------
        byte[] text = Utf8(string.Concat(Enumerable.Range(0, 2000).Select(i => $"{{\"i\":{i},\"s\":\"{i * 7919 % 1000}\"}}\n")));
        byte[] zstd = new ZstdSharp.Compressor(3).Wrap(text).ToArray();
        b = (byte[])zstd.Clone();
        for (int i = 20; i < b.Length - 8; i += 5)
        {
            b[i] ^= 0x5A;
        }

        yield return new BadInput("zstd-corrupt-frame", b,
            new Fails(null, null, null, "$", "Invalid zstd input"),
            new StillFails("zstd", "the stream cannot be decoded past the damage"));

        b = zstd[..(zstd.Length / 2)];
        yield return new BadInput("zstd-truncated", b,
            new Fails(null, null, null, "$", "Invalid zstd input: truncated"),
            new StillFails("zstd", "a truncated frame is an error, never a shorter input"));

        yield return new BadInput("zstd-is-fine", zstd, new Flattens(2000), new Rejects(2000)) { Records = 2000 };

        // ---- Records inside an envelope (RecordsPath) ---------------------------------------------------------------
        b = Utf8("{\"meta\":{\"n\":1},\n\"data\":{\"items\":\"none\"}}");
        yield return new BadInput("records-path-leads-to-a-scalar", b,
            new Fails(2, 17, At(b, "\"none\""), "$.data.items", "leads to a string at $.data.items"),
            new StillFails("leads to a string", "the input has no records where the path says"))
        { Options = new TransmogOptions { RecordsPath = "data.items" } };

        b = Utf8("{\"data\":[{\"items\":[{\"a\":1}]}]}");
        yield return new BadInput("records-path-through-an-array", b,
            new Fails(1, 9, 8, "$.data", "goes through an array at $.data"),
            new StillFails("goes through an array", "the path cannot be followed"))
        { Options = new TransmogOptions { RecordsPath = "data.items" } };

        b = Utf8("{\"data\":{\"total\":0}}");
        yield return new BadInput("records-path-matches-nothing", b,
            new Fails(1, null, null, "$.data", "matches nothing in the input"),
            new StillFails("matches nothing", "an empty success would hide a wrong path"))
        { Options = new TransmogOptions { RecordsPath = "data.items" } };

        b = Utf8("{\"plugins\":{\n\"git\":{\"v\":1},\n\"bad\":[1,2],\n\"svn\":{\"v\":2},\n\"n\":\"x\"}}");
        yield return new BadInput("records-path-map-members-not-objects", b,
            new Fails(3, 7, At(b, "[1,2]"), "$.plugins.bad", "member 'bad' of the object map, got array", Record: 2),
            new Rejects(2, new Reject(3, 2, "[1,2]", "got array"), new Reject(5, 4, "\"x\"", "got string"))) { Records = 4, Options = new TransmogOptions { RecordsPath = "plugins.*" } };

        b = Utf8("{\"items\":[{\"a\":1},{\"a\":2");
        yield return new BadInput("records-path-truncated", b,
            new Fails(1, null, b.Length, "$.items[1]", "Truncated"),
            new StillFails("Truncated", "an envelope cut short cannot be resynchronised"))
        { Options = new TransmogOptions { RecordsPath = "items" } };
    }
}
