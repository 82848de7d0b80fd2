using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Transmog.Benchmarks.Generators;
using Transmog.Data;

namespace Transmog.Benchmarks;

/// <summary>What one measurement child reports (one JSON line prefixed with <see cref="Measurement.Prefix"/>).</summary>
internal sealed class MeasurementResult
{
    public string Mode { get; set; } = "";

    public string File { get; set; } = "";

    public long InputBytes { get; set; }

    /// <summary>Best wall time over the repeats.</summary>
    public double Seconds { get; set; }

    public double[] AllSeconds { get; set; } = [];

    /// <summary>CPU time (user + system, all threads) of the best run, in seconds.</summary>
    public double CpuSeconds { get; set; }

    /// <summary>Rows of all tables (readers), or tokens (raw); 0 when the mode cannot count them.</summary>
    public long Rows { get; set; }

    public long Tokens { get; set; }

    public int Tables { get; set; }

    /// <summary>Managed bytes allocated by the best run.</summary>
    public long AllocatedBytes { get; set; }

    /// <summary><c>Process.PeakWorkingSet64</c> of the child at the end (all repeats).</summary>
    public long PeakWorkingSet { get; set; }

    /// <summary>The child's peak working set before the measured work started (runtime, JIT, the harness).</summary>
    public long BaselineWorkingSet { get; set; }

    /// <summary>Largest managed heap seen after a run (<c>GC.GetGCMemoryInfo</c>), to tell managed from native growth.</summary>
    public long PeakGcHeapBytes { get; set; }

    /// <summary>
    /// Largest working set sampled during the runs (every 10 ms, <see cref="Environment.WorkingSet"/>); with the GC
    /// numbers sampled at the same moment it tells what the peak is made of.
    /// </summary>
    public long SampledPeakWorkingSet { get; set; }

    /// <summary>Managed heap in use (<c>GC.GetTotalMemory(false)</c>: live objects and garbage not yet collected) at the sampled peak.</summary>
    public long GcHeapAtPeak { get; set; }

    /// <summary>Memory the GC had committed (<c>GC.GetGCMemoryInfo().TotalCommittedBytes</c>, as of the last GC) at the sampled peak.</summary>
    public long GcCommittedAtPeak { get; set; }

    /// <summary>Largest <c>GC.GetTotalMemory(false)</c> sampled during the runs.</summary>
    public long SampledPeakGcHeap { get; set; }

    public int Gen0 { get; set; }

    public int Gen1 { get; set; }

    public int Gen2 { get; set; }

    /// <summary>Records generated (<c>--stream</c>: the input is generated during the run), 0 for a file.</summary>
    public long Records { get; set; }

    /// <summary>Managed bytes allocated by the generator thread of a streamed input in the best run (not included in <see cref="AllocatedBytes"/>).</summary>
    public long GeneratorAllocatedBytes { get; set; }

    /// <summary>Bytes written (CSV/Parquet files), 0 otherwise.</summary>
    public long OutputBytes { get; set; }

    public string? Files { get; set; }

    public long Checksum { get; set; }

    /// <summary>
    /// CPU used by other processes during the best run, in cores (from /proc/stat minus this process's CPU time):
    /// the machine is shared, so a result measured next to other work is marked.
    /// </summary>
    public double OthersCores { get; set; }

    public string Preset { get; set; } = "";

    public string? Error { get; set; }
}

[JsonSerializable(typeof(MeasurementResult))]
internal sealed partial class MeasurementJson : JsonSerializerContext
{
}

/// <summary>
/// The child side: runs one mode on one file (or, with <c>--stream</c>, on an input generated while it is read)
/// <c>repeat</c> times and prints the numbers.
/// </summary>
internal static class Measurement
{
    public const string Prefix = "TRANSMOG-BENCH-RESULT ";

