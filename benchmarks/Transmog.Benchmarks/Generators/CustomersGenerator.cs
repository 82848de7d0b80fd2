using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Transmog.Benchmarks.Generators;

/// <summary>
/// Deterministic synthetic customers: customers -> orders -> items -> discounts, a nested address (with a nested
/// geo object), a primitive <c>tags</c> array, nulls, numbers that are sometimes integers and sometimes reals in the
/// same field, non-ASCII text (é, ü, 日本, emoji, which the writer escapes as surrogate pairs), quotes and commas,
/// short and long strings. About 1 KB per record on average. Records are written without allocating (text is
/// formatted into stack buffers), so that a streamed input (<c>--stream</c>) adds next to no garbage to the measured
/// process.
/// </summary>
internal static class CustomersGenerator
{
    /// <summary>Bump when the output changes, so that cached inputs are regenerated.</summary>
    public const int Version = 1;

    private static readonly string[] FirstNames =
    [
        "Ana", "Björn", "Chloé", "Dmitri", "Émile", "Fatima", "Günther", "Hana", "Iñigo", "Jürgen", "Kenji", "Léa",
        "Mateo", "Nuñez", "Olga", "Priya", "Quentin", "Renée", "Søren", "Taro", "Ursula", "Văn", "Wojciech", "Xiu",
        "Yusuf", "Zoë", "花子", "太郎", "Łukasz", "Ørjan",
    ];

    private static readonly string[] FirstNamesLower = [.. FirstNames.Select(n => n.ToLowerInvariant())];

    private static readonly string[] LastNames =
    [
        "García", "Müller", "Dubois", "Ivanov", "Lefèvre", "Al-Hassan", "Schröder", "Sato", "Zubizarreta", "Weiß",
        "Tanaka", "Moreau", "Fernández", "O'Brien", "Kowalski", "Patel", "Nguyễn", "Çelik", "山田", "鈴木", "Smith",
        "Jones", "Novák", "Håkansson",
    ];

    private static readonly string[] LastNamesLower = [.. LastNames.Select(n => n.ToLowerInvariant())];

    private static readonly string[] Cities =
    [
        "Zürich", "Montréal", "São Paulo", "Köln", "東京", "大阪", "Kraków", "Málaga", "Reykjavík", "Genève",
        "London", "New York", "Berlin", "Paris", "Lisboa", "Düsseldorf", "Québec", "Malmö",
    ];

    private static readonly string[] Countries = ["CH", "CA", "BR", "DE", "JP", "PL", "ES", "IS", "GB", "US", "FR", "PT", "SE"];

    private static readonly string[] Streets =
    [
        "Bahnhofstrasse", "Rue Sainte-Catherine", "Avenida Paulista", "Hohe Straße", "銀座通り", "ul. Floriańska",
        "Calle Larios", "Laugavegur", "Rue du Rhône", "High Street", "Broadway", "Königsallee",
    ];

    private static readonly string[] Tags =
    [
        "vip", "wholesale", "newsletter", "返品", "b2b", "früh", "😀 fan", "late-payer", "gift", "étudiant", "loyal",
        "日本", "beta",
    ];

    private static readonly string[] Statuses = ["paid", "shipped", "delivered", "refunded", "cancelled", "pending"];

    private static readonly string[] ShippingMethods = ["standard", "express", "pickup", "überweisung", "same-day"];

    private static readonly string[] Titles =
    [
        "Teapot", "Mug \"classic\"", "Grinder, manual", "Filter papers", "Kaffeebohnen 1 kg", "Théière en fonte",
        "急須 (常滑焼)", "Espresso cups ☕ x6", "Kettle, gooseneck, 1.0 L", "Matcha whisk 茶筅", "Scale 0.1 g",
        "Cold brew bottle 🧊", "Milk frother", "Cleaning tablets (x100)",
    ];

    private static readonly string[] Codes = ["WELCOME10", "LOYAL", "SUMMER", "BLACKFRIDAY", "FREESHIP", "ÉTÉ-15"];

