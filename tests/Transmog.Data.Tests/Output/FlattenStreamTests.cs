using System.Text;
using Parquet;
using Sylvan.Data.Csv;

namespace Transmog.Data.Tests.Output;

public class FlattenStreamTests
{
    [Fact]
    public async Task Sample_flattens_to_csv_files_per_table()
    {
        string dir = Io.TempDirectory();
        var progress = new List<FlattenProgress>();
        IReadOnlyList<string> paths = await JsonFlattener.FlattenStreamAsync(
            JsonInput.FromFile(Repository.SamplePath), dir, "customers", progress: new SyncProgress<FlattenProgress>(progress.Add));
        Assert.Equal(
            ["customers.csv", "customers_orders.csv", "customers_orders_items.csv", "customers_orders_items_discounts.csv"],
            paths.Select(Path.GetFileName));
        Assert.Equal(21, File.ReadAllLines(paths[0]).Length);
        Assert.Contains(progress, p => p.Phase == FlattenPhase.Done && p.Records == 20);
        Assert.Empty(Directory.GetFiles(dir, "*.partial", SearchOption.AllDirectories).Concat(Directory.GetFiles(dir, ".*")));

        using CsvDataReader items = CsvDataReader.Create(paths[2]);
        using CsvDataReader orders = CsvDataReader.Create(paths[1]);
        var orderIds = new HashSet<string>();
        while (orders.Read())
        {
            orderIds.Add(orders.GetString(orders.GetOrdinal("_id")));
        }

        int n = 0;
        while (items.Read())
        {
            Assert.Contains(items.GetString(items.GetOrdinal("_parent_id")), orderIds);
            n++;
        }

        using var inMemory = JsonFlattener.Flatten(JsonInput.FromFile(Repository.SamplePath), "customers");
        Assert.Equal(inMemory["customers_orders_items"].RowCount, n);
    }

    [Fact]
    public async Task Csv_is_rfc4180_with_exact_values()
    {
        string dir = Io.TempDirectory();
        const string json = """[{"s":"a,\"b\"\nc","n":12345678901234567,"d":0.1,"b":false,"x":null,"arr":[1,"x"]},{"s":"é"}]""";
        var paths = await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json), dir, options: new TransmogOptions { TimeField = null, IdGeneration = IdGeneration.Hash });
        string text = File.ReadAllText(paths[0], Encoding.UTF8);
        string[] lines = text.Split('\n');
        Assert.Equal("s,n,d,b,arr,_id", lines[0]);
        Assert.StartsWith("\"a,\"\"b\"\"\nc\",12345678901234567,0.1,false,\"[1,\"\"x\"\"]\",", text[(lines[0].Length + 1)..]);
        Assert.Contains("\né,,,,,", text);
    }

    [Fact]
    public async Task Parquet_files_read_back_with_types()
    {
        string dir = Io.TempDirectory();
        var paths = await JsonFlattener.FlattenStreamAsync(JsonInput.FromFile(Repository.SamplePath), dir, "customers",
            new ParquetFormatOptions { Compression = ParquetCompression.Zstd, RowGroupSize = 7 }, TransmogOptions.ForParquet());
        Assert.All(paths, p => Assert.EndsWith(".parquet", p));
        await using ParquetReader reader = await ParquetReader.CreateAsync(paths[0]);
        Assert.Equal(3, reader.RowGroupCount);
        var idField = reader.Schema.DataFields.First(f => f.Name == "customer_id");
        Assert.Equal(typeof(long), idField.ClrType);
        ParquetRowGroupReader group = reader.OpenRowGroupReader(0);
        var values = new long?[7];
        await group.ReadAsync<long>(idField, values.AsMemory());
        Assert.Equal(1001L, values[0]);
        Assert.Equal(1007L, values[6]);
    }

    [Fact]
    public async Task Skip_mode_writes_rejects_file_with_positions()
    {
        string dir = Io.TempDirectory();
        const string json = "{\"a\":1}\n{\"a\":\n{\"a\":3}\n";
        var paths = await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json), dir, options: TransmogOptions.ErrorTolerant());
        string rejects = Assert.Single(paths, p => p.EndsWith("_rejects.jsonl", StringComparison.Ordinal));
        string line = Assert.Single(File.ReadAllLines(rejects));
        Assert.Contains("\"line\":2", line);
        Assert.Contains("\"raw\":\"{\\\"a\\\":\"", line);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "data.csv")).Length);
    }

    [Fact]
    public async Task Strict_error_leaves_no_output_file()
    {
        string dir = Io.TempDirectory();
        var json = new StringBuilder();
        for (int i = 0; i < 5000; i++)
        {
            json.Append($$"""{"a":{{i}},"xs":[{"k":1}]}""").Append('\n');
        }

        json.Append("{\"a\":\n");
        await Assert.ThrowsAsync<TransmogInputException>(() =>
            JsonFlattener.FlattenStreamAsync(JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString()))), dir,
                options: new TransmogOptions { InferenceWindow = 10, BatchSize = 100 }));
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public async Task Cancellation_leaves_no_output_file()
    {
        string dir = Io.TempDirectory();
        var json = new StringBuilder("[");
        for (int i = 0; i < 50_000; i++)
        {
            json.Append(i == 0 ? "" : ",").Append($$"""{"a":{{i}}}""");
        }

        json.Append(']');
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<FlattenProgress>(p =>
        {
            if (p.Phase == FlattenPhase.Flatten && p.Records > 5000)
            {
                cts.Cancel();
            }
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json.ToString()), dir, progress: progress, cancellationToken: cts.Token));
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public async Task Hostile_table_names_stay_inside_the_output_directory()
    {
        string root = Io.TempDirectory();
        string dir = Path.Combine(root, "out");
        const string json = """{"../../x":[{"a":1}],"CON":[{"a":2}],"a/b":[{"a":3}],"x\"; DROP TABLE y; --":[{"a":4}]}""";
        var paths = await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json), dir, name: "..");
        Assert.Equal(5, paths.Count);
        Assert.All(paths, p => Assert.StartsWith(Path.GetFullPath(dir) + Path.DirectorySeparatorChar, Path.GetFullPath(p)));
        Assert.Empty(Directory.GetFiles(root));
        Assert.Single(Directory.GetDirectories(root));
        Assert.Equal(5, Directory.GetFiles(dir).Length);
    }

    [Fact]
    public void Flatten_result_saves_tables()
    {
        using var result = JsonFlattener.Flatten(JsonInput.FromFile(Repository.SamplePath), "customers");
        string dir = Io.TempDirectory();
        var paths = result.Save(dir);
        Assert.Equal(4, paths.Count);
        var table = result["customers_orders"].ToDataTable();
        Assert.Equal(result["customers_orders"].RowCount, table.Rows.Count);
        Assert.Equal(typeof(Guid), table.Columns["_id"]!.DataType);
    }
}
