using System.Globalization;
using System.Text.Json.Nodes;

namespace Transmog.Data.Reliability.Tests.Properties;

/// <summary>
/// Rebuilds nested JSON from the flattened tables: each row's data columns split on the separator into a path, each
/// child row attached to its parent row (by <c>_parent_id</c>) under the array path its table name continues, in
/// <c>_array_index</c> order; <c>value</c> cells become primitive items, JSON-typed cells are parsed back.
/// </summary>
/// <remarks>
/// Kept test-side on purpose: a column name alone does not say its path when keys may contain the separator
/// (<c>a_b</c> is <c>{"a_b":..}</c> or <c>{"a":{"b":..}}</c>), and a table name does not say which key an array had
/// once sanitized. The generator uses keys without the separator and made of letters, where both are unambiguous.
/// A library Unflatten would need the flattener to publish each column's path (a list of keys) in the schema.
/// </remarks>
public static class Unflatten
{
    public sealed record Row(TransmogTable Table, string Id, string? ParentId, string? RootId, long Index, JsonObject Data, JsonNode? Value, bool IsValueItem);

    public static List<Row> ReadRows(FlattenedTable table)
    {
        var rows = new List<Row>();
        TransmogTable schema = table.Schema;
        using TransmogDataReader reader = table.CreateReader();
        while (reader.Read())
        {
            var data = new JsonObject();
            string? id = null, parent = null, root = null;
            long index = -1;
            JsonNode? value = null;
            bool isValue = false;
            for (int i = 0; i < reader.FieldCount; i++)
            {
                TransmogColumn column = schema.Columns[i];
                if (reader.IsDBNull(i))
                {
                    continue;
                }

                object cell = reader.GetValue(i);
                switch (column.Role)
                {
                    case TransmogColumnRole.Id:
                        id = Convert.ToString(cell, CultureInfo.InvariantCulture);
                        continue;
                    case TransmogColumnRole.ParentId:
                        parent = Convert.ToString(cell, CultureInfo.InvariantCulture);
                        continue;
                    case TransmogColumnRole.RootId:
                        root = Convert.ToString(cell, CultureInfo.InvariantCulture);
                        continue;
                    case TransmogColumnRole.ArrayIndex:
                        index = Convert.ToInt64(cell, CultureInfo.InvariantCulture);
                        continue;
                    case TransmogColumnRole.Timestamp:
                        continue;
                }

                JsonNode? node = column.Type == TransmogColumnType.Json ? JsonNode.Parse((string)cell) : JsonValue.Create(cell);
                if (schema.ParentName is not null && column.Name == "value")
                {
                    value = node;
                    isValue = true;
                    continue;
                }

                Set(data, column.Name.Split('_'), node);
            }

            rows.Add(new Row(schema, id ?? throw new InvalidOperationException("row without id"), parent, root, index, data, value, isValue));
        }

        return rows;
    }

    /// <summary>The records rebuilt from the tables, in main-table order.</summary>
    public static List<JsonObject> Records(FlattenResult result) => Records(result, out _);

    public static List<JsonObject> Records(FlattenResult result, out Dictionary<string, List<Row>> rowsByTable)
    {
        rowsByTable = result.AllTables.ToDictionary(t => t.Name, ReadRows);
        var byId = new Dictionary<(string Table, string Id), Row>();
        foreach ((string table, List<Row> rows) in rowsByTable)
        {
            foreach (Row row in rows)
            {
                byId.Add((table, row.Id), row);
            }
        }

        // Items of each (parent row, array path), gathered then put in array order.
        var arrays = new Dictionary<(JsonObject Parent, string Path), List<(long Index, JsonNode? Item)>>(new ArrayKeyComparer());
        foreach (FlattenedTable table in result.AllTables.Skip(1))
        {
            string parentName = table.Schema.ParentName!;
            string relative = table.Name[(parentName.Length + 1)..];
            string[] parts = relative.Split('_');
            if (parts.Length > 1 && parts[^1].All(char.IsAsciiDigit))
            {
                parts = parts[..^1]; // a numbered table (same name under another parent)
            }

            foreach (Row row in rowsByTable[table.Name])
            {
                Row parent = byId[(parentName, row.ParentId!)];
                var key = (parent.Data, string.Join('\u0001', parts));
                if (!arrays.TryGetValue(key, out var items))
                {
                    arrays[key] = items = [];
                }

                items.Add((row.Index, row.IsValueItem ? row.Value : row.Data));
            }
        }

        foreach (((JsonObject parent, string path), List<(long Index, JsonNode? Item)> items) in arrays)
        {
            var array = new JsonArray();
            foreach ((long _, JsonNode? item) in items.OrderBy(i => i.Index))
            {
                array.Add(item);
            }

            Set(parent, path.Split('\u0001'), array);
        }

        return [.. rowsByTable[result.Main.Name].Select(r => r.Data)];
    }

    private static void Set(JsonObject target, string[] path, JsonNode? value)
    {
        JsonObject current = target;
        for (int i = 0; i < path.Length - 1; i++)
        {
            if (current[path[i]] is not JsonObject next)
            {
                next = new JsonObject();
                current[path[i]] = next;
            }

            current = next;
        }

        if (current.ContainsKey(path[^1]))
        {
            throw new InvalidOperationException($"Two cells for one path: {string.Join('.', path)}");
        }

        current[path[^1]] = value;
    }

    private sealed class ArrayKeyComparer : IEqualityComparer<(JsonObject Parent, string Path)>
    {
        public bool Equals((JsonObject Parent, string Path) x, (JsonObject Parent, string Path) y) => ReferenceEquals(x.Parent, y.Parent) && x.Path == y.Path;

        public int GetHashCode((JsonObject Parent, string Path) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Parent), obj.Path);
    }
}
