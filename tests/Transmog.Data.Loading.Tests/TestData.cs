using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Transmog.Data.Loading.Tests;

/// <summary>Inputs, and the values the flattening readers produce, in a form comparable with what a database returns.</summary>
internal static class TestData
{
    public static readonly string LongKey = new string('k', 70) + "_" + new string('é', 40);

    /// <summary>Keys that break naive quoting, identifier limits and case-insensitive names; values at the edges of their types.</summary>
    public static string HostileJson => string.Join('\n',
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["id"] = 1,
            ["x\"; DROP TABLE y; --"] = "quote",
            ["back`tick"] = "`",
            ["[brack]]ets"] = "]",
            ["Name"] = "upper",
            ["name"] = "lower",
            ["ünïcødé 名前"] = "Zürich 東京 😀",
            ["emoji 😀"] = "e",
            [LongKey] = "long key",
            ["trailing space "] = "t",
            ["semi;colon'quote"] = "it's",
            ["big"] = 9223372036854775807L,
            ["neg"] = -9223372036854775807L - 1,
            ["beyond_double"] = 9007199254740993L,
            ["t"] = true,
            ["n"] = null,
            ["arr"] = new object?[] { 1, "two", null, new[] { 3 } },
            ["items"] = new object[] { new Dictionary<string, object?> { ["k"] = 1, ["weird'quote"] = "q\\\"" }, new Dictionary<string, object?> { ["k"] = 2 } },
        }),
        """{"id": 2, "big": -1, "neg": 0, "beyond": 123456789012345678901234567, "price": 12345678.1234567891, "tiny": 0.0000000001, "t": false, "x\"; DROP TABLE y; --": "", "arr": [], "items": [{"k": 3, "deep": {"er": [{"z": "zz"}]}}]}""",
        """{"id": 3, "price": 0.1, "beyond": -98765432109876543210, "ünïcødé 名前": "line\nbreak\ttab \\ back", "Name": "ÀÉÎ"}""");

    /// <summary>Every table's rows keyed by id: canonical text per column (see <see cref="Canon"/>).</summary>
    public static Dictionary<string, (TransmogTable Table, Dictionary<string, string[]> Rows)> Expected(JsonInput input, string name, TransmogOptions options)
    {
        var result = new Dictionary<string, (TransmogTable, Dictionary<string, string[]>)>();
        using TransmogDataReader reader = JsonFlattener.OpenReader(input, name, null, options);
        do
        {
            TransmogTable table = reader.Table;
            int id = IdOrdinal(table);
            var rows = new Dictionary<string, string[]>();
            while (reader.Read())
            {
                string[] values = new string[reader.FieldCount];
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = Canon(reader.GetValue(i), table.Columns[i].Type);
                }

                rows.Add(values[id], values);
            }

            result[table.Name] = (table, rows);
        }
        while (reader.NextResult());
        return result;
    }

    public static int IdOrdinal(TransmogTable table) => table.Columns.Single(c => c.Role == TransmogColumnRole.Id).Ordinal;

    public static int ParentOrdinal(TransmogTable table) => table.Columns.Single(c => c.Role == TransmogColumnRole.ParentId).Ordinal;

    /// <summary>A value as comparable text, whichever CLR type a provider returns for the column's type.</summary>
    public static string Canon(object? value, TransmogColumnType type)
    {
        if (value is null or DBNull)
        {
            return "<null>";
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        return type switch
        {
            TransmogColumnType.Int64 => Convert.ToInt64(value, c).ToString(c),
            TransmogColumnType.Decimal => (value is string s ? decimal.Parse(s, NumberStyles.Float, c) : Convert.ToDecimal(value, c)).ToString("0.############################", c),
            TransmogColumnType.Double => Convert.ToDouble(value, c).ToString("R", c),
            TransmogColumnType.Boolean => value switch
            {
                bool b => b ? "true" : "false",
                string s => s,
                _ => Convert.ToInt64(value, c) != 0 ? "true" : "false",
            },
            TransmogColumnType.DateTime => value switch
            {
                DateTime d => d.ToString(TransmogDataReader.TimestampFormat, c),
                DateTimeOffset o => o.UtcDateTime.ToString(TransmogDataReader.TimestampFormat, c),
                _ => DateTime.Parse(value.ToString()!, c).ToString(TransmogDataReader.TimestampFormat, c),
            },
            TransmogColumnType.Date => value switch
            {
                DateTime d => d.ToString("yyyy-MM-dd", c),
                DateOnly d => d.ToString("yyyy-MM-dd", c),
                _ => DateOnly.ParseExact(value.ToString()!, "yyyy-MM-dd", c).ToString("yyyy-MM-dd", c),
            },

            // An instant: PostgreSQL, DuckDB and MySQL (UTC in DATETIME) give it back in UTC, SQLite as the text written.
            TransmogColumnType.DateTimeOffset => value switch
            {
                DateTimeOffset o => o.UtcDateTime.ToString(TransmogDataReader.TimestampFormat, c),
                DateTime d => d.ToString(TransmogDataReader.TimestampFormat, c),
                _ => DateTimeOffset.Parse(value.ToString()!, c).UtcDateTime.ToString(TransmogDataReader.TimestampFormat, c),
            },
            TransmogColumnType.Guid => value switch
            {
                Guid g => g.ToString("D"),
                byte[] bytes when bytes.Length == 16 => new Guid(bytes).ToString("D"),
                _ => Guid.Parse(value.ToString()!).ToString("D"),
            },
            TransmogColumnType.Json => CanonJson(JsonNode.Parse(value.ToString()!)),
            _ => value is byte[] raw ? Encoding.UTF8.GetString(raw) : value.ToString()!,
        };
    }

    private static string CanonJson(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => JsonSerializer.Serialize(p.Key) + ":" + CanonJson(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(CanonJson)) + "]",
        _ => node.ToJsonString(),
    };

    public static async Task<long> ScalarAsync(DbConnection connection, string sql)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = await command.ExecuteScalarAsync();
        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Every row of a database table, canonical, keyed by id (columns in the DDL's order, which is the reader's).</summary>
    public static async Task<Dictionary<string, string[]>> RowsAsync(DbConnection connection, string quotedTable, TransmogTable table)
    {
        var rows = new Dictionary<string, string[]>();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM " + quotedTable;
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        Assert.Equal(table.Columns.Count, reader.FieldCount);
        int id = IdOrdinal(table);
        while (await reader.ReadAsync())
        {
            string[] values = new string[reader.FieldCount];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = Canon(reader.IsDBNull(i) ? null : reader.GetValue(i), table.Columns[i].Type);
            }

            rows.Add(values[id], values);
        }

        return rows;
    }
}
