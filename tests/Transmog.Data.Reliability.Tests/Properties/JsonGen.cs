using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Transmog.Data.Reliability.Tests.Properties;

/// <summary>A generated input: records as a model (JsonNode) and the JSON text written for them.</summary>
public sealed record GeneratedInput(IReadOnlyList<JsonObject> Records, string Text)
{
    public override string ToString() => Text;
}

/// <summary>
/// Generators of JSON records: nested objects, arrays of objects, of primitives and mixed, arrays of arrays, strings
/// with unicode, escapes and control characters, integers (to the ends of Int64), reals, booleans and nulls. Keys are
/// letters only (no separator, never a metadata name or <c>value</c>), so no two paths give one column.
/// The text is written with random whitespace, escapes and container (array, JSON Lines, single object).
/// </summary>
public static class JsonGen
{
    private static readonly string[] Keys = ["a", "b", "c", "xy", "Zed", "é", "名前", "ß"];
    private static readonly string[] Pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u0001", "\u001f", "é", "名", "😀", "\u2028", "\u00a0", "<", "'", ",", "{", "]"];
    private static readonly string[] NumberTexts = ["0", "-0", "1", "-1", "42", "9007199254740993", "9223372036854775807", "-9223372036854775808", "1.5", "-0.25", "1e5", "1E-7", "2.5e+10", "0.1", "123.456", "1.0"];

    public static Gen<string> Strings =>
        Gen.Choose(0, 6).SelectMany(n => Gen.ListOf(Gen.Elements(Pieces), n)).Select(p => string.Concat(p));

    public static Gen<JsonNode?> Scalar =>
        Gen.Frequency(
            (3, Strings.Select(s => (JsonNode?)JsonValue.Create(s))),
            (1, Gen.Fresh(() => (JsonNode?)JsonValue.Create(""))),
            (3, Gen.Elements(NumberTexts).Select(t => JsonNode.Parse(t))),
            (2, Gen.Choose(int.MinValue, int.MaxValue).Select(i => JsonNode.Parse(i.ToString(CultureInfo.InvariantCulture)))),
            (1, Gen.Choose(-1_000_000, 1_000_000).Select(i => JsonNode.Parse((i / 997.0).ToString("R", CultureInfo.InvariantCulture)))),
            (1, Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b))),
            (1, Gen.Constant<JsonNode?>(null)));

    public static Gen<JsonNode?> Value(int depth) =>
        depth <= 0
            ? Scalar
            : Gen.Frequency(
                (5, Scalar),
                (2, Object(depth - 1).Select(o => (JsonNode?)o)),
                (2, ArrayOfObjects(depth - 1)),
                (1, Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Scalar, n)).Select(items => (JsonNode?)new JsonArray([.. items]))),
                (1, Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(Gen.OneOf(Scalar, Object(depth - 1).Select(o => (JsonNode?)o), Gen.Choose(0, 2).SelectMany(k => Gen.ListOf(Scalar, k)).Select(i => (JsonNode?)new JsonArray([.. i]))), n)).Select(items => (JsonNode?)new JsonArray([.. items]))));

    private static Gen<JsonNode?> ArrayOfObjects(int depth) =>
        Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Object(depth), n)).Select(items => (JsonNode?)new JsonArray([.. items]));

    public static Gen<JsonObject> Object(int depth) =>
        Gen.SubListOf(Keys).SelectMany(keys => Gen.Shuffle(keys.ToArray())).SelectMany(keys =>
            Gen.CollectToList(keys.Take(4), key => Value(depth).Select(v => (key, v)))).Select(members =>
            {
                var o = new JsonObject();
                foreach ((string key, JsonNode? value) in members)
                {
                    o[key] = value;
                }

                return o;
            });

    public static Gen<GeneratedInput> Input =>
        Gen.Choose(1, 4).SelectMany(n => Gen.ListOf(Gen.Choose(1, 3).SelectMany(Object), n))
            .SelectMany(records => Gen.Choose(0, int.MaxValue).Select(seed => new GeneratedInput([.. records], Write(records, new Random(seed)))));

    public static Arbitrary<GeneratedInput> Arbitrary() => Arb.From(Input);

    /// <summary>Writes records as a top-level array, JSON Lines or (for one record) a single object.</summary>
    public static string Write(IReadOnlyList<JsonObject> records, Random random)
    {
        var text = new StringBuilder();
        int container = records.Count == 1 ? random.Next(3) : random.Next(2);
        if (container == 0)
        {
            text.Append('[').Append(Space(random));
            for (int i = 0; i < records.Count; i++)
            {
                if (i > 0)
                {
                    text.Append(',').Append(Space(random));
                }

                WriteValue(text, records[i], random, lines: false);
            }

            text.Append(Space(random)).Append(']');
        }
        else
        {
            foreach (JsonObject record in records)
            {
                WriteValue(text, record, random, lines: container == 1);
                text.Append(random.Next(3) == 0 ? "\r\n" : "\n");
            }
        }

        return text.ToString();
    }

    private static string Space(Random random) => random.Next(4) switch
    {
        0 => " ",
        1 => "\t ",
        _ => "",
    };

    private static void WriteValue(StringBuilder text, JsonNode? node, Random random, bool lines)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject o:
                text.Append('{').Append(Space(random));
                bool first = true;
                foreach ((string key, JsonNode? value) in o)
                {
                    if (!first)
                    {
                        text.Append(',').Append(Space(random));
                    }

                    first = false;
                    WriteString(text, key, random);
                    text.Append(Space(random)).Append(':').Append(Space(random));
                    WriteValue(text, value, random, lines);
                }

                text.Append(Space(random)).Append('}');
                break;
            case JsonArray a:
                text.Append('[');
                for (int i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(',').Append(Space(random));
                    }

                    WriteValue(text, a[i], random, lines);
                }

                text.Append(']');
                break;
            case JsonValue v when v.TryGetValue(out string? s):
                WriteString(text, s, random);
                break;
            default:
                text.Append(node.ToJsonString());
                break;
        }

        if (!lines && random.Next(8) == 0)
        {
            text.Append('\n');
        }
    }

    /// <summary>A JSON string with each character written raw where allowed, or escaped at random.</summary>
    private static void WriteString(StringBuilder text, string value, Random random)
    {
        text.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length)
            {
                // A pair is written whole: both halves escaped, or both raw.
                text.Append(random.Next(2) == 0 ? $"\\u{(int)c:x4}\\u{(int)value[i + 1]:x4}" : value.Substring(i, 2));
                i++;
                continue;
            }

            bool mustEscape = c < 0x20 || c == '"' || c == '\\';
            int choice = random.Next(mustEscape ? 2 : 4);
            if (choice == 0 || (mustEscape && c is not ('"' or '\\' or '\n' or '\t' or '\r')))
            {
                text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else if (mustEscape)
            {
                text.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\t' => "\\t", _ => "\\r" });
            }
            else if (c == '/' && choice == 1)
            {
                text.Append("\\/");
            }
            else
            {
                text.Append(c);
            }
        }

        text.Append('"');
    }
}
