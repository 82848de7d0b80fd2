using System.Text;

namespace Transmog.Data.Tests.Flattening;

public class SchemaTests
{
    private static JsonInput Stream(string text) => JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Full_scan_knows_every_column_and_count()
    {
        TransmogSchema schema = JsonFlattener.ReadSchema(JsonInput.FromString("{\"a\":1}\n{\"b\":\"x\"}\n{\"a\":2.5,\"xs\":[{\"k\":1}]}"));
        Assert.Equal(["a", "b", "_id", "_timestamp"], schema.Tables[0].Columns.Select(c => c.Name));
        Assert.Equal(TransmogColumnType.Double, schema.Tables[0].Columns[0].Type);
        Assert.Equal(3, schema.Tables[0].RowCount);
        Assert.Equal(1, schema.Find("data_xs")!.RowCount);
    }

    [Fact]
    public void Window_inference_rejects_drift_with_a_clear_error()
    {
        var options = new TransmogOptions { InferenceWindow = 2 };
        var ex = Assert.Throws<TransmogSchemaDriftException>(() => JsonFlattener.Flatten(Stream("{\"a\":1}\n{\"a\":2}\n{\"a\":3,\"new\":true}\n"), "data", options));
        Assert.Equal("new", ex.ColumnName);
        Assert.Equal(3, ex.Line);
        ex = Assert.Throws<TransmogSchemaDriftException>(() => JsonFlattener.Flatten(Stream("{\"a\":1}\n{\"a\":2}\n{\"a\":\"x\"}\n"), "data", options));
        Assert.Contains("does not fit", ex.Message);
    }

    [Fact]
    public void Window_drift_can_send_records_to_rejects()
    {
        var options = new TransmogOptions { InferenceWindow = 1, SchemaDrift = RecoveryMode.Skip };
        using var result = JsonFlattener.Flatten(Stream("{\"a\":1}\n{\"a\":2,\"xs\":[{\"k\":1}]}\n{\"a\":3}\n"), "data", options);
        Assert.Equal([1L, 3L], result.Main.Rows().Select(r => r["a"]));
        Assert.Contains("not in the schema", Assert.Single(result.Rejects).Error);
    }

    [Fact]
    public void Explicit_schema_fixes_tables_and_types()
    {
        var schema = new TransmogSchema([
            new TransmogTable("data", [
                new TransmogColumn("a", TransmogColumnType.Decimal),
                new TransmogColumn("b", TransmogColumnType.String),
                new TransmogColumn("_id", TransmogColumnType.Guid, TransmogColumnRole.Id),
                new TransmogColumn("_timestamp", TransmogColumnType.DateTime, TransmogColumnRole.Timestamp),
            ]),
        ]);
        using var result = TestData.Flatten("""[{"a":1,"b":"x"},{"a":2}]""", new TransmogOptions { Schema = schema });
        Assert.Equal(TransmogColumnType.Decimal, result.Main.Schema.Columns[0].Type);
        Assert.Equal(2m, result.Main.Rows()[1]["a"]);
        Assert.Throws<TransmogSchemaDriftException>(() => TestData.Flatten("""[{"a":1,"c":1}]""", new TransmogOptions { Schema = schema }));
    }

    [Fact]
    public void Full_scan_is_refused_for_a_stream()
    {
        Assert.Throws<ArgumentException>(() => JsonFlattener.Flatten(Stream("{}"), "data", new TransmogOptions { SchemaInference = SchemaInference.FullScan }));
    }
}
