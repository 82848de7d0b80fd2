using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Transmog.Data.Reliability.Tests.Properties;

/// <summary>
/// DESIGN.md's normalisations, applied to the generated input to say what the tables must give back: nulls and
/// empty strings left out, empty objects and arrays left out, arrays of primitives kept whole (as JSON text), items
/// of arrays holding objects each a row (a null item or an empty object none; an empty string a row without data).
/// </summary>
public static class Normalise
{
    /// <summary>The records that make a main row, normalised.</summary>
    public static List<JsonObject> Records(IEnumerable<JsonObject> records) => [.. records.Where(r => r.Count > 0).Select(Object)];

    public static JsonObject Object(JsonObject o)
    {
        var result = new JsonObject();
        foreach ((string key, JsonNode? value) in o)
        {
            if (Member(value) is { } kept)
            {
                result[key] = kept;
            }
        }

        return result;
    }

    private static JsonNode? Member(JsonNode? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonObject o:
                JsonObject n = Object(o);
                return n.Count == 0 ? null : n;
            case JsonArray a when a.Count == 0:
                return null;
            case JsonArray a when !a.Any(i => i is JsonObject):
                return a.DeepClone();
            case JsonArray a:
                var items = new JsonArray();
                foreach (JsonNode? item in a)
                {
                    switch (item)
                    {
                        case null:
                        case JsonObject { Count: 0 }:
                        case JsonValue v when v.TryGetValue(out string? s) && s.Length == 0:
                            // A null, {} or "" item makes no row without IncludeNulls (as in Python transmog 2.0.4).
                            break;
                        case JsonObject o:
                            items.Add(Object(o));
                            break;
                        default:
                            // A primitive or an inner array (an empty one too: "[]", as in Python) is a value row.
                            items.Add(item.DeepClone());
                            break;
                    }
                }

                if (items.Count == 0)
                {
                    return null;
                }

                // Remember it was a child table: its items are rows even if no object is left after normalising
                // (e.g. [{}, "x", "y"] flattens to two value rows, not to one JSON text).
                ChildTableArrays.AddOrUpdate(items, items);
                return items;
            case JsonValue v when v.TryGetValue(out string? s) && s.Length == 0:
                return null;
            default:
                return value.DeepClone();
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<JsonArray, JsonArray> ChildTableArrays = new();

    /// <summary>Cells the normalised record must fill: scalars, kept arrays and array-valued items count one each.</summary>
    public static int Cells(JsonObject o) => o.Sum(m => m.Value switch
    {
        JsonObject child => Cells(child),
        JsonArray a when ChildTableArrays.TryGetValue(a, out _) => a.Sum(i => i is JsonObject io ? Cells(io) : 1),
        _ => 1,
    });

    /// <summary>
    /// Whether <paramref name="actual"/> (rebuilt from the tables) is <paramref name="expected"/> up to DESIGN's typing:
    /// key order aside; an integer read back as a double of the same value (integer and real widen to real); any
    /// scalar or kept array read back as text when its column widened to string (its exact source text).
    /// </summary>
    public static bool Equivalent(JsonNode? expected, JsonNode? actual, out string why, string path = "$")
    {
        why = "";
        switch (expected)
        {
            case null:
                why = actual is null ? "" : $"{path}: expected nothing, got {actual.ToJsonString()}";
                return actual is null;
            case JsonObject eo:
                if (actual is not JsonObject ao)
                {
                    why = $"{path}: expected an object, got {actual?.ToJsonString() ?? "nothing"}";
                    return false;
                }

                foreach (string key in eo.Select(m => m.Key).Union(ao.Select(m => m.Key)))
                {
                    if (!eo.ContainsKey(key) || !ao.ContainsKey(key))
                    {
                        why = $"{path}.{key}: only in {(eo.ContainsKey(key) ? "the input" : "the tables")}";
                        return false;
                    }

                    if (!Equivalent(eo[key], ao[key], out why, path + "." + key))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray ea:
                if (actual is JsonValue text && text.TryGetValue(out string? json))
                {
                    actual = JsonNode.Parse(json);
                }

                if (actual is not JsonArray aa || aa.Count != ea.Count)
                {
                    why = $"{path}: expected {ea.ToJsonString()}, got {actual?.ToJsonString() ?? "nothing"}";
                    return false;
                }

                for (int i = 0; i < ea.Count; i++)
                {
                    if (!Equivalent(ea[i], aa[i], out why, $"{path}[{i}]"))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValue ev:
                bool same = ScalarEquivalent(ev, actual as JsonValue);
                why = same ? "" : $"{path}: expected {ev.ToJsonString()}, got {actual?.ToJsonString() ?? "nothing"}";
                return same;
            default:
                why = $"{path}: unexpected node";
                return false;
        }
    }

    private static bool ScalarEquivalent(JsonValue expected, JsonValue? actual)
    {
        if (actual is null)
        {
            return false;
        }

        JsonValueKind kind = expected.GetValueKind();
        if (kind == JsonValueKind.String)
        {
            return actual.GetValueKind() == JsonValueKind.String && actual.GetValue<string>() == expected.GetValue<string>();
        }

        string sourceText = expected.ToJsonString();
        if (actual.TryGetValue(out string? s))
        {
            return s == sourceText;
        }

        if (kind is JsonValueKind.True or JsonValueKind.False)
        {
            return actual.TryGetValue(out bool b) && b == (kind == JsonValueKind.True);
        }

        decimal exact = decimal.Parse(sourceText, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (actual.TryGetValue(out long l))
        {
            return exact == l;
        }

        if (actual.TryGetValue(out decimal m))
        {
            return exact == m;
        }

        return actual.TryGetValue(out double d) && d == double.Parse(sourceText, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
