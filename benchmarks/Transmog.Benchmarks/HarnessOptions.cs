using System.Globalization;

namespace Transmog.Benchmarks;

/// <summary>The harness's command line (parent and child invocations share it).</summary>
internal sealed class HarnessOptions
{
    public const string Usage = """
        Transmog.Data throughput harness.

        dotnet run -c Release --project benchmarks/Transmog.Benchmarks -- [options]

          --size SIZE          input size per shape: 100MB (default), 1GB, 500MB, 20MB ... (MB = 10^6 bytes)
          --shape NAME         customers | tweets | customers-array | tweets-envelope | tweets-pretty | all (default: all = customers and tweets,
                               plus customers-array with --array); tweets-envelope: the tweets in one {"statuses":[...]}
                               envelope (RecordsPath statuses); tweets-pretty: pretty-printed objects one after another;
                               may be repeated or comma-separated
          --array              also generate customers as one top-level JSON array (the array record path)
          --modes LIST         raw,readers,csv,parquet (default: all four); also one-table, sequential,
                               rescan, concurrent (the consumption modes of DESIGN.md section 3), and
                               scan (flattening alone: the schema scan, no row kept)
          --repeat N           runs per measurement, best time kept (default 3)
          --preset NAME        TransmogOptions for readers/csv/parquet: performance (default, ForPerformance()),
                               memory (ForMemory()), default (TransmogOptions.Default)
          --threads N          flattening threads (TransmogOptions.MaxDegreeOfParallelism; default: every core)
          --seed N             generator seed (default 42)
          --corpus DIR         the real-data corpus (default: <repo>/../shared/corpus); tweets need twitter.json
          --data-dir DIR       where inputs are generated and outputs written (default: <temp>/transmog-bench)
          --keep               keep the generated inputs (a later run with the same size and seed reuses them)
          --stream             generate each input while it is measured instead of into a file: a thread in the
                               measuring process runs the same generator (same seed, same bytes) into a bounded
                               in-memory pipe (about 1 MB) that the library reads as a Stream, so sizes beyond the
                               free disk space (10GB) can be measured; the library then infers the schema from its
                               inference window (a stream is read once). Modes: all but rescan
          --process            whole-process mode: each measurement is a fresh `transmog flatten` process with the
                               shipped settings (its runtimeconfig, the CLI's defaults), timed from start to exit
                               with /usr/bin/time (CPU, peak RSS), beside a fresh raw-scan process on the same file;
                               --size may list several sizes (10MB,100MB,1GB); modes raw,csv,parquet; --repeat N
                               fresh processes each (the first run is reported, and the best); also modes schema
                               (transmog schema: the shard plan's schema step) and shards (--shards N concurrent
                               transmog flatten --shard K/N processes)
          --load LIST          load mode: postgres,mariadb,sqlite,duckdb (or all): per input (default shape customers),
                               the database's own bulk ingest of the CSV files `transmog flatten` makes of it (psql
                               \copy, mariadb LOAD DATA LOCAL INFILE, sqlite3 .import, DuckDB COPY in a child process)
                               against a fresh `transmog load` process, each into a fresh database; PostgreSQL and
                               MariaDB are private servers started for the run; --size may list several sizes;
                               --repeat N rounds (default 3), the best of each side is reported
          --shards N           processes of the shards mode (default 2)
          --cli PATH           the transmog executable for --process (default: src/Transmog.Cli/bin/Release/net10.0)
          --cli-args "ARGS"    extra arguments for every transmog flatten of --process (e.g. "--preset performance"),
                               or for every transmog load of --load
          --out FILE           also write the Markdown report to FILE
          --timeout SECONDS    per measurement child process (default 3600)
          --micro [BDN ARGS]   run the BenchmarkDotNet micro-benchmarks instead (e.g. --micro --filter *)
          --help

        Internal (the parent re-invokes itself once per measurement):
          --measure MODE --file PATH --name NAME [--repeat N] [--preset NAME] [--data-dir DIR]
          --measure MODE --stream --shape NAME --size SIZE --seed N [--corpus DIR] --name NAME [...]
          --duckdb-ingest DB SCRIPT   (--load duckdb) run the DDL and COPY statements of SCRIPT in the DuckDB file DB
        """;

