using System.Diagnostics;
using System.Globalization;
using System.Text;
using Parquet;
using Transmog.Benchmarks.Generators;

namespace Transmog.Benchmarks;

/// <summary>
/// Whole-process mode (<c>--process</c>): every measurement is a fresh <c>transmog</c> process with the shipped
/// settings (its runtimeconfig, the CLI's default options unless <c>--cli-args</c> says otherwise), timed from start
/// to exit, beside a fresh raw <c>Utf8JsonReader</c> scan process over the same file: what a user running the command
/// once sees, JIT warm-up and runtime start included.
/// </summary>
internal static class ProcessHarness
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(HarnessOptions options)
    {
        TextWriter log = Console.Error;
        string? repoRoot = Harness.FindRepoRoot();
        string cli = options.CliPath ?? Path.Combine(repoRoot ?? ".", "src", "Transmog.Cli", "bin", "Release", "net10.0", OperatingSystem.IsWindows() ? "transmog.exe" : "transmog");
        if (!File.Exists(cli))
        {
            log.WriteLine($"No CLI at {cli}: build it first (dotnet build src/Transmog.Cli -c Release) or pass --cli PATH.");
            return 2;
        }

        string? corpus = options.CorpusDirectory
            ?? (repoRoot is null ? null : Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "corpus")));
        string dataDirectory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "transmog-bench"));
        bool timeTool = File.Exists("/usr/bin/time");
        log.WriteLine($"Whole-process mode: CLI {cli} {options.CliArgs}; sizes {string.Join(", ", options.SizeLabels)}; shapes {string.Join(", ", options.Shapes)}; fresh processes per measurement: {options.Repeat}; {(timeTool ? "/usr/bin/time" : "/proc polling")} for CPU and peak RSS");

        var report = new StringBuilder();
        string title = $"{Path.GetFileName(cli)} {options.CliArgs}".TrimEnd();
        report.AppendLine(Inv, $"## Whole process: a fresh `{title}` per run, {options.Repeat} runs each");
        report.AppendLine();
        report.AppendLine(Inv, $"- Machine: {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average at start {LoadAverage()}");
        report.AppendLine("- *first* = wall time of the first fresh process (the file already in the OS cache), *best* = the best of the runs; × raw = raw scan process wall ÷ this wall (first runs); peak RSS = the process's high-water resident set; CPU = user + system seconds of the first run");
        report.AppendLine();
        report.AppendLine("| shape | size | what | first s | best s | MB/s (first) | × raw (first) | CPU s | peak RSS MB | load | notes |");
        report.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        var generated = new List<string>();
        int failures = 0;
        try
        {
            foreach (string label in options.SizeLabels)
            {
                options.SizeLabel = label;
                options.SizeBytes = HarnessOptions.ParseSize(label);
                foreach (string shape in options.Shapes)
                {
                    InputFile? input = InputFiles.Get(shape, options, dataDirectory, corpus, log);
                    if (input is null)
                    {
                        continue;
                    }

                    if (input.Generated)
                    {
                        generated.Add(input.Path);
                    }

                    InputFiles.Warm(input.Path);
                    RunResult? raw = null;
                    foreach (string mode in options.Modes)
                    {
                        string output = Path.Combine(dataDirectory, "process-out-" + Environment.ProcessId.ToString(Inv));
                        var runs = new List<RunResult>();
                        string notes = "";
                        for (int i = 0; i < options.Repeat; i++)
                        {
                            if (Directory.Exists(output))
                            {
                                Directory.Delete(output, recursive: true);
                            }

                            log.WriteLine($"{shape} {label} {mode} run {i + 1} ...");
                            RunResult run = mode == "shards"
                                ? MeasureShards(cli, input, output, options, timeTool)
                                : Measure(StartInfo(mode, cli, input, output, options, timeTool), timeTool, options.TimeoutSeconds);
                            runs.Add(run);
                            if (run.Error is not null)
                            {
                                failures++;
                                log.WriteLine(run.Error);
                                break;
                            }

                            if (mode == "parquet" && i == options.Repeat - 1)
                            {
                                notes = RowGroupsAsync(output).GetAwaiter().GetResult();
                            }
                        }

                        if (Directory.Exists(output))
                        {
                            Directory.Delete(output, recursive: true);
                        }

                        RunResult first = runs[0];
                        if (first.Error is not null)
                        {
                            report.AppendLine(Inv, $"| {shape} | {label} | {mode} | – | – | – | – | – | – | – | **failed**: {first.Error.ReplaceLineEndings(" ").Replace("|", "\\|", StringComparison.Ordinal)} |");
                            continue;
                        }

                        if (mode == "raw")
                        {
                            raw = first;
                        }

                        double best = runs.Min(r => r.Wall);
                        string ratio = raw is null ? "–" : (raw.Wall / first.Wall).ToString("F2", Inv);
                        report.AppendLine(Inv, $"| {shape} | {label} | {Describe(mode)} | {first.Wall:F2} | {best:F2} | {input.Bytes / 1e6 / first.Wall:F0} | {ratio} | {first.Cpu:F2} | {first.PeakRss / 1e6:F0} | {first.Load:F1} | {notes} |");
                    }
                }
            }
        }
        finally
        {
            if (!options.Keep)
            {
                foreach (string path in generated)
                {
                    File.Delete(path);
                }
            }
        }

        Console.Out.Write(report.ToString());
        if (options.OutFile is not null)
        {
            File.WriteAllText(options.OutFile, report.ToString());
        }

        return failures == 0 ? 0 : 1;
    }

    private static string Describe(string mode) => mode switch
    {
        "raw" => "raw `Utf8JsonReader` scan process",
        "csv" => "`transmog flatten` → CSV",
        "parquet" => "`transmog flatten -f parquet`",
        "schema" => "`transmog schema` (the schema step)",
        "shards" => "concurrent `transmog flatten --shard K/N` → CSV parts",
        _ => mode,
    };

    /// <summary>
    /// <c>--shards N</c> fresh <c>transmog flatten --shard K/N</c> processes started together: wall time until the last
    /// one exits, CPU summed, peak RSS the largest of one process (each task's own memory).
    /// </summary>
    private static RunResult MeasureShards(string cli, InputFile input, string output, HarnessOptions options, bool timeTool)
    {
        var watch = Stopwatch.StartNew();
        Task<RunResult>[] tasks = [.. Enumerable.Range(0, options.Shards).Select(k =>
        {
            ProcessStartInfo start = StartInfo("csv", cli, input, output, options, timeTool);
            start.ArgumentList.Add("--shard");
            start.ArgumentList.Add(string.Create(Inv, $"{k}/{options.Shards}"));
            return Task.Run(() => Measure(start, timeTool, options.TimeoutSeconds));
        })];
        RunResult[] results = Task.WhenAll(tasks).GetAwaiter().GetResult();
        double wall = watch.Elapsed.TotalSeconds;
        string? error = results.FirstOrDefault(r => r.Error is not null)?.Error;
        return new RunResult(wall, results.Sum(r => r.Cpu), results.Max(r => r.PeakRss), results[0].Load, error);
    }

    private static ProcessStartInfo StartInfo(string mode, string cli, InputFile input, string output, HarnessOptions options, bool timeTool)
    {
        var arguments = new List<string>();
        if (mode == "raw")
        {
            // The harness itself, as a fresh child running the raw scan once.
            arguments.AddRange(Self());
            arguments.AddRange(["--measure", "raw", "--repeat", "1", "--file", input.Path, "--data-dir", Path.GetDirectoryName(output)!]);
        }
        else
        {
            arguments.AddRange(mode == "schema"
                ? [cli, "schema", input.Path, "--name", Harness.NameOf(input.Shape)]
                : [cli, "flatten", input.Path, "--out", output, "--name", Harness.NameOf(input.Shape)]);
            if (mode == "parquet")
            {
                arguments.AddRange(["--format", "parquet"]);
            }

            if (options.Threads is { } threads)
            {
                arguments.AddRange(["--threads", threads.ToString(Inv)]);
            }

            arguments.AddRange(options.CliArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return Wrap(arguments, timeTool);
    }

    /// <summary>The command that starts this harness again as a fresh process (its apphost, or <c>dotnet</c> and its assembly).</summary>
    internal static List<string> Self()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? [host, typeof(Harness).Assembly.Location]
            : [host];
    }

    /// <summary>A start info for the command <paramref name="arguments"/> (executable first), under <c>/usr/bin/time</c> when <paramref name="timeTool"/>.</summary>
    internal static ProcessStartInfo Wrap(List<string> arguments, bool timeTool)
    {
        var start = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (timeTool)
        {
            start.FileName = "/usr/bin/time";
            start.ArgumentList.Add("-f");
            start.ArgumentList.Add("TRANSMOG-TIME %e %U %S %M");
        }
        else
        {
            start.FileName = arguments[0];
            arguments = arguments[1..];
        }

        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    /// <summary>One timed process: wall, user + system CPU seconds, peak RSS, the load average at its start, an error, and its standard output.</summary>
    internal sealed record RunResult(double Wall, double Cpu, long PeakRss, double Load, string? Error, string Output = "");

    internal static RunResult Measure(ProcessStartInfo start, bool timeTool, int timeoutSeconds)
    {
        double load = LoadAverage();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {start.FileName}.");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        long polledRss = 0;
        double polledCpu = 0;
        while (!process.WaitForExit(5))
        {
            if (!timeTool)
            {
                (long rss, double cpu) = Poll(process.Id);
                polledRss = Math.Max(polledRss, rss);
                polledCpu = Math.Max(polledCpu, cpu);
            }

            if (watch.Elapsed.TotalSeconds > timeoutSeconds)
            {
                process.Kill(entireProcessTree: true);
                return new RunResult(0, 0, 0, load, $"timed out after {timeoutSeconds} s");
            }
        }

        double wall = watch.Elapsed.TotalSeconds;
        string error = stderr.Result;
        string output = stdout.Result;
        if (process.ExitCode != 0)
        {
            return new RunResult(wall, 0, 0, load, $"exit code {process.ExitCode}: {error.Trim()}");
        }

        if (timeTool)
        {
            // /usr/bin/time's line: elapsed, user, system seconds and the maximum resident set in KB (exact, from wait4).
            string line = error.Split('\n').Last(l => l.StartsWith("TRANSMOG-TIME ", StringComparison.Ordinal));
            string[] parts = line.Split(' ');
            return new RunResult(wall, double.Parse(parts[2], Inv) + double.Parse(parts[3], Inv), long.Parse(parts[4], Inv) * 1024, load, null, output);
        }

        return new RunResult(wall, polledCpu, polledRss, load, null, output);
    }

    /// <summary>VmHWM (the resident high-water mark) and CPU seconds of a running process (Linux); zeros elsewhere.</summary>
    private static (long Rss, double Cpu) Poll(int pid)
    {
        try
        {
            long rss = 0;
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line[6..].Trim().Split(' ')[0], Inv) * 1024;
                }
            }

            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double cpu = (long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv)) / 100.0;
            return (rss, cpu);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            return (0, 0);
        }
    }

    internal static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], Inv);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>Per Parquet file: row groups, rows per group (min / median / max), compressed MB per group, footer KB.</summary>
    private static async Task<string> RowGroupsAsync(string directory)
    {
        var parts = new List<string>();
        foreach (string file in Directory.GetFiles(directory, "*.parquet").OrderBy(f => f, StringComparer.Ordinal))
        {
            await using FileStream stream = File.OpenRead(file);
            await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
            var groups = reader.Metadata!.RowGroups;
            if (groups.Count == 0)
            {
                continue;
            }

            long[] rows = [.. groups.Select(g => g.NumRows).Order()];
            double[] mb = [.. groups.Select(g => (g.TotalCompressedSize ?? g.TotalByteSize) / 1e6).Order()];
            stream.Seek(-8, SeekOrigin.End);
            var footer = new byte[4];
            stream.ReadExactly(footer);
            parts.Add(string.Create(Inv, $"{Path.GetFileNameWithoutExtension(file)}: {groups.Count} groups, rows {rows[0]:N0}/{rows[rows.Length / 2]:N0}/{rows[^1]:N0}, MB {mb[0]:F1}/{mb[mb.Length / 2]:F1}/{mb[^1]:F1}, footer {BitConverter.ToInt32(footer) / 1024.0:F0} KB"));
        }

        return string.Join("; ", parts);
    }
}
