// Loads every table of the sample into PostgreSQL with binary COPY, parents before children, in one transaction.
// Run: dotnet run --project samples/PostgresCopy -- "Host=localhost;Username=postgres;Password=...;Database=postgres" [INPUT.jsonl]
using Npgsql;
using Transmog.Data;
using Transmog.Data.Loading;
using Transmog.Samples;

string connectionString = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("TRANSMOG_POSTGRES") ?? "Host=localhost;Username=postgres;Database=postgres";
string input = SampleInput.Path(args, 1);
await using var connection = new NpgsqlConnection(connectionString);

var progress = new Progress<LoadProgress>(p => Console.Error.Write($"\r{p.Table}: {p.TableRows} rows   "));
LoadResult result = await TransmogLoader.LoadAsync(
    JsonInput.FromFile(input),
    connection,
    new LoadOptions
    {
        Name = "customers",
        Mode = LoadMode.Append,                                              // records whose id exists are skipped whole...
        Flatten = new TransmogOptions { IdGeneration = IdGeneration.Hash },  // ...and hash ids make reruns idempotent
        ForeignKeys = true,
    },
    progress);
Console.Error.WriteLine();
foreach (LoadedTable table in result.Tables)
{
    Console.WriteLine($"{table.DatabaseName,-36} {table.RowsRead,6} rows read, {table.RowsInserted,6} new");
}