    public static int Run(HarnessOptions options)
    {
        string mode = options.Measure!;
        string file = options.Stream
            ? StreamLabel(options.Shapes[0], options.SizeLabel)
            : options.File ?? throw new ArgumentException("--measure needs --file (or --stream --shape NAME).");
        var result = new MeasurementResult { Mode = mode, File = file, InputBytes = options.Stream ? options.SizeBytes : new FileInfo(file).Length };
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        result.BaselineWorkingSet = process.PeakWorkingSet64;
        var times = new List<double>();
        TransmogOptions preset = Presets.Get(options.Preset) with { MaxDegreeOfParallelism = options.Threads };
        if (options.Name == "tweets-envelope")
        {
            // The tweets inside one {"search_metadata":..., "statuses":[...]} envelope.
            preset = preset with { RecordsPath = "statuses" };
        }

        result.Preset = options.Preset;
        using var sampler = new MemorySampler();
        try
        {
            double best = double.MaxValue;
            for (int i = 0; i < options.Repeat; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                process.Refresh();
                (long busy0, long total0) = MachineCpu.Read();
                TimeSpan cpu0 = process.TotalProcessorTime;
                long alloc0 = GC.GetTotalAllocatedBytes(precise: true);
                var watch = Stopwatch.StartNew();
                var run = new MeasurementResult();

                // A streamed input is generated on a thread of its own while the mode reads it (once).
                using (StreamedInput? streamed = options.Stream ? StreamedInput.Start(options.Shapes[0], options.SizeBytes, options.Seed, options.CorpusDirectory) : null)
                {
                    JsonInput input = streamed is null ? JsonInput.FromFile(file) : JsonInput.FromStream(streamed.Stream, leaveOpen: true);
                    switch (mode)
                    {
                        case "raw":
                            if (streamed is null)
                            {
                                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
                                RawScan(stream, run);
                            }
                            else
                            {
                                RawScan(streamed.Stream, run);
                            }

                            break;
                        case "scan":
                            // Flattening alone: the schema scan reads and flattens every record and keeps no row.
                            run.Tables = JsonFlattener.ReadSchema(input, options.Name, preset).Tables.Count;
                            break;
                        case "readers":
                            ReadAllTables(input, options.Name, preset, run);
                            break;
                        case "one-table":
                        case "sequential":
                        case "rescan":
                        case "concurrent":
                            ReadTableSet(input, options.Name, preset, mode, run);
                            break;
                        case "csv":
                            WriteFiles(input, options.Name, OutputFormat.Csv, preset, DataDirectory(options), run);
                            break;
                        case "parquet":
                            WriteFiles(input, options.Name, OutputFormat.Parquet, preset, DataDirectory(options), run);
                            break;
                        default:
                            throw new ArgumentException($"Unknown mode '{mode}'.");
                    }

                    if (streamed is not null)
                    {
                        streamed.Finish();
                        result.InputBytes = streamed.Bytes;
                        result.Records = streamed.Records;
                        run.GeneratorAllocatedBytes = streamed.ProducerAllocatedBytes;
                    }
                }

                watch.Stop();
                long allocated = GC.GetTotalAllocatedBytes(precise: true) - alloc0 - run.GeneratorAllocatedBytes;
                process.Refresh();
                TimeSpan cpu = process.TotalProcessorTime - cpu0;
                (long busy1, long total1) = MachineCpu.Read();
                double seconds = watch.Elapsed.TotalSeconds;
                double others = MachineCpu.OthersCores(busy1 - busy0, total1 - total0, cpu.TotalSeconds, seconds);
                times.Add(seconds);
                result.PeakGcHeapBytes = Math.Max(result.PeakGcHeapBytes, GC.GetGCMemoryInfo().HeapSizeBytes);
                if (seconds < best)
                {
                    best = seconds;
                    result.Seconds = seconds;
                    result.CpuSeconds = cpu.TotalSeconds;
                    result.AllocatedBytes = allocated;
                    result.GeneratorAllocatedBytes = run.GeneratorAllocatedBytes;
                    result.Rows = run.Rows;
                    result.Tokens = run.Tokens;
                    result.Tables = run.Tables;
                    result.OutputBytes = run.OutputBytes;
                    result.Files = run.Files;
                    result.Checksum = run.Checksum;
                    result.OthersCores = others;
                }

                Console.Error.WriteLine($"  [{mode}] run {i + 1}/{options.Repeat}: {seconds:F2} s, {result.InputBytes / 1e6 / seconds:F1} MB/s, alloc {allocated / 1e6:F0} MB, other processes {others:F2} cores");
            }
        }
        catch (Exception ex)
        {
            result.Error = ex.GetType().Name + ": " + ex.Message;
            Console.Error.WriteLine(ex);
        }

        sampler.Stop();
        result.SampledPeakWorkingSet = sampler.PeakWorkingSet;
        result.GcHeapAtPeak = sampler.GcHeapAtPeak;
        result.GcCommittedAtPeak = sampler.GcCommittedAtPeak;
        result.SampledPeakGcHeap = sampler.PeakGcHeap;
        process.Refresh();
        result.AllSeconds = [.. times];
        result.PeakWorkingSet = process.PeakWorkingSet64;
        result.Gen0 = GC.CollectionCount(0);
        result.Gen1 = GC.CollectionCount(1);
        result.Gen2 = GC.CollectionCount(2);
        Console.Out.WriteLine(Prefix + JsonSerializer.Serialize(result, MeasurementJson.Default.MeasurementResult));
        Console.Out.Flush();
        return result.Error is null ? 0 : 1;
    }

    /// <summary>How a streamed input is named in the results (it has no file).</summary>
    public static string StreamLabel(string shape, string size) => $"stream:{shape}-{size}";

