using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;
using Transmog.Benchmarks.Generators;

namespace Transmog.Benchmarks;

/// <summary>The Markdown report: machine, inputs, one row per shape and mode, targets met or missed.</summary>
internal static class Report
{
    /// <summary>DESIGN.md section 4: throughput as a fraction of the raw scan, and the peak working set.</summary>
    public static double? SpeedTarget(string mode) => mode switch
    {
        "readers" => 0.50,
        "csv" => 0.33,
        "parquet" => 0.25,
        _ => null,
    };

    public const long MemoryTargetBytes = 100_000_000;

    public static string Markdown(HarnessOptions options, List<(InputFile Input, double WarmMBps)> inputs, List<(InputFile Input, MeasurementResult Result)> results)
    {
        var s = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        s.AppendLine(inv, $"## Transmog.Data throughput ({options.SizeLabel} per shape, best of {options.Repeat})");
        s.AppendLine();
        s.AppendLine(inv, $"- Machine: {CpuModel()}, {Environment.ProcessorCount} cores, {TotalMemory()} RAM");
        s.AppendLine(inv, $"- OS: {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        s.AppendLine(inv, $"- .NET: {RuntimeInformation.FrameworkDescription}; GC: {(GCSettings.IsServerGC ? "server" : "workstation")}, concurrent {(AppContext.TryGetSwitch("System.GC.Concurrent", out bool c) ? c : true)}");
        s.AppendLine(inv, $"- Date: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; seed {options.Seed}; MB = 10^6 bytes");
        s.AppendLine(inv, $"- Options: readers, csv and parquet use {PresetText(options.Preset)}; CSV and Parquet with default `FormatOptions` (Parquet: Snappy). File inputs get the exact schema scan first, which keeps the rows in spill files: each file is parsed once");
        if (options.Stream)
        {
            s.AppendLine("- Inputs streamed (`--stream`): each measuring process generates its input on a second thread into a bounded in-memory pipe (about 1 MB) that the library reads as a `Stream` (schema from the inference window, not an exact scan); the raw scan reads the same generated stream. Times and CPU include the generator's thread; *alloc* does not (the generator's allocations are subtracted)");
        }

        s.AppendLine("- *others* = CPU used by other processes during the best run, in cores (the machine is shared); a result with others ≥ 0.25 is marked ⚠ and is slower than the code alone");
        s.AppendLine();
        s.AppendLine("| input | bytes | records | warm sequential read |");
        s.AppendLine("|---|---:|---|---:|");
        foreach ((InputFile input, double warm) in inputs)
        {
            s.AppendLine(inv, $"| {input.Shape} (`{Path.GetFileName(input.Path)}`) | {input.Bytes:N0} | {input.Note} | {(input.Streamed ? "– (no file)" : warm.ToString("F0", inv) + " MB/s")} |");
        }

        s.AppendLine();
        s.AppendLine("| shape | mode | s (best) | MB/s | × raw | rows/s | peak WS MB | alloc MB | CPU | others | speed target | memory target (≤ 100 MB) |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (IGrouping<string, (InputFile Input, MeasurementResult Result)> group in results.GroupBy(r => r.Input.Shape))
        {
            MeasurementResult? raw = group.Select(g => g.Result).FirstOrDefault(r => r.Mode == "raw" && r.Error is null);
            MeasurementResult? readers = group.Select(g => g.Result).FirstOrDefault(r => r.Mode == "readers" && r.Error is null);
            foreach ((InputFile input, MeasurementResult r) in group)
            {
                if (r.Error is not null)
                {
                    s.AppendLine(inv, $"| {input.Shape} | {r.Mode} | – | – | – | – | {Mb(r.PeakWorkingSet)} | – | – | – | **failed**: {Escape(r.Error)} | |");
                    continue;
                }

                double mbps = r.InputBytes / 1e6 / r.Seconds;
                double? ratio = raw is null ? null : mbps / (raw.InputBytes / 1e6 / raw.Seconds);
                long rows = r.Mode == "readers" ? r.Rows : readers?.Rows ?? 0;
                string rowsPerSecond = r.Mode == "raw"
                    ? $"{r.Tokens / r.Seconds / 1e6:F1} M tokens/s"
                    : rows > 0 ? $"{rows / r.Seconds:N0}" : "n/a";
                double? target = SpeedTarget(r.Mode);
                string speed = target is null ? "(ceiling)"
                    : ratio is null ? "n/a (no raw)"
                    : ratio >= target ? $"met (≥ {target:F2}×)" : $"**missed** (≥ {target:F2}×)";
                string memory = r.Mode == "raw" ? "–" : r.PeakWorkingSet <= MemoryTargetBytes ? "met" : "**missed**";
                string cpu = $"{r.CpuSeconds / r.Seconds * 100:F0} %";
                string others = r.OthersCores.ToString("F2", inv) + (r.OthersCores >= 0.25 ? " ⚠" : "");
                s.AppendLine(inv, $"| {input.Shape} | {r.Mode} | {r.Seconds:F2} | {mbps:F1} | {(ratio is null ? "–" : ratio.Value.ToString("F2", inv))} | {rowsPerSecond} | {Mb(r.PeakWorkingSet)} | {Mb(r.AllocatedBytes)} | {cpu} | {others} | {speed} | {memory} |");
            }
        }

        s.AppendLine();
        s.AppendLine("Details per measurement (all run times; the child's peak working set before the work began; the largest managed heap after a run; the working set sampled every 10 ms during the runs, at its largest, with the managed heap and GC-committed memory at that moment; GC counts over all runs; output):");
        s.AppendLine();
        foreach ((InputFile input, MeasurementResult r) in results)
        {
            string times = string.Join(" / ", r.AllSeconds.Select(t => t.ToString("F2", inv)));
            s.Append(inv, $"- {input.Shape} / {r.Mode}: runs {times} s; baseline WS {Mb(r.BaselineWorkingSet)} MB; peak GC heap {Mb(r.PeakGcHeapBytes)} MB; sampled peak WS {Mb(r.SampledPeakWorkingSet)} MB (managed heap {Mb(r.GcHeapAtPeak)} MB, GC committed {Mb(r.GcCommittedAtPeak)} MB at that moment; largest managed heap sampled {Mb(r.SampledPeakGcHeap)} MB); GCs gen0/1/2 {r.Gen0}/{r.Gen1}/{r.Gen2}");
            if (r.Mode == "raw")
            {
                s.Append(inv, $"; {r.Tokens:N0} tokens");
            }

            if (r.Mode == "readers")
            {
                s.Append(inv, $"; {r.Rows:N0} rows in {r.Tables} tables; alloc {(double)r.AllocatedBytes / Math.Max(1, r.InputBytes):F2} B per input byte");
            }

            if (r.OutputBytes > 0)
            {
                s.Append(inv, $"; {r.Tables} files, {Mb(r.OutputBytes)} MB: {r.Files}");
            }

            if (r.Error is not null)
            {
                s.Append(inv, $"; error: {Escape(r.Error)}");
            }

            s.AppendLine();
        }

        s.AppendLine();
        return s.ToString();
    }

    private static string PresetText(string preset) => preset switch
    {
        "performance" => "`TransmogOptions.ForPerformance()` (batch 10,000, cache 50,000)",
        "memory" => "`TransmogOptions.ForMemory()` (batch 100, cache 1,000)",
        _ => "`TransmogOptions.Default` (batch 1,000)",
    };

    private static string Mb(long bytes) => (bytes / 1e6).ToString("F0", CultureInfo.InvariantCulture);

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string CpuModel()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal))
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string TotalMemory()
    {
        long bytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return (bytes / (1024.0 * 1024 * 1024)).ToString("F0", CultureInfo.InvariantCulture) + " GB";
    }
}
