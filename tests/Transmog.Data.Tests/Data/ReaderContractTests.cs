using System.Data;
using System.Data.Common;

namespace Transmog.Data.Tests.Data;

public class ReaderContractTests
{
    private const string Json = """[{"i":42,"d":1.5,"m":79228162514264337593543950335,"b":true,"s":"héllo","arr":[1,2]},{"i":-1}]""";

    private static TransmogDataReader Open(string json = Json, string? table = "data", TransmogOptions? options = null) =>
        JsonFlattener.OpenReader(JsonInput.FromString(json), "data", table, options);

    [Fact]
    public void Schema_is_fixed_before_the_first_read()
    {
        using var reader = Open();
        Assert.Equal(8, reader.FieldCount);
        Assert.Equal(["i", "d", "m", "b", "s", "arr", "_id", "_timestamp"], Enumerable.Range(0, 8).Select(reader.GetName));
        Assert.Equal([typeof(long), typeof(double), typeof(decimal), typeof(bool), typeof(string), typeof(string), typeof(Guid), typeof(DateTime)],
            Enumerable.Range(0, 8).Select(reader.GetFieldType));
        Assert.Equal("json", reader.GetDataTypeName(5));
        Assert.True(reader.HasRows);
        Assert.Equal(0, reader.Depth);
        Assert.Equal(-1, reader.RecordsAffected);
    }

    [Fact]
    public void Typed_getters_read_without_conversion_loss()
    {
        using var reader = Open();
        Assert.True(reader.Read());
        Assert.Equal(42L, reader.GetInt64(0));
        Assert.Equal(42, reader.GetInt32(0));
        Assert.Equal(1.5, reader.GetDouble(1));
        Assert.Equal(79228162514264337593543950335m, reader.GetDecimal(2));
        Assert.True(reader.GetBoolean(3));
        Assert.Equal("héllo", reader.GetString(4));
        Assert.Equal("[1,2]", reader.GetString(5));
        Assert.NotEqual(Guid.Empty, reader.GetGuid(6));
        Assert.Equal(DateTimeKind.Utc, reader.GetDateTime(7).Kind);
        Assert.Equal(42L, reader.GetFieldValue<long?>(0));
        Assert.Equal("héllo", reader.GetTextReader(4).ReadToEnd());
        Assert.Equal("héllo"u8.ToArray(), new BinaryReader(reader.GetStream(4)).ReadBytes(100));
        char[] chars = new char[3];
        Assert.Equal(3, reader.GetChars(4, 1, chars, 0, 3));
        Assert.Equal("éll", new string(chars));
        Assert.Equal(5L, reader.GetChars(4, 0, null, 0, 0));
        Assert.Equal(42L, reader["i"]);
        Assert.Equal(42L, reader.GetValue(reader.GetOrdinal("I")));
    }

    [Fact]
    public void Nulls_and_wrong_types_are_clear()
    {
        using var reader = Open();
        reader.Read();
        reader.Read();
        Assert.True(reader.IsDBNull(1));
        Assert.Equal(DBNull.Value, reader.GetValue(1));
        Assert.Null(reader.GetFieldValue<double?>(1));
        Assert.Null(reader.GetFieldValue<string>(4));
        var nullCast = Assert.Throws<InvalidCastException>(() => reader.GetDouble(1));
        Assert.Contains("'d'", nullCast.Message);
        var wrongType = Assert.Throws<InvalidCastException>(() => reader.GetString(0));
        Assert.Contains("'i'", wrongType.Message);
        Assert.Contains("int64", wrongType.Message);
        Assert.Throws<InvalidCastException>(() => reader.GetBoolean(0));
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetOrdinal("nope"));
        Assert.Throws<IndexOutOfRangeException>(() => reader.GetValue(99));
        Assert.Throws<OverflowException>(() => { using var r = Open("""{"i":9223372036854775807}"""); r.Read(); r.GetInt32(0); });
    }

    [Fact]
    public void Getters_before_read_and_after_close_throw()
    {
        var reader = Open();
        Assert.Throws<InvalidOperationException>(() => reader.GetInt64(0));
        reader.Close();
        Assert.True(reader.IsClosed);
        Assert.Throws<InvalidOperationException>(() => reader.Read());
    }

    [Fact]
    public void Values_and_schema_table_for_bulk_consumers()
    {
        using var reader = Open();
        DataTable schema = reader.GetSchemaTable();
        Assert.Equal(8, schema.Rows.Count);
        DataRow id = schema.Rows[6];
        Assert.Equal("_id", id[SchemaTableColumn.ColumnName]);
        Assert.Equal(6, id[SchemaTableColumn.ColumnOrdinal]);
        Assert.True((bool)id[SchemaTableColumn.IsKey]);
        Assert.False((bool)id[SchemaTableColumn.AllowDBNull]);
        Assert.Equal(typeof(Guid), id[SchemaTableColumn.DataType]);
        Assert.Equal("héllo".Length + 1, (int)schema.Rows[4][SchemaTableColumn.ColumnSize]);
        var columns = reader.GetColumnSchema();
        Assert.Equal("uuid", columns[6].DataTypeName);
        reader.Read();
        object[] values = new object[8];
        Assert.Equal(8, reader.GetValues(values));
        Assert.Equal(42L, values[0]);
    }

    [Fact]
    public void All_tables_as_result_sets_main_first()
    {
        using var reader = Open("""{"a":1,"xs":[{"k":1},{"k":2}],"ys":[{"z":{"w":[{"q":1}]}}]}""", table: null);
        var seen = new List<(string, int)>();
        do
        {
            int rows = 0;
            while (reader.Read())
            {
                rows++;
            }

            seen.Add((reader.Table.Name, rows));
        }
        while (reader.NextResult());

        Assert.Equal([("data", 1), ("data_xs", 2), ("data_ys", 1), ("data_ys_z_w", 1)], seen);
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task Async_reads_honour_cancellation()
    {
        await using var reader = Open();
        Assert.True(await reader.ReadAsync());
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(cts.Token));
        Assert.Equal(42L, await reader.GetFieldValueAsync<long>(0));
    }

    [Fact]
    public void Unknown_table_lists_the_tables()
    {
        var ex = Assert.Throws<ArgumentException>(() => Open(table: "nope"));
        Assert.Contains("data", ex.Message);
    }
}
