using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Transmog.Data.Schema;

namespace Transmog.Data.Tests.Schema;

public class SchemaFileTests
{
    // Records that name a child table after a collision (data_a_items_2), widen columns late, and add columns late.
    private static readonly string[] Records =
    [
        """{"id":1,"p":1,"big":9007199254740993,"flag":true,"a":[{"k":"x","items":[{"x":1}]}]}""",
        """{"id":2,"p":2,"big":1,"flag":false,"tags":["t"],"a":[{"k":"y"}]}""",
        """{"id":3,"p":2.5,"big":1.5,"flag":3,"a_items":[{"y":1},{"y":2}],"z":"late"}""",
        """{"id":4,"p":7,"a":[{"k":"z","items":[{"x":2,"w":true}]}],"a_items":[{"y":3.5}]}""",
    ];

    private static readonly TransmogOptions Deterministic = new() { IdGeneration = IdGeneration.Hash, TimeField = null };

    private static JsonInput Lines(IEnumerable<string> records) => JsonInput.FromString(string.Join('\n', records) + "\n");

    private static TransmogSchema SchemaOf(IEnumerable<string> records, TransmogOptions? options = null) =>
        JsonFlattener.ReadSchema(Lines(records), "data", options ?? Deterministic);

    private static string Text(TransmogSchema schema) => Encoding.UTF8.GetString(SchemaFile.Write(schema).Span);

