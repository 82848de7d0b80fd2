using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Transmog.Benchmarks.Generators;

/// <summary>
/// JSON Lines of real tweets: the <c>statuses</c> of the corpus's <c>twitter.json</c> (100 tweets, CJK text, emoji,
/// 18-digit ids, deep nesting, many nulls, a nested <c>retweeted_status</c>), emitted over and over with varied ids,
/// texts and counts until the target size. The corpus file is read, never copied.
/// </summary>
internal static class TweetsGenerator
{
    /// <summary>Bump when the output changes, so that cached inputs are regenerated.</summary>
    public const int Version = 1;

    public const string SourceFile = "twitter.json";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly HashSet<string> Counts = new(StringComparer.Ordinal)
    {
        "retweet_count", "favorite_count", "followers_count", "friends_count", "statuses_count", "favourites_count", "listed_count",
    };

    /// <summary>Writes at least <paramref name="targetBytes"/> bytes of JSON Lines to a new file; returns the number of tweets.</summary>
    public static long Generate(string sourcePath, string path, long targetBytes, int seed)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        return Generate(sourcePath, file, targetBytes, seed, out _);
    }

    /// <summary>
    /// Writes at least <paramref name="targetBytes"/> bytes of JSON Lines to <paramref name="file"/> (a file, or the
    /// pipe of a streamed input): the same bytes for the same source, size and seed.
    /// </summary>
    /// <returns>The number of tweets; <paramref name="bytes"/> receives the number of bytes written.</returns>
    public static long Generate(string sourcePath, Stream file, long targetBytes, int seed, out long bytes)
    {
        using JsonDocument source = JsonDocument.Parse(File.ReadAllBytes(sourcePath));
        JsonElement[] statuses = [.. source.RootElement.GetProperty("statuses").EnumerateArray()];
        string[] texts = [.. statuses.Select(s => s.GetProperty("text").GetString() ?? string.Empty)];
        var rng = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        long written = 0;
        long tweets = 0;
        while (written < targetBytes)
        {
            int which = (int)(tweets % statuses.Length);
            long variant = tweets / statuses.Length;
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            var context = new Context(rng, variant, texts);
            WriteValue(writer, statuses[which], null, context);
            writer.Flush();
            file.Write(buffer.WrittenSpan);
            file.Write("\n"u8);
            written += buffer.WrittenCount + 1;
            tweets++;
        }

        bytes = written;
        return tweets;
    }

    private sealed record Context(Random Rng, long Variant, string[] Texts);

    private static void WriteValue(Utf8JsonWriter w, JsonElement value, string? name, Context c)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (JsonProperty p in value.EnumerateObject())
                {
                    w.WritePropertyName(p.Name);
                    WriteValue(w, p.Value, p.Name, c);
                }

                w.WriteEndObject();
                return;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (JsonElement item in value.EnumerateArray())
                {
                    WriteValue(w, item, null, c);
                }

                w.WriteEndArray();
                return;
            case JsonValueKind.Number when name == "id" && value.TryGetInt64(out long id):
                w.WriteNumberValue(Vary(id, c.Variant));
                return;
            case JsonValueKind.String when name == "id_str" && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out long idText):
                w.WriteStringValue(Vary(idText, c.Variant).ToString(CultureInfo.InvariantCulture));
                return;
            case JsonValueKind.Number when name is not null && Counts.Contains(name) && value.TryGetInt64(out long count):
                // Same magnitude, different value.
                w.WriteNumberValue(c.Variant == 0 ? count : (long)(count * (0.5 + c.Rng.NextDouble())) + c.Rng.Next(3));
                return;
            case JsonValueKind.String when name == "text" && c.Variant > 0:
                string text = c.Rng.Next(2) == 0
                    ? value.GetString() + " #" + c.Variant.ToString(CultureInfo.InvariantCulture)
                    : c.Texts[c.Rng.Next(c.Texts.Length)];
                w.WriteStringValue(text);
                return;
            default:
                value.WriteTo(w);
                return;
        }
    }

    private static long Vary(long id, long variant) => variant == 0 ? id : id + (variant * 1_000_003);
}
