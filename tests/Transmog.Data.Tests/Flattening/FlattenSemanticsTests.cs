namespace Transmog.Data.Tests.Flattening;

public class FlattenSemanticsTests
{
    [Fact]
    public void Nested_objects_become_columns_named_by_path()
    {
        using var result = TestData.Flatten("""{"user":{"name":"A","address":{"city":"X"}},"n":1}""");
        var row = Assert.Single(result.Main.Rows());
        Assert.Equal("A", row["user_name"]);
        Assert.Equal("X", row["user_address_city"]);
        Assert.Equal(1L, row["n"]);
        Assert.Equal(["user_name", "user_address_city", "n", "_id", "_timestamp"], result.Main.Schema.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Separator_option_joins_paths()
    {
        using var result = TestData.Flatten("""{"a":{"b":{"c":1}}}""", new TransmogOptions { Separator = "." });
        Assert.Equal(1L, result.Main.Rows()[0]["a.b.c"]);
    }

    [Fact]
    public void Arrays_of_objects_become_child_tables_linked_by_ids()
    {
        using var result = TestData.Flatten("""{"id":1,"orders":[{"sku":"a","qty":2},{"sku":"b","qty":1}]}""", name: "customers");
        var main = Assert.Single(result.Main.Rows());
        var orders = result["customers_orders"].Rows();
        Assert.Equal(2, orders.Count);
        Assert.All(orders, o => Assert.Equal(main["_id"], o["_parent_id"]));
        Assert.NotEqual(orders[0]["_id"], orders[1]["_id"]);
        Assert.Equal("a", orders[0]["sku"]);
        Assert.Equal(["sku", "qty", "_id", "_parent_id", "_timestamp"], result["customers_orders"].Schema.Columns.Select(c => c.Name));
        Assert.Equal("customers", result["customers_orders"].Schema.ParentName);
    }

    [Fact]
    public void Arrays_inside_items_continue_the_path_and_link_to_the_item()
    {
        using var result = TestData.Flatten("""{"orders":[{"n":1,"items":[{"sku":"x","discounts":[{"pct":5}]}]}]}""", name: "orders");
        var order = Assert.Single(result["orders_orders"].Rows());
        var item = Assert.Single(result["orders_orders_items"].Rows());
        var discount = Assert.Single(result["orders_orders_items_discounts"].Rows());
        Assert.Equal(order["_id"], item["_parent_id"]);
        Assert.Equal(item["_id"], discount["_parent_id"]);
    }

    [Fact]
    public void Array_inside_nested_object_is_named_by_the_whole_sanitized_path()
    {
        using var result = TestData.Flatten("""{"shipping info":{"line-items":[{"a":1}]}}""", name: "orders");
        Assert.Contains("orders_shipping_info_line_items", result.Tables.Keys);
    }

    [Theory]
    [InlineData("my key", "my_key")]
    [InlineData("a-b", "a_b")]
    [InlineData("a..b", "a_b")]
    [InlineData("__x__", "x")]
    [InlineData("1st", "col_1st")]
    [InlineData("***", "unnamed_field")]
    [InlineData("città", "città")]
    [InlineData("a_.b", "a_b")]
    public void Table_names_are_sanitized_like_python(string key, string expected)
    {
        Assert.Equal(expected, Transmog.Data.Flattening.NameSanitizer.Sanitize(key));
    }

    [Fact]
    public void Smart_mode_keeps_primitive_arrays_as_compact_json_text()
    {
        using var result = TestData.Flatten("""{"tags":[ "a" , 1, null, true, 1.50 ],"nested":[[1, 2],[3]]}""");
        var row = result.Main.Rows()[0];
        Assert.Equal("""["a",1,null,true,1.50]""", row["tags"]);
        Assert.Equal("[[1,2],[3]]", row["nested"]);
        Assert.Equal("json", result.Main.Schema.Columns[0].DataTypeName);
        Assert.Empty(result.Tables);
    }

    [Fact]
    public void Smart_mode_mixed_array_puts_primitives_in_value_column()
    {
        using var result = TestData.Flatten("""{"xs":[{"a":1},"s",2,[3,4],null]}""");
        var rows = result["data_xs"].Rows();
        Assert.Equal(4, rows.Count);
        Assert.Equal(1L, rows[0]["a"]);
        Assert.Equal("s", rows[1]["value"]);
        Assert.Equal("2", rows[2]["value"]);
        Assert.Equal("[3,4]", rows[3]["value"]);
    }

    [Fact]
    public void Separate_mode_makes_every_array_a_table()
    {
        using var result = TestData.Flatten("""{"tags":["a","b"]}""", new TransmogOptions { ArrayMode = ArrayMode.Separate });
        var rows = result["data_tags"].Rows();
        Assert.Equal(["a", "b"], rows.Select(r => r["value"]));
        Assert.False(result.Main.Rows()[0].ContainsKey("tags"));
    }

    [Fact]
    public void Inline_mode_keeps_every_array_as_json()
    {
        using var result = TestData.Flatten("""{"xs":[{"a":1},{"b":[2]}]}""", new TransmogOptions { ArrayMode = ArrayMode.Inline });
        Assert.Equal("""[{"a":1},{"b":[2]}]""", result.Main.Rows()[0]["xs"]);
        Assert.Empty(result.Tables);
    }

    [Fact]
    public void Skip_mode_leaves_arrays_out()
    {
        using var result = TestData.Flatten("""{"xs":[{"a":1}],"t":[1],"k":1}""", new TransmogOptions { ArrayMode = ArrayMode.Skip });
        Assert.Equal(["k", "_id", "_timestamp"], result.Main.Schema.Columns.Select(c => c.Name));
        Assert.Empty(result.Tables);
    }

    [Fact]
    public void Empty_arrays_and_objects_produce_nothing()
    {
        using var result = TestData.Flatten("""{"a":[],"b":{},"c":1}""", new TransmogOptions { IncludeNulls = true });
        Assert.Equal(["c", "_id", "_timestamp"], result.Main.Schema.Columns.Select(c => c.Name));
    }

    [Fact]
    public void Nulls_and_empty_strings_are_left_out_by_default()
    {
        using var result = TestData.Flatten("""[{"a":null,"b":"","c":1},{"a":null}]""");
        Assert.Equal(["c", "_id", "_timestamp"], result.Main.Schema.Columns.Select(c => c.Name));
        Assert.Equal(2, result.Main.RowCount);
    }

    [Fact]
    public void IncludeNulls_keeps_null_only_columns()
    {
        using var result = TestData.Flatten("""[{"a":null,"b":"","c":1}]""", new TransmogOptions { IncludeNulls = true });
        Assert.Equal(["a", "b", "c", "_id", "_timestamp"], result.Main.Schema.Columns.Select(c => c.Name));
        var row = result.Main.Rows()[0];
        Assert.False(row.ContainsKey("a"));
        Assert.False(row.ContainsKey("b"));
    }

    [Fact]
    public void StringifyValues_keeps_exact_number_text_and_lowercase_booleans()
    {
        using var result = TestData.Flatten("""{"a":1.50,"b":true,"c":12345678901234567890123,"d":null,"e":"x"}""", new TransmogOptions { StringifyValues = true });
        var row = result.Main.Rows()[0];
        Assert.Equal("1.50", row["a"]);
        Assert.Equal("true", row["b"]);
        Assert.Equal("12345678901234567890123", row["c"]);
        Assert.False(row.ContainsKey("d"));
        Assert.All(result.Main.Schema.Columns.Where(c => c.Role == TransmogColumnRole.Data), c => Assert.Equal(TransmogColumnType.String, c.Type));
    }

    [Fact]
    public void MaxDepth_keeps_deeper_data_as_json_text()
    {
        using var result = TestData.Flatten("""{"a":{"b":{"c":{"d":1}}},"x":1}""", new TransmogOptions { MaxDepth = 2 });
        var row = result.Main.Rows()[0];
        Assert.Equal("""{"c":{"d":1}}""", row["a_b"]);
        Assert.Equal(1L, row["x"]);
    }

    [Fact]
    public void Column_name_conflict_is_an_error_naming_both_paths()
    {
        var ex = Assert.Throws<TransmogInputException>(() => TestData.Flatten("""{"a_b":1,"a":{"b":2}}"""));
        Assert.Contains("a_b", ex.Message);
        Assert.Contains("$.a.b", ex.Message);
        Assert.Contains("$.a_b", ex.Message);
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void Column_name_conflict_last_wins_when_chosen()
    {
        using var result = TestData.Flatten("""{"a_b":1,"a":{"b":2}}""", new TransmogOptions { LastWriteWins = true });
        Assert.Equal(2L, result.Main.Rows()[0]["a_b"]);
    }

    [Fact]
    public void Source_field_named_like_metadata_is_kept()
    {
        using var result = TestData.Flatten("""{"_id":"mine","_timestamp":"t","x":1}""");
        var row = result.Main.Rows()[0];
        Assert.Equal("mine", row["_id_source"]);
        Assert.Equal("t", row["_timestamp_source"]);
        Assert.IsType<Guid>(row["_id"]);
    }

    [Fact]
    public void Metadata_fields_are_configurable_and_timestamp_can_be_disabled()
    {
        using var result = TestData.Flatten("""{"xs":[{"a":1}]}""", new TransmogOptions { IdField = "rid", ParentField = "pid", TimeField = null });
        Assert.Equal(["a", "rid", "pid"], result["data_xs"].Schema.Columns.Select(c => c.Name));
        Assert.DoesNotContain(result.Main.Schema.Columns, c => c.Role == TransmogColumnRole.Timestamp);
    }

    [Fact]
    public void Timestamp_is_one_utc_instant_for_every_row()
    {
        using var result = TestData.Flatten("""[{"xs":[{"a":1},{"a":2}]},{"b":1}]""");
        var stamps = result.AllTables.SelectMany(t => t.Rows()).Select(r => (DateTime)r["_timestamp"]).Distinct().ToList();
        var stamp = Assert.Single(stamps);
        Assert.Equal(DateTimeKind.Utc, stamp.Kind);
        Assert.Equal(0, stamp.Ticks % 10);
        Assert.True((DateTime.UtcNow - stamp).TotalMinutes < 5);
    }

    [Fact]
    public void Optional_array_index_and_root_id()
    {
        using var result = TestData.Flatten("""{"a":[{"b":[{"c":1},{"c":2}]}]}""", new TransmogOptions { IncludeArrayIndex = true, IncludeRootId = true });
        var root = result.Main.Rows()[0];
        var grandchildren = result["data_a_b"].Rows();
        Assert.Equal([0L, 1L], grandchildren.Select(r => r["_array_index"]));
        Assert.All(grandchildren, r => Assert.Equal(root["_id"], r["_root_id"]));
    }

    [Fact]
    public void Empty_object_and_null_items_need_IncludeNulls()
    {
        // Python transmog 2.0.4: {} and null items of an array of objects make rows only with include_nulls.
        using var result = TestData.Flatten("""{"xs":[{},{"a":1},null]}""");
        Assert.Single(result["data_xs"].Rows());
        using var withNulls = TestData.Flatten("""{"xs":[{},{"a":1},null]}""", new TransmogOptions { IncludeNulls = true });
        Assert.Equal(3, withNulls["data_xs"].Rows().Count);
    }

    [Fact]
    public void Same_sanitized_table_name_from_different_parents_gets_a_suffix()
    {
        using var result = TestData.Flatten("""{"a":[{"b":[{"x":1}]}],"a_b":[{"y":2}]}""");
        Assert.Contains("data_a_b", result.Tables.Keys);
        Assert.Contains("data_a_b_2", result.Tables.Keys);
        Assert.Equal("data_a", result["data_a_b"].Schema.ParentName);
        Assert.Equal("data", result["data_a_b_2"].Schema.ParentName);
    }

    [Fact]
    public void Empty_inner_array_item_is_the_text_of_an_empty_array()
    {
        // Python transmog 2.0.4 keeps an empty inner array as the value [] (ragged arrays of arrays).
        using var result = TestData.Flatten("""{"xs":[{"a":1},[ ],[2]]}""");
        var rows = result["data_xs"].Rows();
        Assert.Equal(3, rows.Count);
        Assert.Equal("[]", rows[1]["value"]);
        Assert.Equal("[2]", rows[2]["value"]);
    }
}
