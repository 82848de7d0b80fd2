using System.Text;

namespace Transmog.Data.Fuzz;

/// <summary>Byte- and JSON-aware mutations of a seed input.</summary>
public sealed class Mutator(Random random)
{
    private static readonly byte[][] Tokens =
    [
        "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), ":"u8.ToArray(), ","u8.ToArray(),
        "\n"u8.ToArray(), "\r"u8.ToArray(), "\r\n"u8.ToArray(), " "u8.ToArray(), "null"u8.ToArray(), "true"u8.ToArray(), "NaN"u8.ToArray(),
        "-Infinity"u8.ToArray(), "1e400"u8.ToArray(), "1e-400"u8.ToArray(), "-0"u8.ToArray(), "123456789012345678901234567890"u8.ToArray(),
        "\"\\ud800\""u8.ToArray(), "\"\\u0000\""u8.ToArray(), "\"_id\":1"u8.ToArray(), "\"a_b\":1,\"a\":{\"b\":2}"u8.ToArray(), "[{}]"u8.ToArray(),
        "[[{\"x\":[1]}]]"u8.ToArray(), "{\"a\":[{\"a\":[{\"a\":1}]}]}"u8.ToArray(), "/* c */"u8.ToArray(), "\"../../x\":[{\"v\":1}]"u8.ToArray(),
        [0xEF, 0xBB, 0xBF], [0xFF], [0xC3, 0x28], [0xF0, 0x9F, 0x98], [0x1F, 0x8B], [0x00],
        "\"😀\""u8.ToArray(), "[\"😀\",\"\uE000\",\"𝄞\"]"u8.ToArray(), ",]"u8.ToArray(), ",}"u8.ToArray(),
    ];

    /// <summary>Comments (with characters outside the BMP, quotes and brackets inside), for AllowComments runs.</summary>
    private static readonly byte[][] Comments =
    [
        "/* c */"u8.ToArray(), "/**/"u8.ToArray(), "// c\n"u8.ToArray(), "/* 😀 \" ] } */"u8.ToArray(), "// 𝄞 \"{[\r\n"u8.ToArray(),
        "/*\n*/"u8.ToArray(), "/* * / */"u8.ToArray(), "//"u8.ToArray(), "/*"u8.ToArray(), "/"u8.ToArray(),
    ];

    public byte[] Mutate(byte[] input, byte[] other)
    {
        var data = new List<byte>(input);
        int rounds = 1 + random.Next(4);
        for (int r = 0; r < rounds; r++)
        {
            int at = data.Count == 0 ? 0 : random.Next(data.Count + 1);
            switch (random.Next(14))
            {
                case 0 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[Math.Min(at, data.Count - 1)] = (byte)random.Next(256);
                    break;
                case 2:
                case 3:
                    data.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 4 when data.Count > 0:
                    int length = Math.Min(random.Next(1, 16), data.Count - Math.Min(at, data.Count - 1));
                    data.RemoveRange(Math.Min(at, data.Count - 1), length);
                    break;
                case 5 when data.Count > 1:
                    int start = random.Next(data.Count);
                    int count = Math.Min(random.Next(1, 64), data.Count - start);
                    data.InsertRange(at, data.GetRange(start, count));
                    break;
                case 6 when other.Length > 0:
                    int from = random.Next(other.Length);
                    data.InsertRange(at, other.AsSpan(from, Math.Min(other.Length - from, random.Next(1, 256))).ToArray());
                    break;
                case 7 when data.Count > 0:
                    data.RemoveRange(at == data.Count ? data.Count - 1 : at, data.Count - (at == data.Count ? data.Count - 1 : at));
                    break;
                case 8:
                    int depth = random.Next(1, 1200);
                    string open = random.Next(2) == 0 ? "{\"d\":" : "[";
                    string close = open == "[" ? "]" : "}";
                    data.InsertRange(at, Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, random.Next(2) == 0 ? depth : random.Next(depth)))));
                    break;
                case 9 when data.Count > 0:
                    // Replace a digit run with an extreme number.
                    int digit = data.FindIndex(Math.Min(at, data.Count - 1), b => b is >= (byte)'0' and <= (byte)'9');
                    if (digit >= 0)
                    {
                        data.InsertRange(digit, Tokens[random.Next(16, 20)]);
                    }

