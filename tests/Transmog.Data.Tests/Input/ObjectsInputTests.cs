using System.Text.Json;
using System.Text.Json.Serialization;

namespace Transmog.Data.Tests.Input;

public sealed record Item(string Sku, int Qty, double Price);

public sealed record Order(int Id, string Customer, Address? Ship, List<Item> Items, string[] Tags);

public sealed record Address(string City, string? Zip);

[JsonSerializable(typeof(Order))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
public sealed partial class OrderContext : JsonSerializerContext;

/// <summary>.NET objects as records (<see cref="JsonInput.FromObjects{T}(IEnumerable{T}, System.Text.Json.Serialization.Metadata.JsonTypeInfo{T})"/>).</summary>
public class ObjectsInputTests
{
    private static IEnumerable<Order> Orders(int count, Action? onEach = null)
    {
        for (int i = 0; i < count; i++)
        {
            onEach?.Invoke();
            yield return new Order(i, "c" + (i % 7), i % 3 == 0 ? null : new Address("Zürich", i % 2 == 0 ? null : "80" + i),
                [.. Enumerable.Range(0, i % 4).Select(k => new Item("s" + k, k, k * 1.5))], i % 5 == 0 ? [] : ["a", "b"]);
        }
    }

    [Fact]
    public void Objects_flatten_as_their_json_text_does()
    {
        List<Order> orders = [.. Orders(50)];
        string json = string.Join("\n", orders.Select(o => JsonSerializer.Serialize(o)));
        Assert.Equal(InputDump.Of(JsonInput.FromString(json)), InputDump.Of(JsonInput.FromObjects(orders)));
        Assert.Equal(InputDump.Of(JsonInput.FromString(json)), InputDump.Of(JsonInput.FromObjects(Orders(50)), InputDump.HashIds with { MaxDegreeOfParallelism = 3, ChunkBytes = 300 }));
    }

    [Fact]
    public void A_source_generated_context_names_the_columns()
    {
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromObjects(Orders(10), OrderContext.Default.Order), "orders");
        Assert.Contains(result.Main.Schema.Columns, c => c.Name == "ship_city");
        Assert.Equal(13, result["orders_items"].RowCount); // i % 4 items for i in 0..9
    }

    [Fact]
    public void A_lazy_sequence_is_read_as_it_is_flattened_never_listed()
    {
        int produced = 0;
        var options = new TransmogOptions { InferenceWindow = 100, MaxDegreeOfParallelism = 1, BatchSize = 10 };
        using TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromObjects(Orders(1_000_000, () => produced++)), "orders", table: "orders", options: options);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(reader.Read());
        }

        Assert.InRange(produced, 10, 10_000);
    }

    [Fact]
    public async Task Async_objects()
    {
        static async IAsyncEnumerable<Order> Produce()
        {
            foreach (Order o in Orders(30))
            {
                await Task.Yield();
                yield return o;
            }
        }

        string dir = Io.TempDirectory();
        IReadOnlyList<string> files = await JsonFlattener.FlattenStreamAsync(JsonInput.FromObjects(Produce(), OrderContext.Default.Order), dir, "orders");
        Assert.Equal(31, File.ReadAllLines(files[0]).Length);
    }

    [Fact]
    public void Objects_that_are_not_json_objects_are_errors_naming_the_record()
    {
        var error = Assert.Throws<TransmogInputException>(() => InputDump.Of(JsonInput.FromObjects<object?>([new { a = 1 }, 5, null])));
        Assert.Equal(2, error.Line);
        Assert.Contains("Expected JSON object on line 2, got number", error.Message, StringComparison.Ordinal);
    }
}