    public static readonly string[] AllModes = ["raw", "readers", "csv", "parquet"];

    /// <summary>The modes of the whole-process mode: the raw scan process, then <c>transmog flatten</c> to CSV and Parquet.</summary>
    public static readonly string[] ProcessModes = ["raw", "csv", "parquet"];

    /// <summary>
    /// Every whole-process mode: the defaults plus <c>schema</c> (<c>transmog schema</c>: the shard plan's schema step,
    /// flattening with no output) and <c>shards</c> (<c>--shards N</c> concurrent <c>transmog flatten --shard K/N</c>
    /// processes to CSV part files; wall time until the last exits, CPU summed, peak RSS the largest).
    /// </summary>
    public static readonly string[] KnownProcessModes = [.. ProcessModes, "schema", "shards"];

    /// <summary>The databases of the load mode (<c>--load</c>), in the order given.</summary>
    public static readonly string[] LoadTargetNames = ["postgres", "mariadb", "sqlite", "duckdb"];

    /// <summary>Load mode: the databases to compare <c>transmog load</c> with their own bulk ingest in; empty: not the load mode.</summary>
    public List<string> LoadTargets { get; } = [];

    /// <summary>The number of concurrent shard processes of the <c>shards</c> mode.</summary>
    public int Shards { get; private set; } = 2;

    /// <summary>Every mode the harness knows: the default four plus the other ways of consuming the tables.</summary>
    public static readonly string[] KnownModes = [.. AllModes, "one-table", "sequential", "rescan", "concurrent", "scan"];

    public long SizeBytes { get; set; } = 100_000_000;

    public string SizeLabel { get; set; } = "100MB";

    /// <summary>Every size given (<c>--size 10MB,100MB,1GB</c>); the whole-process mode runs each.</summary>
    public List<string> SizeLabels { get; } = [];

    /// <summary>Whole-process mode: a fresh <c>transmog</c> process per measurement.</summary>
    public bool Process { get; private set; }

    /// <summary>The <c>transmog</c> executable for <see cref="Process"/>; default the Release build in the repository.</summary>
    public string? CliPath { get; private set; }

    /// <summary>Extra arguments for every <c>transmog flatten</c> of <see cref="Process"/>.</summary>
    public string CliArgs { get; private set; } = "";

    public List<string> Shapes { get; } = [];

    public bool Array { get; private set; }

    public List<string> Modes { get; } = [];

    public int Repeat { get; private set; } = 3;

    public int Seed { get; private set; } = 42;

    public string Preset { get; private set; } = "performance";

    /// <summary>Flattening threads (<see cref="Transmog.Data.TransmogOptions.MaxDegreeOfParallelism"/>); null: the library's default.</summary>
    public int? Threads { get; private set; }

    public string? CorpusDirectory { get; private set; }

    public string? DataDirectory { get; private set; }

    public bool Keep { get; private set; }

    /// <summary>Generate each input while it is read, into an in-memory pipe, instead of into a file.</summary>
    public bool Stream { get; private set; }

    public string? OutFile { get; private set; }

    public int TimeoutSeconds { get; private set; } = 3600;

    public bool Help { get; private set; }

    // Child invocation.
    public string? Measure { get; private set; }

    public string? File { get; private set; }

    public string Name { get; private set; } = "data";

