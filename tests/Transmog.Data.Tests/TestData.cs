using System.Text.Json;

namespace Transmog.Data.Tests;

/// <summary>Helpers of this project's tests (the ones shared with other test projects are in Transmog.Data.TestSupport).</summary>
internal static class TestData
{
    public static FlattenResult Flatten(string json, TransmogOptions? options = null, string name = "data") =>
        JsonFlattener.Flatten(JsonInput.FromString(json), name, options);

    public static List<IReadOnlyDictionary<string, object>> Rows(this FlattenedTable table) => table.Rows.ToList();

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
