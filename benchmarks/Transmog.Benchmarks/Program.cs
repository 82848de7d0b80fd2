using BenchmarkDotNet.Running;
using Transmog.Benchmarks;

// Three entry points in one binary:
//   (default)          the throughput harness: generates inputs, runs each measurement in a child process, reports
//   --measure MODE ... one measurement (the harness's child)
//   --micro [ARGS]     the BenchmarkDotNet micro-benchmarks (ARGS go to BenchmarkSwitcher; default --filter *)
// (and --duckdb-ingest DB SCRIPT: the load mode's child running DuckDB's own CSV import)
if (args.Length > 0 && args[0] == "--micro")
{
    string[] rest = args[1..];
    if (!rest.Any(a => a is "--filter" or "-f" or "--list"))
    {
        rest = [.. rest, "--filter", "*"];
    }

    BenchmarkSwitcher.FromAssembly(typeof(Harness).Assembly).Run(rest);
    return 0;
}

// The load mode's DuckDB ingest: a fresh process that runs DuckDB's own CSV import (internal, see LoadHarness).
if (args.Length == 3 && args[0] == "--duckdb-ingest")
{
    return LoadHarness.DuckDbIngest(args[1], args[2]);
}

HarnessOptions options;
try
{
    options = HarnessOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(HarnessOptions.Usage);
    return 2;
}

if (options.Help)
{
    Console.WriteLine(HarnessOptions.Usage);
    return 0;
}

return options.Measure is not null ? Measurement.Run(options)
    : options.LoadTargets.Count > 0 ? LoadHarness.Run(options)
    : options.Process ? ProcessHarness.Run(options)
    : Harness.Run(options);
