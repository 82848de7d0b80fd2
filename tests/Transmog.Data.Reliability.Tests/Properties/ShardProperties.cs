using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Transmog.Data.Reliability.Tests.Properties;

/// <summary>
/// Shards (<see cref="JsonInput.Shard"/>): for generated several-file inputs (JSON Lines plain and gzip, a top-level
/// array, records gaining fields and widening late) and every N in 1..16, the merge of the N shards' own schemas equals
/// the one-shot schema (tables, names, column order, types), and the union of the N shards' rows under it equals the
/// one-shot run's, row for row, with Position and Hash ids.
/// </summary>
[Properties(Arbitrary = [typeof(Arbitraries)], MaxTest = 25, EndSize = 30)]
public class ShardProperties
{
    [Property]
    public Property Union_of_shards_equals_one_shot_with_position_ids(GeneratedInput input) =>
        UnionEqualsOneShot(input, IdGeneration.Position);

    [Property]
    public Property Union_of_shards_equals_one_shot_with_hash_ids(GeneratedInput input) =>
        UnionEqualsOneShot(input, IdGeneration.Hash);

    private static Property UnionEqualsOneShot(GeneratedInput input, IdGeneration ids)
    {
        using TempDir dir = Io.TempDir("shard");
        string[] files = WriteFiles(dir.Path, input.Records);
        var options = new TransmogOptions { IdGeneration = ids, TimeField = null, IncludeArrayIndex = true, IncludeRootId = true };
        JsonInput whole = JsonInput.FromFiles(files);
        TransmogSchema schema = JsonFlattener.ReadSchema(whole, "data", options);
        Dictionary<string, List<string>> expected = Rows(JsonInput.FromFiles(files), options);
        foreach (int n in Enumerable.Range(1, 16))
        {
            // Each task infers the schema of its own share; the merge of theirs is the one-shot schema.
            TransmogSchema merged = TransmogSchema.Merge(Enumerable.Range(0, n)
                .Select(k => JsonFlattener.ReadSchema(JsonInput.FromFiles(files).Shard(k, n), "data", options)));
            string schemaDifference = SchemaDifference(schema, merged);
            if (schemaDifference.Length > 0)
            {
                return false.Label($"N = {n}: merged schema: {schemaDifference}");
            }

            var union = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            for (int k = 0; k < n; k++)
            {
                foreach ((string table, List<string> rows) in Rows(JsonInput.FromFiles(files).Shard(k, n), options with { Schema = merged }))
                {
                    (union.TryGetValue(table, out List<string>? all) ? all : union[table] = []).AddRange(rows);
                }
            }

            string why = Differences(expected, union);
            if (why.Length > 0)
            {
                return false.Label($"N = {n}: {why}");
            }
        }

        return true.ToProperty();
    }

    /// <summary>
    /// The records over up to three files of different kinds, in order: JSON Lines, gzip JSON Lines, a JSON array;
    /// the last file's records gain a field and a numeric field that turns real, so types are decided late.
    /// </summary>
    private static string[] WriteFiles(string dir, IReadOnlyList<JsonObject> records)
    {
        var copies = records.Select((r, i) => (JsonObject)r.DeepClone()).ToList();
        int third = copies.Count / 3;
        for (int i = 0; i < copies.Count; i++)
        {
            copies[i]["n"] = i < 2 * third ? i : i + 0.5;
            if (i >= 2 * third)
            {
                copies[i]["late"] = "x" + i;
            }
        }

        var paths = new List<string>();
        string lines = string.Concat(copies.Take(third).Select(r => r.ToJsonString() + "\n"));
        paths.Add(Path.Combine(dir, "a.jsonl"));
        File.WriteAllText(paths[^1], lines);

        paths.Add(Path.Combine(dir, "b.jsonl.gz"));
        using (var gzip = new GZipStream(File.Create(paths[^1]), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(string.Concat(copies.Skip(third).Take(third).Select(r => r.ToJsonString() + "\r\n"))));
        }

        paths.Add(Path.Combine(dir, "c.json"));
        File.WriteAllText(paths[^1], new JsonArray([.. copies.Skip(2 * third).Select(r => (JsonNode)r)]).ToJsonString());

        // A second plain JSON Lines file, longer, so that ranges fall inside lines of a file that is not the first.
        paths.Add(Path.Combine(dir, "d.jsonl"));
        File.WriteAllText(paths[^1], lines + lines);
        return [.. paths];
    }

    /// <summary>Every table's rows as text, one line per row: column=value pairs sorted by column name.</summary>
    private static Dictionary<string, List<string>> Rows(JsonInput input, TransmogOptions options)
    {
        using FlattenResult result = JsonFlattener.Flatten(input, "data", options);
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (FlattenedTable table in result.AllTables)
        {
            var rows = new List<string>();
            foreach (IReadOnlyDictionary<string, object> row in table.Rows)
            {
                rows.Add(string.Join("|", row.OrderBy(c => c.Key, StringComparer.Ordinal)
                    .Select(c => c.Key + "=" + (c.Value is DBNull ? "null" : Convert.ToString(c.Value, System.Globalization.CultureInfo.InvariantCulture) + ":" + c.Value.GetType().Name))));
            }

            if (rows.Count > 0)
            {
                tables[table.Name] = rows;
            }
        }

        return tables;
    }

    /// <summary>Tables (name, parent) and columns (name, type, role) in order; row counts are not compared.</summary>
    private static string SchemaDifference(TransmogSchema expected, TransmogSchema actual)
    {
        static string Text(TransmogSchema schema) => string.Join("\n", schema.Tables.Select(t =>
            $"{t.Name}<{t.ParentName}>: " + string.Join(", ", t.Columns.Select(c => $"{c.Name} {c.Type} {c.Role}"))));
        string e = Text(expected);
        string a = Text(actual);
        return e == a ? string.Empty : $"expected\n{e}\nmerged\n{a}";
    }

    private static string Differences(Dictionary<string, List<string>> expected, Dictionary<string, List<string>> actual)
    {
        if (!expected.Keys.Order(StringComparer.Ordinal).SequenceEqual(actual.Keys.Order(StringComparer.Ordinal)))
        {
            return $"tables [{string.Join(", ", expected.Keys)}] != [{string.Join(", ", actual.Keys)}]";
        }

        foreach ((string table, List<string> rows) in expected)
        {
            List<string> a = [.. actual[table].Order(StringComparer.Ordinal)];
            List<string> e = [.. rows.Order(StringComparer.Ordinal)];
            if (!a.SequenceEqual(e))
            {
                string missing = e.Except(a).FirstOrDefault() ?? "(none)";
                string extra = a.Except(e).FirstOrDefault() ?? "(none)";
                return $"table {table}: {e.Count} rows expected, {a.Count} in the union; missing {missing}; extra {extra}";
            }
        }

        return string.Empty;
    }
}
