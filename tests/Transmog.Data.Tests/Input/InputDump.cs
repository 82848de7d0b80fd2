using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Transmog.Data.Tests.Input;

/// <summary>Helpers for the input-form tests: a full text dump of a result, and the sample re-laid out.</summary>
internal static class InputDump
{
    /// <summary>Hash ids, one thread: a dump of the result depends on the records only.</summary>
    public static readonly TransmogOptions HashIds = new() { IdGeneration = IdGeneration.Hash, MaxDegreeOfParallelism = 1 };

    /// <summary>Every table, its columns and types, every cell (the timestamp left out).</summary>
    public static string Of(JsonInput input, TransmogOptions? options = null, string name = "data")
    {
        using FlattenResult result = JsonFlattener.Flatten(input, name, options ?? HashIds);
        return Of(result);
    }

    public static string Of(FlattenResult result)
    {
        var sb = new StringBuilder();
        foreach (FlattenedTable table in result.AllTables)
        {
            sb.Append("# ").Append(table.Name).Append(" rows=").Append(table.RowCount).Append('\n');
            foreach (TransmogColumn c in table.Schema.Columns)
            {
                sb.Append(c.Name).Append(':').Append(c.Type).Append(' ');
            }

            sb.Append('\n');
            using TransmogDataReader reader = table.CreateReader();
            while (reader.Read())
            {
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.GetName(i) != "_timestamp")
                    {
                        sb.Append(reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)).Append('|');
                    }
                }

                sb.Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>The sample's records, one JSON object per element.</summary>
    public static string[] SampleLines() => File.ReadAllLines(Repository.SamplePath).Where(l => l.Length > 0).ToArray();

    /// <summary>Each record pretty-printed, one after another, as <c>jq '.[]'</c> writes them.</summary>
    public static string Pretty(IEnumerable<string> lines)
    {
        var options = new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        return string.Concat(lines.Select(l => JsonNode.Parse(l)!.ToJsonString(options) + "\n"));
    }
}
