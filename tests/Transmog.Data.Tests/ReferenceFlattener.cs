using System.Globalization;
using System.Text.Json;

namespace Transmog.Data.Tests;

/// <summary>
/// A deliberately simple, independent re-statement of the default flattening rules (Smart arrays, nulls and
/// empty strings left out, separator "_", no max depth reached) used as a test oracle: it builds every table's rows
/// as column → canonical text, with each row's parent given as (table, row position).
/// </summary>
internal sealed class ReferenceFlattener
{
    public sealed record Row(Dictionary<string, string> Cells, string? ParentTable, int ParentRow);

    public Dictionary<string, List<Row>> Tables { get; } = new(StringComparer.Ordinal);

    private readonly string _entity;

    public ReferenceFlattener(string entity)
    {
        _entity = entity;
        Tables[entity] = [];
    }

    public void Add(JsonElement record)
    {
        if (record.EnumerateObject().Any())
        {
            AddRow(_entity, Transmog.Data.Flattening.NameSanitizer.Sanitize(_entity), record, null, -1);
        }
    }

    private void AddRow(string table, string childPrefix, JsonElement obj, string? parentTable, int parentRow)
    {
        List<Row> rows = Rows(table);
        var row = new Row(new Dictionary<string, string>(StringComparer.Ordinal), parentTable, parentRow);
        rows.Add(row);
        int position = rows.Count - 1;
        Walk(table, childPrefix, obj, "", "", row, position);
    }

    private List<Row> Rows(string table)
    {
        if (!Tables.TryGetValue(table, out List<Row>? rows))
        {
            Tables[table] = rows = [];
        }

        return rows;
    }

    private void Walk(string table, string childPrefix, JsonElement obj, string prefix, string tablePart, Row row, int position)
    {
        foreach (JsonProperty p in obj.EnumerateObject())
        {
            string column = prefix.Length == 0 ? p.Name : prefix + "_" + p.Name;
            if (prefix.Length == 0 && column is "_id" or "_timestamp" or "_parent_id")
            {
                column += "_source";
            }

            string part = tablePart.Length == 0 ? Transmog.Data.Flattening.NameSanitizer.Sanitize(p.Name) : tablePart + "_" + Transmog.Data.Flattening.NameSanitizer.Sanitize(p.Name);
            JsonElement v = p.Value;
            switch (v.ValueKind)
            {
                case JsonValueKind.Object:
                    Walk(table, childPrefix, v, column, part, row, position);
                    break;
                case JsonValueKind.Array:
                    if (v.GetArrayLength() == 0)
                    {
                        break;
                    }

                    if (!v.EnumerateArray().Any(i => i.ValueKind == JsonValueKind.Object))
                    {
                        row.Cells[column] = "json:" + Compact(v);
                        break;
                    }

                    string child = childPrefix + "_" + part;
                    foreach (JsonElement item in v.EnumerateArray())
                    {
                        switch (item.ValueKind)
                        {
                            case JsonValueKind.Object when item.EnumerateObject().Any():
                                AddRow(child, child, item, table, position);
                                break;
                            case JsonValueKind.Object:
                            case JsonValueKind.Null:
                                break;
                            default:
                                var valueRow = new Row(new Dictionary<string, string>(StringComparer.Ordinal), table, position);
                                string? text = Canonical(item);
                                if (text is not null)
                                {
                                    valueRow.Cells["value"] = text;
                                }

                                Rows(child).Add(valueRow);
                                break;
                        }
                    }

                    break;
                default:
                    if (Canonical(v) is { } canonical)
                    {
                        row.Cells[column] = canonical;
                    }

                    break;
            }
        }
    }

    private static string Compact(JsonElement e)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            e.WriteTo(writer);
        }

        // Re-parse to a normal form so escaping differences do not matter.
        return JsonSerializer.Serialize(JsonDocument.Parse(stream.ToArray()).RootElement);
    }

    /// <summary>A value's expected form (<c>kind:text</c>); null for values that are left out.</summary>
    public static string? Canonical(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!.Length == 0 ? null : "s:" + v.GetString(),
        JsonValueKind.Number => "n:" + v.GetRawText(),
        JsonValueKind.True => "b:true",
        JsonValueKind.False => "b:false",
        JsonValueKind.Array => "json:" + Compact(v),
        _ => null,
    };

    /// <summary>Whether a value read back (typed, or text from a file) is the expected JSON value, exactly.</summary>
    public static bool Matches(string expected, object actual)
    {
        int colon = expected.IndexOf(':');
        string kind = expected[..colon];
        string text = expected[(colon + 1)..];
        switch (kind)
        {
            case "n":
                return actual switch
                {
                    long l => decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal d) && d == l,
                    decimal m => decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) == m,
                    double x => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) == x,
                    string s => s == text || (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
                        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && a == b && double.IsFinite(a)
                        && (text.Contains('.') || text.Contains('e') || text.Contains('E') || s == text)),
                    _ => false,
                };
            case "b":
                return actual switch
                {
                    bool flag => (flag ? "true" : "false") == text,
                    string s => s == text,
                    _ => false,
                };
            case "json":
                return actual is string json && JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement) == text;
            default:
                // A string typed as a date or date-time (TransmogOptions.InferDates): the same instant, read by .NET's own parser.
                return actual switch
                {
                    string str => str == text,
                    DateTimeOffset offset => DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset e)
                        && e == offset && e.Offset == offset.Offset,
                    DateTime time => !text.EndsWith('Z') && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTime e)
                        && e.Kind == DateTimeKind.Unspecified && e == time,
                    _ => false,
                };
        }
    }
}
