using System.Data;
using System.Data.Common;
using Dapper;
using Parquet;
using Sylvan.Data.Csv;

namespace Transmog.Data.Tests.Data;

/// <summary>The real consumers of DESIGN.md section 3, driven against the readers.</summary>
public class ConsumerTests
{
    public sealed class Customer
    {
        public long Customer_Id { get; set; }
        public string? Name_First { get; set; }
        public bool? Active { get; set; }
        public double Score { get; set; }
#pragma warning disable IDE1006 // Named as the columns Dapper maps them to.
        public Guid _Id { get; set; }
        public DateTime _Timestamp { get; set; }
#pragma warning restore IDE1006
    }

    public sealed class Item
    {
        public string Sku { get; set; } = "";
        public long Qty { get; set; }
        public double Unit_Price { get; set; }
#pragma warning disable IDE1006 // Named as the column Dapper maps it to.
        public Guid _Parent_Id { get; set; }
#pragma warning restore IDE1006
    }

    private static TransmogConnection Connect() =>
        new($"Data Source={Repository.SamplePath};Name=customers;Batch Size=7");

    [Fact]
    public void Dapper_queries_main_and_child_tables_into_pocos()
    {
        using var connection = Connect();
        List<Customer> customers = connection.Query<Customer>("customers").ToList();
        Assert.Equal(20, customers.Count);
        Assert.Equal(1001, customers[0].Customer_Id);
        Assert.Equal("Ana", customers[0].Name_First);
        Assert.NotEqual(Guid.Empty, customers[0]._Id);
        List<Item> items = connection.Query<Item>("customers_orders_items", commandType: CommandType.StoredProcedure).ToList();
        Assert.Equal(60, items.Count);
        Assert.Contains(items, i => i.Sku == "SKU-300" && i.Unit_Price == 9.99);
        long count = connection.ExecuteScalar<long>("customers");
        Assert.Equal(1001, count);
    }

    [Fact]
    public void Sylvan_csv_writer_writes_a_reader()
    {
        using var reader = JsonFlattener.OpenReader(JsonInput.FromFile(Repository.SamplePath), "customers", "customers_orders");
        var text = new StringWriter();
        using (var writer = CsvDataWriter.Create(text))
        {
            writer.Write(reader);
        }

        string[] lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(31, lines.Length);
        Assert.StartsWith("order_id,placed_at,status,total,shipping_method,shipping_cost,_id,_parent_id,_timestamp", lines[0]);
    }

    [Fact]
    public void DataTable_and_DataSet_load()
    {
        using (var reader = JsonFlattener.OpenReader(JsonInput.FromFile(Repository.SamplePath), "customers", "customers"))
        {
            var table = new DataTable();
            table.Load(reader);
            Assert.Equal(20, table.Rows.Count);
            Assert.Equal(typeof(long), table.Columns["customer_id"]!.DataType);
        }

        using (var all = JsonFlattener.OpenReader(JsonInput.FromFile(Repository.SamplePath), "customers"))
        {
            var set = new DataSet();
            set.Load(all, LoadOption.OverwriteChanges, "customers", "orders", "items", "discounts");
            Assert.Equal([20, 30, 60, 26], set.Tables.Cast<DataTable>().Select(t => t.Rows.Count));
        }
    }

    [Fact]
    public async Task Parquet_from_a_reader_in_row_groups_of_batch_size()
    {
        var options = new TransmogOptions { BatchSize = 8 };
        using var reader = JsonFlattener.OpenReader(JsonInput.FromFile(Repository.SamplePath), "customers", "customers_orders", options);
        using var stream = new MemoryStream();
        long rows = await Transmog.Data.Output.ParquetTableWriter.WriteAsync(reader, stream, new ParquetFormatOptions(), options.BatchSize, null, CancellationToken.None);
        Assert.Equal(30, rows);
        stream.Position = 0;
        await using ParquetReader parquet = await ParquetReader.CreateAsync(stream);
        Assert.Equal(4, parquet.RowGroupCount);
    }

    [Fact]
    public void SqlBulkCopy_style_reading_with_ordinal_and_named_mappings()
    {
        // SqlBulkCopy reads FieldCount, resolves mappings by GetOrdinal, then per row IsDBNull + GetValue,
        // and for long text columns GetTextReader (EnableStreaming). This reproduces that sequence.
        using var reader = JsonFlattener.OpenReader(JsonInput.FromFile(Repository.SamplePath), "customers", "customers");
        string[] destination = ["_id", "customer_id", "email", "tags", "score"];
        int[] ordinals = destination.Select(reader.GetOrdinal).ToArray();
        Assert.Equal(reader.FieldCount, reader.GetSchemaTable().Rows.Count);
        int rows = 0;
        int nullEmails = 0;
        while (reader.Read())
        {
            foreach (int ordinal in ordinals)
            {
                if (reader.IsDBNull(ordinal))
                {
                    nullEmails += ordinal == ordinals[2] ? 1 : 0;
                    continue;
                }

                object value = reader.GetValue(ordinal);
                Assert.IsType(reader.GetFieldType(ordinal), value);
                if (reader.GetFieldType(ordinal) == typeof(string))
                {
                    Assert.Equal((string)value, reader.GetTextReader(ordinal).ReadToEnd());
                }
            }

            rows++;
        }

        Assert.Equal(20, rows);
        Assert.Equal(2, nullEmails);
    }

