namespace Transmog.Benchmarks;

/// <summary>The file format a benchmark mode writes.</summary>
internal enum OutputFormat
{
    Csv,
    Parquet,
}