    /// <summary>Every table's name and rows, as JSON lines: two runs with equal dumps produced the same output.</summary>
    private static string Dump(FlattenResult result)
    {
        var text = new StringBuilder();
        foreach (FlattenedTable table in result.AllTables)
        {
            text.Append(table.Name).Append(' ').AppendJoin(",", table.Schema.Columns).Append('\n');
            foreach (IReadOnlyDictionary<string, object> row in table.Rows)
            {
                text.Append(JsonSerializer.Serialize(row.ToDictionary(p => p.Key, p => p.Value is DBNull ? null : p.Value.ToString()))).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string Save(TransmogSchema schema)
    {
        string path = Path.Combine(Io.TempDirectory(), "schema.json");
        schema.Save(path);
        return path;
    }

    private static string Edit(string path, Action<JsonObject> edit)
    {
        JsonObject root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(root);
        string edited = Path.Combine(Path.GetDirectoryName(path)!, "edited.json");
        File.WriteAllText(edited, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return edited;
    }

    private static JsonObject Table(JsonObject root, string name) =>
        root["tables"]!.AsArray().Select(t => t!.AsObject()).Single(t => (string?)t["name"] == name);

    [Fact]
    public void The_whole_input_names_a_colliding_table_with_a_suffix()
    {
        TransmogSchema whole = SchemaOf(Records);
        Assert.Equal(["data", "data_a", "data_a_items", "data_a_items_2"], whole.Tables.Select(t => t.Name));
        Assert.Equal("data", whole.Find("data_a_items_2")!.ParentName);
        Assert.Equal("data_a", whole.Find("data_a_items")!.ParentName);
    }

    [Fact]
    public void Save_then_load_gives_the_same_schema()
    {
        TransmogSchema schema = SchemaOf(Records);
        string path = Save(schema);
        TransmogSchema loaded = TransmogSchema.Load(path);
        Assert.Equal(Text(schema), Text(loaded));
        Assert.Equal(Text(schema), File.ReadAllText(path));
        Assert.Equal(["data", "data_a", "data_a_items", "data_a_items_2"], loaded.Tables.Select(t => t.Name));
        Assert.Equal(4, loaded.Tables[0].RowCount);
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));

        string text = File.ReadAllText(path);
        Assert.Contains("\"format\": \"transmog-schema\"", text);
        Assert.Contains("\"version\": 1", text);
        Assert.Contains("""{"name":"big","type":"string","seen":["int64","real","integer-beyond-double"]""", text);
        Assert.Contains("""{"name":"_id","type":"guid","role":"id","seen":["guid"]""", text);
        Assert.Contains("""{"name":"data_a_items","parent":"data_a","array":"items","rows":2, "columns": [""", text);
        Assert.Contains("""{"name":"data_a_items_2","parent":"data","array":"a_items","rows":3, "columns": [""", text);
    }

    [Fact]
    public void Flattening_with_a_saved_schema_gives_the_same_output_as_without()
    {
        using FlattenResult plain = JsonFlattener.Flatten(Lines(Records), "data", Deterministic);
        TransmogSchema loaded = TransmogSchema.Load(Save(plain.Schema));
        using FlattenResult withFile = JsonFlattener.Flatten(Lines(Records), "data", Deterministic with { Schema = loaded });
        Assert.Equal(Dump(plain), Dump(withFile));
    }

    [Fact]
    public void Merging_the_halves_gives_the_schema_of_the_whole()
    {
        TransmogSchema whole = SchemaOf(Records);
        TransmogSchema first = SchemaOf(Records[..2]);
        TransmogSchema second = SchemaOf(Records[2..]);

        // Each half alone names and types differently from the whole.
        Assert.Equal("data_a_items", second.Tables[1].Name);
        Assert.Equal(TransmogColumnType.Int64, first.Tables[0].Columns.Single(c => c.Name == "big").Type);
        Assert.Equal(TransmogColumnType.Double, second.Tables[0].Columns.Single(c => c.Name == "big").Type);

        TransmogSchema merged = TransmogSchema.Merge([first, second]);
        Assert.Equal(Text(whole), Text(merged));
        Assert.Equal(["data", "data_a", "data_a_items", "data_a_items_2"], merged.Tables.Select(t => t.Name));
        TransmogTable main = merged.Tables[0];
        Assert.Equal(["id", "p", "big", "flag", "tags", "z", "_id"], main.Columns.Select(c => c.Name));
        Assert.Equal(TransmogColumnType.Double, main.Columns[1].Type);   // int64 + double
        Assert.Equal(TransmogColumnType.String, main.Columns[2].Type);   // an integer beyond 2^53 + double
        Assert.Equal(TransmogColumnType.String, main.Columns[3].Type);   // boolean + integer
        Assert.Equal(4, main.RowCount);
        Assert.Equal(2, merged.Find("data_a_items")!.RowCount);
        Assert.Equal(3, merged.Find("data_a_items_2")!.RowCount);

        // Through files, and in any order when the schemas carry their shard.
        TransmogSchema fromFiles = TransmogSchema.Merge([TransmogSchema.Load(Save(first)), TransmogSchema.Load(Save(second))]);
        Assert.Equal(Text(whole), Text(fromFiles));
        var shard0 = first.WithShard(0, 2);
        var shard1 = second.WithShard(1, 2);
        Assert.Equal(Text(whole), Text(TransmogSchema.Merge([shard1, shard0])));
    }

    [Fact]
    public void Merging_every_split_gives_the_schema_of_the_whole()
    {
        string whole = Text(SchemaOf(Records));
        for (int a = 0; a <= Records.Length; a++)
        {
            for (int b = a; b <= Records.Length; b++)
            {
                TransmogSchema merged = TransmogSchema.Merge([SchemaOf(Records[..a]), SchemaOf(Records[a..b]), SchemaOf(Records[b..])]);
                Assert.Equal(whole, Text(merged));
            }
        }
    }

    [Fact]
    public void Merging_with_decimal_reals_and_natural_ids_keeps_the_flatteners_rules()
    {
        string[] records =
        [
            """{"n":"a","_id":"r1","v":1}""",
            """{"n":"b","w":1.5,"_id":"r2","v":0.1234567890123456789012345678901}""",
        ];
        var options = new TransmogOptions { IdGeneration = IdGeneration.Natural, RealNumbers = TransmogColumnType.Decimal, TimeField = null };
        TransmogSchema whole = SchemaOf(records, options);
        TransmogSchema merged = TransmogSchema.Merge([SchemaOf(records[..1], options), SchemaOf(records[1..], options)]);
        Assert.Equal(Text(whole), Text(merged));
        Assert.Equal(["n", "_id", "v", "w"], merged.Tables[0].Columns.Select(c => c.Name));
        Assert.Equal(TransmogColumnType.String, merged.Tables[0].Columns[2].Type);  // a real a decimal cannot hold
        Assert.Contains("\"fromInput\":true", Text(merged));
        Assert.Contains("\"realNumbers\": \"decimal\"", Text(merged));

        // A result's schema, and the schema of a run given a file, say which type reals had.
        using FlattenResult result = JsonFlattener.Flatten(Lines(records), "data", options);
        Assert.Equal(Text(whole), Text(result.Schema));
        using FlattenResult withFile = JsonFlattener.Flatten(Lines(records), "data", options with { RealNumbers = TransmogColumnType.Double, Schema = merged });
        Assert.Equal(TransmogColumnType.Decimal, withFile.Schema.RealNumbers);
    }

    [Fact]
    public void Merge_refuses_schemas_that_do_not_fit_together()
    {
        TransmogSchema data = SchemaOf(Records[..1]);
        TransmogSchema other = JsonFlattener.ReadSchema(Lines(Records[..1]), "other", Deterministic);
        Assert.Contains("different entities", Assert.Throws<ArgumentException>(() => TransmogSchema.Merge([data, other])).Message);
        Assert.Throws<ArgumentException>(() => TransmogSchema.Merge([]));

        var s0 = data.WithShard(0, 3);
        var s2 = data.WithShard(2, 3);
        Assert.Contains("shards 1 of 3 are missing", Assert.Throws<ArgumentException>(() => TransmogSchema.Merge([s0, s2])).Message);
        Assert.Contains("given twice", Assert.Throws<ArgumentException>(() => TransmogSchema.Merge([s0, s0, s2])).Message);
        Assert.Contains("are of a shard", Assert.Throws<ArgumentException>(() => TransmogSchema.Merge([s0, data])).Message);
    }

    [Fact]
    public void An_edited_file_types_renames_and_drops_as_written()
    {
        using FlattenResult plain = JsonFlattener.Flatten(Lines(Records), "data", Deterministic);
        string path = Save(plain.Schema);
        string edited = Edit(path, root =>
        {
            JsonObject main = Table(root, "data");
            main["columns"]!.AsArray().Single(c => (string?)c!["name"] == "id")!["type"] = "String";   // any case
            Table(root, "data_a")["name"] = "lines";
            Table(root, "data_a_items")["parent"] = "lines";
            Table(root, "data_a_items")["name"] = "line_items";
        });

        using FlattenResult result = JsonFlattener.Flatten(Lines(Records), "data", Deterministic with { Schema = TransmogSchema.Load(edited) });
        Assert.Equal("1", result.Main.Rows().First()["id"]);
        Assert.Equal(TransmogColumnType.String, result.Main.Schema.Columns[0].Type);
        Assert.Equal(3, result["lines"].RowCount);
        Assert.Equal(2, result["line_items"].RowCount);
        Assert.Equal("lines", result["line_items"].Schema.ParentName);

        // The renamed tables keep their rows' ids, and their children point to them.
        Assert.Equal(plain["data_a"].Rows.Select(r => r["_id"]), result["lines"].Rows.Select(r => r["_id"]));
        Assert.Equal(plain["data_a_items"].Rows.Select(r => r["_id"]), result["line_items"].Rows.Select(r => r["_id"]));
        Assert.Equal(plain["data_a_items"].Rows.Select(r => r["_parent_id"]), result["line_items"].Rows.Select(r => r["_parent_id"]));

        // A column removed: drift, an error by default, a reject under Skip.
        string dropped = Edit(path, root =>
        {
            JsonArray columns = Table(root, "data_a")["columns"]!.AsArray();
            columns.Remove(columns.Single(c => (string?)c!["name"] == "k"));
        });
        TransmogOptions withDropped = Deterministic with { Schema = TransmogSchema.Load(dropped) };
        var drift = Assert.Throws<TransmogSchemaDriftException>(() => JsonFlattener.Flatten(Lines(Records), "data", withDropped));
        Assert.Equal("k", drift.ColumnName);
        using FlattenResult skipped = JsonFlattener.Flatten(Lines(Records), "data", withDropped with { SchemaDrift = RecoveryMode.Skip });
        Assert.Equal([3L], skipped.Main.Rows().Select(r => r["id"]));
        Assert.Equal(3, skipped.Rejects.Count);
        Assert.Contains("Column 'k' of table 'data_a' is not in the schema", skipped.Rejects[0].Error);
    }

    [Fact]
    public void A_table_made_by_hand_finds_its_array_from_its_name()
    {
        var schema = new TransmogSchema([
            new TransmogTable("data", [new TransmogColumn("id", TransmogColumnType.Int64), new TransmogColumn("_id", TransmogColumnType.Guid, TransmogColumnRole.Id)]),
            new TransmogTable("data_a", [
                new TransmogColumn("k", TransmogColumnType.String),
                new TransmogColumn("_id", TransmogColumnType.Guid, TransmogColumnRole.Id),
                new TransmogColumn("_parent_id", TransmogColumnType.Guid, TransmogColumnRole.ParentId),
            ], "data"),
        ]);
        using FlattenResult result = JsonFlattener.Flatten(Lines(["""{"id":2,"a":[{"k":"y"}]}"""]), "data", Deterministic with { Schema = schema });
        Assert.Equal(1, result["data_a"].RowCount);

        var odd = new TransmogSchema([schema.Tables[0], new TransmogTable("lines", [], "data")]);
        var ex = Assert.Throws<ArgumentException>(() => JsonFlattener.Flatten(Lines(Records), "data", Deterministic with { Schema = odd }));
        Assert.Contains("cannot tell which array", ex.Message);
    }

    [Theory]
    [InlineData("""{"format":"transmog-schema","version":2,"tables":[]}""", "version 2 is not supported")]
    [InlineData("""{"format":"other","version":1}""", "\"format\" must be")]
    [InlineData("""{"format":"transmog-schema","version":1,"tables":[{"name":"data","columns":[{"name":"a","type":"float"}]}]}""", "table 'data', column 'a': unknown type 'float'")]
    [InlineData("""{"format":"transmog-schema","version":1,"tables":[{"name":"data","columns":[]},{"name":"data_x","array":"x","columns":[]}]}""", "table 'data_x' needs a \"parent\"")]
    [InlineData("""{"format":"transmog-schema","version":1,"tables":[{"name":"data","columns":[]},{"name":"data_x","parent":"nope","columns":[]}]}""", "names parent 'nope'")]
    [InlineData("""{"format":"transmog-schema","version":1,"tables":[{"name":"data","columns":[{"name":"a","type":"int64","tpye":"x"}]}]}""", "unknown property \"tpye\"")]
    [InlineData("""{"format":"transmog-schema","version":1,"tables":[{"name":"data","columns":[{"name":"a","type":"int64","seen":["int"]}]}]}""", "unknown value kind 'int'")]
    [InlineData("""{"format":"transmog-schema","version":1,"entity":"orders","tables":[{"name":"data","columns":[]}]}""", "\"entity\" is 'orders'")]
    [InlineData("""{"format":"transmog-schema","version":1,"tables":[{"name":"data","columns":[{"name":"a","type":"int64"},{"name":"a","type":"int64"}]}]}""", "two columns named 'a'")]
    [InlineData("""{"format":"transmog-schema",""", "is not valid JSON")]
    public void A_bad_file_is_an_error_naming_the_file_and_the_problem(string text, string expected)
    {
        string path = Path.Combine(Io.TempDirectory(), "bad-schema.json");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<ArgumentException>(() => TransmogSchema.Load(path));
        Assert.Contains("bad-schema.json", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_hand_written_file_with_comments_and_without_seen_is_read()
    {
        string path = Path.Combine(Io.TempDirectory(), "hand.json");
        File.WriteAllText(path, """
            // yesterday's schema, by hand
            { "format": "transmog-schema", "version": 1, "entity": "data",
              "tables": [
                { "name": "data", "comment": "the records", "columns": [
                    { "name": "id", "type": "Decimal" },
                    { "name": "_id", "type": "guid", "role": "ID" },
                ] },
                { "name": "a", "parent": "data", "array": "a", "columns": [ { "name": "k", "type": "string" }, { "name": "_id", "type": "guid", "role": "id" }, { "name": "_parent_id", "type": "guid", "role": "parent_id" } ] },
              ] }
            """);
        TransmogSchema schema = TransmogSchema.Load(path);
        Assert.Equal(TransmogColumnType.Decimal, schema.Tables[0].Columns[0].Type);
        Assert.Equal(TransmogColumnRole.ParentId, schema.Tables[1].Columns[2].Role);
        using FlattenResult result = JsonFlattener.Flatten(Lines(["""{"id":2,"a":[{"k":"y"}]}"""]), "data", Deterministic with { Schema = schema });
        Assert.Equal(2m, result.Main.Rows().Single()["id"]);
        Assert.Equal("y", result["a"].Rows.Single()["k"]);
    }
}
