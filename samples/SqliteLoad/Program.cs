// Loads every table of the sample into an SQLite file in one transaction (prepared inserts), then queries it.
// Run: dotnet run --project samples/SqliteLoad [-- INPUT.jsonl [DATABASE.db]]
using Microsoft.Data.Sqlite;
using Transmog.Data;
using Transmog.Data.Loading;
using Transmog.Samples;

string input = SampleInput.Path(args);
string database = args.Length > 1 ? args[1] : Path.ChangeExtension(input, ".db");
await using var connection = new SqliteConnection($"Data Source={database}");

LoadResult result = await TransmogLoader.LoadAsync(
    JsonInput.FromFile(input),
    connection,
    new LoadOptions { Name = "customers", Mode = LoadMode.Replace, ForeignKeys = true });
foreach (LoadedTable table in result.Tables)
{
    Console.WriteLine($"{table.DatabaseName,-36} {table.RowsInserted,6} rows");
}

await connection.OpenAsync();
await using SqliteCommand top = connection.CreateCommand();
top.CommandText = """
    SELECT c.name_first, COUNT(i._id), ROUND(SUM(i.qty * i.unit_price), 2)
    FROM customers c JOIN customers_orders o ON o._parent_id = c._id JOIN customers_orders_items i ON i._parent_id = o._id
    GROUP BY c._id ORDER BY 3 DESC LIMIT 3
    """;
await using SqliteDataReader rows = await top.ExecuteReaderAsync();
Console.WriteLine($"Top customers in {database}:");
while (await rows.ReadAsync())
{
    Console.WriteLine($"  {rows.GetString(0),-10} {rows.GetInt64(1),3} items {rows.GetDouble(2),9:0.00}");
}