                    break;
                case 10:
                case 11:
                    // A comment where JSON allows whitespace: after a structural byte at or after the position.
                    int after = data.FindIndex(Math.Min(at, Math.Max(0, data.Count - 1)), b => b is (byte)'{' or (byte)'[' or (byte)',' or (byte)':' or (byte)'}' or (byte)']');
                    data.InsertRange(after < 0 ? at : after + 1, Comments[random.Next(Comments.Length)]);
                    break;
                case 12:
                    // A trailing comma before a closing bracket at or after the position.
                    int closing = data.FindIndex(Math.Min(at, Math.Max(0, data.Count - 1)), b => b is (byte)'}' or (byte)']');
                    data.Insert(closing < 0 ? at : closing, (byte)',');
                    break;
                default:
                    data.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
            }
        }

        return [.. data];
    }
}

/// <summary>Seeds that always take part, beside any seed directories.</summary>
public static class Seeds
{
    public static IEnumerable<byte[]> BuiltIn() =>
        new[]
        {
            "{\"a\":1}",
            "{\"a\":1}\n{\"a\":\"x\",\"b\":[1,2]}\n",
            "[{\"id\":1,\"o\":{\"p\":[{\"q\":1.5,\"r\":[{\"s\":true}]}]}},{\"id\":2}]",
            "{\"user\":{\"name\":\"A\",\"tags\":[\"x\",null,\"\"],\"orders\":[{\"sku\":\"S\",\"qty\":2,\"items\":[[1,2],{\"k\":\"v\"}]}]}}",
            "{\"n\":1e400,\"m\":12345678901234567890123,\"s\":\"\\ud83d\\ude00\\n\\u00e9\"}\r\n{\"n\":-0.0}",
            "  [ ]  ",
            "",
            "[ // comments and trailing commas (AllowComments, AllowTrailingCommas)\n{\"a\": [\"😀 \uE000\", /* 𝄞 */ 1, ], \"o\": {\"p\": [{\"q\": \"😀\", }, ], }, },\n/* \" ] */ {\"a\": [[\"𝄞\"], ], } ]",
            "{\"a\": /* c */ [\"😀\", \"𝄞\"], \"b\": {\"c\": {\"d\": {\"e\": [\"😀\" /* c */]}}}} // c\n{\"a\": [1, /**/ 2]}\n",
            "{\n  \"a\": 1,\n  \"b\": [\n    {\"c\": 2}\n  ]\n}\n{\n  \"a\": 2\n}\n",
            "{\"a\":1}{\"a\":[{\"b\":2}]} {\"a\":3}",
            "{\"a\":1}\r{\"a\":2}\r\n{\"a\":3}\n",
        }.Select(s => Encoding.UTF8.GetBytes(s))
        .Concat(
        [
            // Value streams and JSON Lines in UTF-16 and UTF-32 with a BOM, and zstd-compressed: the decoding layers.
            [.. Encoding.Unicode.Preamble, .. Encoding.Unicode.GetBytes("{\"a\":\"é😀\"}\n{\"b\":[{\"c\":1}]}\n")],
            [.. Encoding.BigEndianUnicode.Preamble, .. Encoding.BigEndianUnicode.GetBytes("{\n \"a\": 1\n}\n{\"a\":2}")],
            [.. Encoding.UTF32.Preamble, .. Encoding.UTF32.GetBytes("{\"a\":1}\n")],
            new ZstdSharp.Compressor(1).Wrap(Encoding.UTF8.GetBytes("{\"a\":1}\n{\"a\":{\"b\":[1,2]}}\n")).ToArray(),
        ]);
}
