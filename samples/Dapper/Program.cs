// Dapper maps a flattened table's rows to objects straight from the reader (no database in between).
// Run: dotnet run --project samples/Dapper [-- INPUT.jsonl]
using Dapper;
using Transmog.Data;
using Transmog.Samples;

string input = SampleInput.Path(args);
using TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromFile(input), "customers", "customers_orders");
List<Order> orders = reader.Parse<Order>().ToList();
foreach (var group in orders.GroupBy(o => o.status).OrderBy(g => g.Key))
{
    Console.WriteLine($"{group.Key,-10} {group.Count(),3} orders, total {group.Sum(o => o.total ?? 0),9:0.00}, {group.Count(o => o.shipping_method == "express")} express");
}

#pragma warning disable CA1050, IDE1006, SA1300 // column names as they come from the JSON
internal sealed class Order
{
    public string? order_id { get; set; }

    public string? status { get; set; }

    public double? total { get; set; }

    public string? shipping_method { get; set; }

    public Guid _id { get; set; }

    public Guid _parent_id { get; set; }
}
