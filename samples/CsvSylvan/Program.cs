// Each table to its own CSV file with Sylvan's CsvDataWriter, reading one table per pass (pure streaming).
// Run: dotnet run --project samples/CsvSylvan [-- INPUT.jsonl [OUTDIR]]
using Sylvan.Data.Csv;
using Transmog.Data;
using Transmog.Samples;

string input = SampleInput.Path(args);
string outDirectory = args.Length > 1 ? args[1] : Path.Combine("out", "csv");
Directory.CreateDirectory(outDirectory);

TransmogSchema schema = JsonFlattener.ReadSchema(JsonInput.FromFile(input), "customers");
foreach (TransmogTable table in schema.Tables)
{
    string path = Path.Combine(outDirectory, table.Name + ".csv");
    using TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromFile(input), "customers", table.Name);
    using (CsvDataWriter csv = CsvDataWriter.Create(path))
    {
        long rows = csv.Write(reader);
        Console.WriteLine($"{path} ({rows} rows)");
    }
}