    private static string DataDirectory(HarnessOptions options) => options.DataDirectory ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "transmog-bench");

    /// <summary>
    /// The ceiling: a <see cref="Utf8JsonReader"/> token scan of the whole input (the file, or the streamed input) over
    /// one pooled buffer, streaming with <see cref="JsonReaderState"/>; <c>AllowMultipleValues</c> reads JSON Lines
    /// (and a single document alike).
    /// </summary>
    internal static void RawScan(Stream file, MeasurementResult run)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var state = new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = 1000 });
            int start = 0;
            int end = 0;
            bool eof = false;
            long tokens = 0;
            while (true)
            {
                if (!eof)
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        // One token larger than the buffer: grow.
                        byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, larger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    int n = file.Read(buffer, end, buffer.Length - end);
                    if (n == 0)
                    {
                        eof = true;
                    }

                    end += n;
                }

                var reader = new Utf8JsonReader(buffer.AsSpan(start, end - start), eof, state);
                while (reader.Read())
                {
                    tokens++;
                }

                start += (int)reader.BytesConsumed;
                state = reader.CurrentState;
                if (eof)
                {
                    break;
                }
            }

            run.Tokens = tokens;
            run.Checksum = tokens;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private enum Getter
    {
        Int64,
        Double,
        Decimal,
        Boolean,
        DateTime,
        Guid,
        String,
    }

    /// <summary>
    /// The other consumption modes of DESIGN.md section 3: one table only (the main table; the others discarded),
    /// or every table through <see cref="TransmogTableSet"/> one after another (spill or rescan) or all at once,
    /// one thread per table.
    /// </summary>
    internal static void ReadTableSet(JsonInput input, string name, TransmogOptions options, string mode, MeasurementResult run)
    {
        long rows = 0;
        long checksum = 0;
        int tables = 0;
        if (mode == "one-table")
        {
            using TransmogDataReader reader = JsonFlattener.OpenReader(input, name, table: name, options);
            ReadCurrentTable(reader, GettersOf(reader), ref rows, ref checksum);
            run.Rows = rows;
            run.Tables = 1;
            run.Checksum = checksum;
            return;
        }

        TableReadMode readMode = mode switch
        {
            "sequential" => TableReadMode.Sequential,
            "rescan" => TableReadMode.Rescan,
            _ => TableReadMode.Concurrent,
        };
        using var set = TransmogTableSet.Open(input, name, options, readMode);
        if (readMode == TableReadMode.Concurrent)
        {
            TransmogDataReader[] readers = [.. set.Tables.Select(t => set.OpenReader(t.Name))];
            (long Rows, long Checksum)[] results = Task.WhenAll(readers.Select(r => Task.Run(() =>
            {
                long n = 0;
                long c = 0;
                using (r)
                {
                    ReadCurrentTable(r, GettersOf(r), ref n, ref c);
                }

                return (n, c);
            }))).GetAwaiter().GetResult();
            foreach ((long n, long c) in results)
            {
                // Not Enumerable.Sum, which is checked: the checksum wraps (18-digit ids overflow it).
                rows += n;
                checksum += c;
            }

            tables = readers.Length;
        }
        else
        {
            foreach (TransmogTable table in set.Tables)
            {
                using TransmogDataReader reader = set.OpenReader(table.Name);
                ReadCurrentTable(reader, GettersOf(reader), ref rows, ref checksum);
                tables++;
            }
        }

        run.Rows = rows;
        run.Tables = tables;
        run.Checksum = checksum;
    }

    private static Getter[] GettersOf(TransmogDataReader reader)
    {
        var getters = new Getter[reader.FieldCount];
        for (int i = 0; i < getters.Length; i++)
        {
            Type t = reader.GetFieldType(i);
            getters[i] = t == typeof(long) ? Getter.Int64
                : t == typeof(double) ? Getter.Double
                : t == typeof(decimal) ? Getter.Decimal
                : t == typeof(bool) ? Getter.Boolean
                : t == typeof(DateTime) ? Getter.DateTime
                : t == typeof(Guid) ? Getter.Guid
                : Getter.String;
        }

        return getters;
    }

    private static void ReadCurrentTable(TransmogDataReader reader, Getter[] getters, ref long rows, ref long checksum)
    {
        while (reader.Read())
        {
            rows++;
            for (int i = 0; i < getters.Length; i++)
            {
                if (reader.IsDBNull(i))
                {
                    continue;
                }

                checksum += getters[i] switch
                {
                    Getter.Int64 => reader.GetInt64(i),
                    Getter.Double => (long)reader.GetDouble(i),
                    Getter.Decimal => (long)reader.GetDecimal(i),
                    Getter.Boolean => reader.GetBoolean(i) ? 1 : 0,
                    Getter.DateTime => reader.GetDateTime(i).Ticks & 0xFF,
                    Getter.Guid => reader.GetGuid(i).GetHashCode() & 0xFF,
                    _ => reader.GetString(i).Length,
                };
            }
        }
    }

    /// <summary>Every table's every row through the typed getters chosen by <c>GetFieldType</c> (no GetValue), across NextResult().</summary>
    internal static void ReadAllTables(JsonInput input, string name, TransmogOptions options, MeasurementResult run)
    {
        long rows = 0;
        long checksum = 0;
        int tables = 0;
        using (TransmogDataReader reader = JsonFlattener.OpenReader(input, name, table: null, options))
        {
            do
            {
                tables++;
                ReadCurrentTable(reader, GettersOf(reader), ref rows, ref checksum);
            }
            while (reader.NextResult());
        }

        run.Rows = rows;
        run.Tables = tables;
        run.Checksum = checksum;
    }

    /// <summary><c>FlattenStreamAsync</c> (with <c>ForPerformance()</c> unless --preset says otherwise) into a fresh directory, deleted afterwards.</summary>
    internal static void WriteFiles(JsonInput input, string name, OutputFormat format, TransmogOptions options, string dataDirectory, MeasurementResult run)
    {
        string output = System.IO.Path.Combine(dataDirectory, $"out-{format.ToString().ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            IReadOnlyList<string> files = JsonFlattener.FlattenStreamAsync(
                input, output, name, format == OutputFormat.Csv ? new CsvFormatOptions() : new ParquetFormatOptions(), options).GetAwaiter().GetResult();
            run.Tables = files.Count;
            run.OutputBytes = files.Sum(f => new FileInfo(f).Length);
            run.Files = string.Join(", ", files.Select(f => $"{System.IO.Path.GetFileName(f)} {new FileInfo(f).Length / 1e6:F1} MB"));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}

