using static Transmog.Data.Reliability.Tests.Support.Io;

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
    }
}
