// Every table to a Parquet file (zstd), memory bounded by the batch size whatever the input size.
// Run: dotnet run --project samples/Parquet [-- INPUT.jsonl [OUTDIR]]
using Transmog.Data;
using Transmog.Samples;

string input = SampleInput.Path(args);
string outDirectory = args.Length > 1 ? args[1] : Path.Combine("out", "parquet");

IReadOnlyList<string> files = await JsonFlattener.FlattenStreamAsync(
    JsonInput.FromFile(input),
    outDirectory,
    name: "customers",
    format: new ParquetFormatOptions { Compression = ParquetCompression.Zstd },
    options: TransmogOptions.ForParquet());
foreach (string file in files)
{
    Console.WriteLine($"{file} ({new FileInfo(file).Length} bytes)");
}