    private static readonly string[] Words =
    [
        "lorem", "ipsum", "dolor", "sit", "amet", "délai", "Lieferung", "über", "naïve", "café", "日本語", "配送",
        "please", "call", "before", "delivery", "door", "code", "ring", "twice", "leave", "with", "neighbour", "🚚",
        "fragile", "handle", "with", "care", "merci", "danke", "ありがとう",
    ];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    /// <summary>Writes JSON Lines (or one top-level array) of at least <paramref name="targetBytes"/> bytes to a new file.</summary>
    public static long Generate(string path, long targetBytes, int seed, bool asArray)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        return Generate(file, targetBytes, seed, asArray, out _);
    }

    /// <summary>
    /// Writes JSON Lines (or one top-level array) of at least <paramref name="targetBytes"/> bytes to
    /// <paramref name="file"/> (a file, or the pipe of a streamed input): the same bytes for the same size and seed.
    /// </summary>
    /// <returns>The number of records; <paramref name="bytes"/> receives the number of bytes written.</returns>
    public static long Generate(Stream file, long targetBytes, int seed, bool asArray, out long bytes)
    {
        var rng = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>(1 << 16);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        long written = 0;
        long records = 0;
        if (asArray)
        {
            file.Write("[\n"u8);
            written += 2;
        }

        while (written < targetBytes)
        {
            if (asArray && records > 0)
            {
                file.Write(",\n"u8);
                written += 2;
            }

            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            WriteRecord(writer, rng, records);
            writer.Flush();
            file.Write(buffer.WrittenSpan);
            written += buffer.WrittenCount;
            if (!asArray)
            {
                file.Write("\n"u8);
                written++;
            }

            records++;
        }

        if (asArray)
        {
            file.Write("\n]\n"u8);
            written += 3;
        }

        bytes = written;
        return records;
    }

    /// <summary>JSON Lines of <paramref name="records"/> records in memory (for the micro-benchmarks).</summary>
    public static byte[] GenerateBytes(int records, int seed)
    {
        var rng = new Random(seed);
        var buffer = new ArrayBufferWriter<byte>(records * 1200);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions);
        for (int i = 0; i < records; i++)
        {
            writer.Reset(buffer);
            WriteRecord(writer, rng, i);
            writer.Flush();
            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteRecord(Utf8JsonWriter w, Random rng, long index)
    {
        // Same draws, in the same order, as when the text was built with string interpolation: the output is unchanged.
        Span<char> text = stackalloc char[256];
        int firstIndex = rng.Next(FirstNames.Length);
        int lastIndex = rng.Next(LastNames.Length);
        string first = FirstNames[firstIndex];
        string last = LastNames[lastIndex];
        w.WriteStartObject();
        w.WriteNumber("customer_id", 100_000 + index);
        w.WriteStartObject("name");
        w.WriteString("first", first);
        w.WriteString("last", last);
        w.WriteEndObject();
        w.WriteString("email", new Text(text).Add(FirstNamesLower[firstIndex]).Add('.').Add(LastNamesLower[lastIndex]).Add('.').Add(index).Add("@example.com").Span);
        if (rng.Next(10) < 3)
        {
            w.WriteNull("phone");
        }
        else
        {
            w.WriteString("phone", new Text(text).Add('+').Add(rng.Next(1, 99)).Add(' ').Add(rng.Next(100, 999)).Add(' ').Add(rng.Next(100, 999)).Add(' ').Add(rng.Next(10, 99)).Add(' ').Add(rng.Next(10, 99)).Span);
        }

        w.WriteBoolean("active", rng.Next(4) != 0);
        WriteMixedNumber(w, "score", rng, 0, 100);
        w.WriteString("signup", new Text(text).Add("20").Add(rng.Next(15, 25)).Add('-').Add(rng.Next(1, 13), "00").Add('-').Add(rng.Next(1, 29), "00").Span);
        w.WriteStartObject("address");
        w.WriteString("street", new Text(text).Add(rng.Next(1, 300)).Add(' ').Add(Pick(rng, Streets)).Span);
        w.WriteString("city", Pick(rng, Cities));
        w.WriteString("zip", new Text(text).Add(rng.Next(1000, 99999), "00000").Span);
        w.WriteString("country", Pick(rng, Countries));
        if (rng.Next(10) != 0)
        {
            w.WriteStartObject("geo");
            w.WriteNumber("lat", Math.Round((rng.NextDouble() * 180) - 90, 4));
            w.WriteNumber("lon", Math.Round((rng.NextDouble() * 360) - 180, 4));
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("geo");
        }

        w.WriteEndObject();
        w.WriteStartArray("tags");
        int tags = rng.Next(5);
        for (int t = 0; t < tags; t++)
        {
            w.WriteStringValue(Pick(rng, Tags));
        }

        w.WriteEndArray();
        int notes = rng.Next(10);
        if (notes < 4)
        {
            w.WriteNull("notes");
        }
        else if (notes < 8)
        {
            WriteSentence(w, "notes", rng, 3, 10);
        }
        else if (notes < 9)
        {
            w.WriteString("notes", string.Empty);
        }
        else
        {
            // A long string now and then (≈ 400-1000 bytes).
            WriteSentence(w, "notes", rng, 60, 140);
        }

        w.WriteStartArray("orders");
        int orders = rng.Next(4);
        for (int o = 0; o < orders; o++)
        {
            WriteOrder(w, rng, index, o);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteOrder(Utf8JsonWriter w, Random rng, long customer, int o)
    {
        Span<char> text = stackalloc char[64];
        w.WriteStartObject();
        w.WriteString("order_id", new Text(text).Add("O-").Add(customer).Add('-').Add(o + 1).Span);
        w.WriteString("placed_at", new Text(text).Add("2025-").Add(rng.Next(1, 13), "00").Add('-').Add(rng.Next(1, 29), "00").Add('T')
            .Add(rng.Next(24), "00").Add(':').Add(rng.Next(60), "00").Add(':').Add(rng.Next(60), "00").Add('Z').Span);
        w.WriteString("status", Pick(rng, Statuses));
        WriteMixedNumber(w, "total", rng, 5, 500);
        w.WriteString("currency", rng.Next(3) == 0 ? "CHF" : "EUR");
        w.WriteStartArray("items");
        int items = rng.Next(1, 5);
        for (int i = 0; i < items; i++)
        {
            w.WriteStartObject();
            w.WriteString("sku", new Text(text).Add("SKU-").Add(rng.Next(100, 1000)).Span);
            w.WriteString("title", Pick(rng, Titles));
            w.WriteNumber("qty", rng.Next(1, 6));
            WriteMixedNumber(w, "unit_price", rng, 1, 120);
            int discounts = rng.Next(4) == 0 ? rng.Next(1, 3) : 0;
            if (discounts > 0 || rng.Next(2) == 0)
            {
                w.WriteStartArray("discounts");
                for (int d = 0; d < discounts; d++)
                {
                    w.WriteStartObject();
                    w.WriteString("code", Pick(rng, Codes));
                    WriteMixedNumber(w, "pct", rng, 1, 30);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("shipping");
        w.WriteString("method", Pick(rng, ShippingMethods));
        WriteMixedNumber(w, "cost", rng, 0, 25);
        w.WriteEndObject();
        if (rng.Next(5) == 0)
        {
            WriteSentence(w, "gift_message", rng, 4, 12);
        }
        else
        {
            w.WriteNull("gift_message");
        }

        w.WriteEndObject();
    }

    /// <summary>An integer half of the time, a real with two decimals otherwise: the column widens to double.</summary>
    private static void WriteMixedNumber(Utf8JsonWriter w, string name, Random rng, int min, int max)
    {
        if (rng.Next(2) == 0)
        {
            w.WriteNumber(name, rng.Next(min, max));
        }
        else
        {
            w.WriteNumber(name, Math.Round(min + (rng.NextDouble() * (max - min)), 2));
        }
    }

    /// <summary>Between <paramref name="minWords"/> and <paramref name="maxWords"/> words, separated by single spaces.</summary>
    private static void WriteSentence(Utf8JsonWriter w, string name, Random rng, int minWords, int maxWords)
    {
        // At most 140 words of at most 9 characters, plus spaces.
        Span<char> text = stackalloc char[2048];
        int words = rng.Next(minWords, maxWords + 1);
        int length = 0;
        for (int i = 0; i < words; i++)
        {
            if (i > 0)
            {
                text[length++] = ' ';
            }

            string word = Pick(rng, Words);
            word.CopyTo(text[length..]);
            length += word.Length;
        }

        w.WriteString(name, text[..length]);
    }

    /// <summary>
    /// Text built in a stack buffer without allocating (string interpolation into a span boxes its numbers here):
    /// numbers are formatted as interpolation formats them, invariantly.
    /// </summary>
    private ref struct Text(Span<char> buffer)
    {
        private readonly Span<char> _buffer = buffer;
        private int _length;

        public readonly ReadOnlySpan<char> Span => _buffer[.._length];

        public Text Add(string value)
        {
            value.CopyTo(_buffer[_length..]);
            _length += value.Length;
            return this;
        }

        public Text Add(char value)
        {
            _buffer[_length++] = value;
            return this;
        }

        public Text Add(long value, string? format = null)
        {
            if (!value.TryFormat(_buffer[_length..], out int written, format, System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException("A generated value did not fit its buffer.");
            }

            _length += written;
            return this;
        }
    }

    private static string Pick(Random rng, string[] values) => values[rng.Next(values.Length)];
}