    [Fact]
    public void Provider_factory_registers_and_creates_everything()
    {
        DbProviderFactories.RegisterFactory(TransmogFactory.InvariantName, TransmogFactory.Instance);
        DbProviderFactory factory = DbProviderFactories.GetFactory(TransmogFactory.InvariantName);
        using DbConnection connection = factory.CreateConnection()!;
        connection.ConnectionString = $"Data Source={Repository.SamplePath};Name=customers";
        Assert.Same(TransmogFactory.Instance, DbProviderFactories.GetFactory(connection));
        connection.Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "\"customers_orders\"";
        using DbDataReader reader = command.ExecuteReader(CommandBehavior.CloseConnection);
        Assert.True(reader.Read());
        reader.Close();
        Assert.Equal(ConnectionState.Closed, connection.State);
        Assert.IsType<TransmogConnectionStringBuilder>(factory.CreateConnectionStringBuilder());
    }

    [Fact]
    public void Connection_schema_collections()
    {
        using var connection = Connect();
        connection.Open();
        DataTable tables = connection.GetSchema("Tables");
        Assert.Equal(["customers", "customers_orders", "customers_orders_items", "customers_orders_items_discounts"],
            tables.Rows.Cast<DataRow>().Select(r => (string)r["TABLE_NAME"]));
        DataTable columns = connection.GetSchema("Columns", ["customers_orders", null]);
        Assert.Contains(columns.Rows.Cast<DataRow>(), r => (string)r["COLUMN_NAME"] == "_parent_id" && (string)r["DATA_TYPE"] == "uuid");
        Assert.Equal(3, connection.GetSchema().Rows.Count);
        Assert.Throws<ArgumentException>(() => connection.GetSchema("Views"));
    }

    [Fact]
    public async Task Async_open_and_execute_with_all_tables()
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        await using var command = new TransmogCommand("*", connection);
        await using DbDataReader reader = await command.ExecuteReaderAsync(CancellationToken.None);
        int sets = 0;
        do
        {
            sets++;
        }
        while (await reader.NextResultAsync());
        Assert.Equal(4, sets);
    }

    [Fact]
    public void Connection_string_errors_are_clear()
    {
        var unknown = Assert.Throws<ArgumentException>(() => new TransmogConnection("Data Source=x.json;Colour=blue"));
        Assert.Contains("colour", unknown.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Batch Size", unknown.Message);
        var builder = new TransmogConnectionStringBuilder("datasource=a.json;batchsize=5;id generation=hash;time field=none;array mode=separate;preset=csv;threads=3");
        TransmogOptions options = builder.ToOptions();
        Assert.Equal(5, options.BatchSize);
        Assert.Equal(3, options.MaxDegreeOfParallelism);
        Assert.Null(new TransmogConnectionStringBuilder("Data Source=a.json").ToOptions().MaxDegreeOfParallelism);
        Assert.Equal(IdGenerationKind.Hash, options.IdGeneration.Kind);
        Assert.Null(options.TimeField);
        Assert.Equal(ArrayMode.Separate, options.ArrayMode);
        Assert.True(options.StringifyValues);
        Assert.Equal("a.json", builder.DataSource);
        Assert.Throws<ArgumentException>(() => new TransmogConnectionStringBuilder("Batch Size=zero").ToOptions());
        using var missing = new TransmogConnection("Data Source=/nonexistent.json");
        Assert.Throws<ArgumentException>(() => missing.Open());
    }

    [Fact]
    public void A_reader_under_skip_shows_the_records_it_rejected()
    {
        string jsonl = "{\"a\":1}\n{\"a\":\n[1]\n{\"a\":2}\n";
        string file = Path.Combine(Io.TempDirectory(), "bad.jsonl");
        File.WriteAllText(file, jsonl);
        foreach (JsonInput input in new[] { JsonInput.FromFile(file), JsonInput.FromStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(jsonl))) })
        {
            using TransmogDataReader reader = JsonFlattener.OpenReader(input, "data", "data", TransmogOptions.ErrorTolerant());
            int rows = 0;
            while (reader.Read())
            {
                rows++;
            }

            Assert.Equal(2, rows);
            Assert.Equal([2L, 3L], reader.Rejects.Select(r => r.Position.Line));
            Assert.Equal("[1]", reader.Rejects[1].RawText);
        }
    }
}