    public static HarnessOptions Parse(string[] args)
    {
        var o = new HarnessOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value.");
            switch (a)
            {
                case "--size":
                    o.SizeLabels.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    o.SizeLabel = o.SizeLabels[0];
                    o.SizeBytes = ParseSize(o.SizeLabel);
                    break;
                case "--process":
                    o.Process = true;
                    break;
                case "--cli":
                    o.CliPath = Next();
                    break;
                case "--cli-args":
                    o.CliArgs = Next();
                    break;
                case "--load":
                    foreach (string target in Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        string name = target is "mysql" ? "mariadb" : target is "postgresql" ? "postgres" : target;
                        o.LoadTargets.AddRange(name == "all" ? LoadTargetNames : [name]);
                    }

                    break;
                case "--shards":
                    o.Shards = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--shape":
                    o.Shapes.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--array":
                    o.Array = true;
                    break;
                case "--modes":
                case "--mode":
                    o.Modes.AddRange(Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                    break;
                case "--repeat":
                    o.Repeat = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture));
                    break;
                case "--threads":
                    o.Threads = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--preset":
                    o.Preset = Next();
                    if (!Presets.Names.Contains(o.Preset))
                    {
                        throw new ArgumentException($"Unknown preset '{o.Preset}'.");
                    }

                    break;
                case "--seed":
                    o.Seed = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--corpus":
                    o.CorpusDirectory = Next();
                    break;
                case "--data-dir":
                    o.DataDirectory = Next();
                    break;
                case "--keep":
                    o.Keep = true;
                    break;
                case "--stream":
                    o.Stream = true;
                    break;
                case "--out":
                    o.OutFile = Next();
                    break;
                case "--timeout":
                    o.TimeoutSeconds = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--measure":
                    o.Measure = Next();
                    break;
                case "--file":
                    o.File = Next();
                    break;
                case "--name":
                    o.Name = Next();
                    break;
                case "--help":
                case "-h":
                    o.Help = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{a}'.");
            }
        }

        foreach (string target in o.LoadTargets)
        {
            if (!LoadTargetNames.Contains(target))
            {
                throw new ArgumentException($"Unknown database '{target}' for --load (postgres, mariadb, sqlite, duckdb or all).");
            }
        }

        if (o.LoadTargets.Count > 0)
        {
            // The load mode runs whole processes (several sizes allowed); its input defaults to the customers shape.
            o.Process = true;
            List<string> targets = [.. o.LoadTargets.Distinct()];
            o.LoadTargets.Clear();
            o.LoadTargets.AddRange(targets);
            if (o.Shapes.Count == 0)
            {
                o.Shapes.Add("customers");
            }
        }

        if (o.Shapes.Count == 0 || o.Shapes.Contains("all"))
        {
            o.Shapes.Clear();
            o.Shapes.Add("customers");
            if (o.Array)
            {
                o.Shapes.Add("customers-array");
            }

            o.Shapes.Add("tweets");
        }
        else if (o.Array && o.Shapes.Contains("customers") && !o.Shapes.Contains("customers-array"))
        {
            o.Shapes.Insert(o.Shapes.IndexOf("customers") + 1, "customers-array");
        }

        foreach (string s in o.Shapes)
        {
            if (s is not ("customers" or "customers-array" or "tweets" or "tweets-envelope" or "tweets-pretty"))
            {
                throw new ArgumentException($"Unknown shape '{s}'.");
            }
        }

        foreach (string size in o.SizeLabels)
        {
            ParseSize(size);
        }

        if (o.SizeLabels.Count == 0)
        {
            o.SizeLabels.Add(o.SizeLabel);
        }

        if (o.SizeLabels.Count > 1 && !o.Process && o.Measure is null)
        {
            throw new ArgumentException("Several sizes (--size A,B) need --process; run the in-process harness once per size.");
        }

        if (o.Modes.Count == 0)
        {
            o.Modes.AddRange(o.Process ? ProcessModes : AllModes);
        }

        foreach (string m in o.Modes)
        {
            if (o.Process ? !KnownProcessModes.Contains(m) : !KnownModes.Contains(m))
            {
                throw new ArgumentException($"Unknown mode '{m}'.");
            }
        }

        if (o.Stream && o.Modes.Contains("rescan"))
        {
            throw new ArgumentException("--stream cannot run the rescan mode: it re-reads the input once per table, and a stream can be read once.");
        }

        return o;
    }

    /// <summary>"100MB", "1GB", "512KB", "12345" (bytes); decimal units.</summary>
    public static long ParseSize(string text)
    {
        string t = text.Trim().ToUpperInvariant();
        long unit = 1;
        foreach ((string suffix, long factor) in new[] { ("GB", 1_000_000_000L), ("MB", 1_000_000L), ("KB", 1_000L), ("B", 1L) })
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                unit = factor;
                t = t[..^suffix.Length];
                break;
            }
        }

        double value = double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);
        long bytes = (long)(value * unit);
        return bytes > 0 ? bytes : throw new ArgumentException($"Invalid size '{text}'.");
    }
}
