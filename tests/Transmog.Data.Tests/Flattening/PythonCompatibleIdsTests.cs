using System.Text.Json;
using Transmog.Data.Python;

namespace Transmog.Data.Tests.Flattening;

public class PythonCompatibleIdsTests
{
    private static readonly Lazy<string[]> LoadedVectorLines = new(() =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Vectors", "python_hash_ids.jsonl")));

    public static TheoryData<int> VectorFileLines()
    {
        var data = new TheoryData<int>();
        string[] lines = LoadedVectorLines.Value;
        for (int i = 0; i < lines.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(lines[i]))
            {
                data.Add(i + 1);
            }
        }

        return data;
    }

    [Fact]
    public void VectorFileIsPresent()
    {
        Assert.True(VectorFileLines().Count >= 49);
    }

    [Theory]
    [MemberData(nameof(VectorFileLines))]
    public void PythonVector(int line)
    {
        using JsonDocument testCase = JsonDocument.Parse(LoadedVectorLines.Value[line - 1]);
        JsonElement root = testCase.RootElement;
        using JsonDocument record = JsonDocument.Parse(root.GetProperty("json").GetString()!);
        JsonElement strategy = root.GetProperty("strategy");
        Guid expected = Guid.Parse(root.GetProperty("id").GetString()!);

        Guid actual = strategy.ValueKind == JsonValueKind.String
            ? PythonCompatibleIds.ForRecord(record.RootElement)
            : PythonCompatibleIds.ForFields(record.RootElement, strategy.EnumerateArray().Select(f => f.GetString()!).ToArray());

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void DesignVectorHash()
    {
        using JsonDocument record = JsonDocument.Parse("{\"b\":1,\"a\":\"X\",\"c\":[1.0,null,true],\"d\":\"é\\n\"}");

        Assert.Equal("{\"a\": \"X\", \"b\": 1, \"c\": [1.0, null, true], \"d\": \"é\\n\"}", PythonJsonText.ToText(record.RootElement));
        Assert.Equal(Guid.Parse("697dc60a-6339-511f-a2f5-577482260ce7"), PythonCompatibleIds.ForRecord(record.RootElement));
    }

    [Fact]
    public void DesignVectorFields()
    {
        using JsonDocument record = JsonDocument.Parse("{\"a\":\"X\",\"b\":2}");
        string[] fields = ["b", "a", "z"];

        Assert.Equal("{\"a\": \"X\", \"b\": 2, \"z\": null}", PythonJsonText.ToCompositeText(record.RootElement, fields));
        Assert.Equal(Guid.Parse("c936fd38-ca21-5e8a-8685-152b69b44021"), PythonCompatibleIds.ForFields(record.RootElement, fields));
    }

    [Theory]
    [InlineData("1.0", "1.0")]
    [InlineData("1E2", "100.0")]
    [InlineData("1e-05", "1e-05")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("1e16", "1e+16")]
    [InlineData("1e15", "1000000000000000.0")]
    [InlineData("1234567890123456.0", "1234567890123456.0")]
    [InlineData("0.1", "0.1")]
    [InlineData("0.30000000000000004", "0.30000000000000004")]
    [InlineData("-0.0", "-0.0")]
    [InlineData("1.5e300", "1.5e+300")]
    [InlineData("-1.25e-10", "-1.25e-10")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
    [InlineData("1e400", "Infinity")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("-0", "0")]
    [InlineData("-17", "-17")]
    public void NumbersAreWrittenAsPythonDoes(string json, string expected)
    {
        using JsonDocument document = JsonDocument.Parse(json);

        Assert.Equal(expected, PythonJsonText.ToText(document.RootElement));
    }

    [Fact]
    public void FormatFloatMatchesPythonRepr()
    {
        Assert.Equal("1.0", PythonJsonText.FormatFloat(1.0));
        Assert.Equal("1e-05", PythonJsonText.FormatFloat(1e-5));
        Assert.Equal("1e+16", PythonJsonText.FormatFloat(1e16));
        Assert.Equal("0.1", PythonJsonText.FormatFloat(0.1));
        Assert.Equal("123.456", PythonJsonText.FormatFloat(123.456));
        Assert.Equal("1.2345678901234568e+20", PythonJsonText.FormatFloat(123456789012345678901.0));
    }

    [Fact]
    public void StringsAndKeysAreEscapedAndSortedAsPythonDoes()
    {
        using JsonDocument document = JsonDocument.Parse(
            "{\"\\ud83d\\ude00\":1,\"\\uffff\":2,\"k\\u0061\":\"\\u0000\\u001f\\u007f\\/\\\"\\\\\\b\\f\\n\\r\\t\\u2028\",\"ka\":3}");

        Assert.Equal("{\"ka\": 3, \"\uffff\": 2, \"😀\": 1}",
            PythonJsonText.ToText(document.RootElement));
    }

    [Fact]
    public void DuplicateKeysKeepTheLastValue()
    {
        using JsonDocument document = JsonDocument.Parse("{\"b\":1,\"a\":2,\"b\":3}");

        Assert.Equal("{\"a\": 2, \"b\": 3}", PythonJsonText.ToText(document.RootElement));
    }

    [Fact]
    public void ManyKeysAreSortedWithLastDuplicateWinning()
    {
        IEnumerable<int> order = Enumerable.Range(0, 40).Reverse();
        string json = "{\"k05\":\"first\"," + string.Join(",", order.Select(i => $"\"k{i:D2}\":{i}")) + "}";
        string expected = "{" + string.Join(", ", Enumerable.Range(0, 40).Select(i => $"\"k{i:D2}\": {i}")) + "}";
        using JsonDocument document = JsonDocument.Parse(json);

        Assert.Equal(expected, PythonJsonText.ToText(document.RootElement));
    }

    [Fact]
    public void ControlCharactersUseShortOrLowerCaseHexEscapes()
    {
        using JsonDocument document = JsonDocument.Parse("[\"\\u0000\\u001F\\u007f/\\\"\\\\\\b\\f\\n\\r\\t\\u2028é\"]");

        Assert.Equal("[\"\\u0000\\u001f\u007f/\\\"\\\\\\b\\f\\n\\r\\t\u2028é\"]", PythonJsonText.ToText(document.RootElement));
    }

    [Fact]
    public void LoneSurrogateCannotBeHashed()
    {
        using JsonDocument document = JsonDocument.Parse("{\"a\":\"x\\ud800y\"}");

        Assert.Throws<FormatException>(() => PythonCompatibleIds.ForRecord(document.RootElement));
    }

    [Fact]
    public void InvalidUtf8CannotBeHashed()
    {
        byte[] json = [(byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];
        using JsonDocument document = JsonDocument.Parse(json);

        Assert.Throws<FormatException>(() => PythonCompatibleIds.ForRecord(document.RootElement));
    }

    [Theory]
    [InlineData("İstanbul", "i\u0307stanbul")]
    [InlineData("ΟΔΟΣ", "οδος")]
    [InlineData("ΟΔΟΣ ΟΔΟΣ.", "οδος οδος.")]
    [InlineData("ΑΣ.Α", "ασ.α")]
    [InlineData("Σ", "σ")]
    [InlineData("ΑΣ'", "ας'")]
    [InlineData("STRASSE Straße", "strasse straße")]
    [InlineData("ǅ ǈ ǋ", "ǆ ǉ ǌ")]
    [InlineData("𐐀", "𐐨")]
    public void PythonLowerMatchesPython(string text, string expected)
    {
        Assert.Equal(expected, PythonCompatibleIds.PythonLower(text));
    }

    [Fact]
    public void CompositeOfMissingFieldsIsAllNull()
    {
        using JsonDocument document = JsonDocument.Parse("{\"a\":1}");

        Assert.Equal("{\"x\": null, \"y\": null}", PythonJsonText.ToCompositeText(document.RootElement, ["y", "x", "y"]));
    }

    [Fact]
    public void UuidV5MatchesRfc4122Example()
    {
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") == 886313e1-3b8a-5372-9b90-0c9aee199e5d
        Guid dns = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(Guid.Parse("886313e1-3b8a-5372-9b90-0c9aee199e5d"), UuidV5.Create(dns, "python.org"u8));
    }
}