/// <summary>
/// Samples the working set and the managed heap every 10 ms on a background thread, keeping the largest working set
/// with the GC figures of the same moment (what the peak is made of) and the largest managed heap.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    // No spinning: a default ManualResetEventSlim spins before each 10 ms wait and so kept a core busy, taking
    // CPU from the very work it measures (the flattening threads on a 2-core machine).
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0);

    public MemorySampler()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "memory sampler" };
        _thread.Start();
    }

    public long PeakWorkingSet { get; private set; }

    public long GcHeapAtPeak { get; private set; }

    public long GcCommittedAtPeak { get; private set; }

    public long PeakGcHeap { get; private set; }

    public void Stop()
    {
        _stop.Set();
        _thread.Join();
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Loop()
    {
        do
        {
            long workingSet = Environment.WorkingSet;
            long heap = GC.GetTotalMemory(forceFullCollection: false);
            PeakGcHeap = Math.Max(PeakGcHeap, heap);
            if (workingSet > PeakWorkingSet)
            {
                PeakWorkingSet = workingSet;
                GcHeapAtPeak = heap;
                GcCommittedAtPeak = GC.GetGCMemoryInfo().TotalCommittedBytes;
            }
        }
        while (!_stop.Wait(10));
    }
}

/// <summary>The option presets the harness can run with (<c>--preset</c>).</summary>
internal static class Presets
{
    public static readonly string[] Names = ["performance", "memory", "default"];

    public static TransmogOptions Get(string name) => name switch
    {
        "performance" => TransmogOptions.ForPerformance(),
        "memory" => TransmogOptions.ForMemory(),
        "default" => TransmogOptions.Default,
        _ => throw new ArgumentException($"Unknown preset '{name}'."),
    };
}

/// <summary>Whole-machine CPU counters from /proc/stat (Linux); zeros elsewhere.</summary>
internal static class MachineCpu
{
    /// <summary>Busy and total jiffies over all CPUs.</summary>
    public static (long Busy, long Total) Read()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            string? line = reader.ReadLine();
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                return (0, 0);
            }

            long[] v = [.. line[4..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => long.Parse(x, System.Globalization.CultureInfo.InvariantCulture))];
            long idle = v[3] + (v.Length > 4 ? v[4] : 0);

            // user nice system idle iowait irq softirq steal (guest time is already in user).
            long total = v.Take(Math.Min(8, v.Length)).Sum();
            return (total - idle, total);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return (0, 0);
        }
    }

    /// <summary>Cores used by other processes on average: the machine's busy share minus this process's CPU.</summary>
    public static double OthersCores(long busy, long total, double ownCpuSeconds, double wallSeconds)
    {
        if (total <= 0 || wallSeconds <= 0)
        {
            return 0;
        }

        double machineBusyCores = (double)busy / total * Environment.ProcessorCount;
        return Math.Max(0, machineBusyCores - (ownCpuSeconds / wallSeconds));
    }
}
