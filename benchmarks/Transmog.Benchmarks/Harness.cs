using System.Diagnostics;
using System.Text.Json;
using Transmog.Benchmarks.Generators;

namespace Transmog.Benchmarks;

/// <summary>The parent side: makes the inputs, runs each measurement in its own child process, prints the report.</summary>
internal static class Harness
{
    public static int Run(HarnessOptions options)
    {
        TextWriter log = Console.Error;
        string? repoRoot = FindRepoRoot();
        string? corpus = options.CorpusDirectory
            ?? (repoRoot is null ? null : Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "corpus")));
        string dataDirectory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "transmog-bench"));
        log.WriteLine($"Data directory: {dataDirectory}; corpus: {corpus ?? "none"}; shapes: {string.Join(", ", options.Shapes)}; modes: {string.Join(", ", options.Modes)}; repeat {options.Repeat}{(options.Stream ? "; inputs streamed (generated while read, no file)" : "")}");

        var inputs = new List<(InputFile Input, double WarmMBps)>();
        var results = new List<(InputFile Input, MeasurementResult Result)>();
        var generated = new List<string>();
        try
        {
            foreach (string shape in options.Shapes)
            {
                InputFile? input = options.Stream
                    ? InputFiles.Streamed(shape, options, corpus, log)
                    : InputFiles.Get(shape, options, dataDirectory, corpus, log);
                if (input is null)
                {
                    continue;
                }

                if (input.Generated)
                {
                    generated.Add(input.Path);
                }

                // A streamed input has no file to warm: it is generated in the measuring process (warm = 0).
                double warm = input.Streamed ? 0 : InputFiles.Warm(input.Path);
                int slot = inputs.Count;
                inputs.Add((input, warm));
                foreach (string mode in options.Modes)
                {
                    log.WriteLine($"Measuring {shape} / {mode} ...");
                    MeasurementResult result = RunChild(options, mode, input, dataDirectory, corpus, log);
                    results.Add((input, result));
                    if (input.Streamed && result.Error is null && result.Records > 0 && inputs[slot].Input.Bytes != result.InputBytes)
                    {
                        // The generator reports the size it produced (the target plus the last record).
                        inputs[slot] = (input with { Bytes = result.InputBytes, Note = $"{result.Records:N0} records, generated while read" }, warm);
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

        string report = Report.Markdown(options, inputs, results);
        Console.Out.Write(report);
        if (options.OutFile is not null)
        {
            File.WriteAllText(options.OutFile, report);
            log.WriteLine($"Report written to {options.OutFile}");
        }

        return results.Any(r => r.Result.Error is not null) ? 1 : 0;
    }

    private static MeasurementResult RunChild(HarnessOptions options, string mode, InputFile input, string dataDirectory, string? corpus, TextWriter log)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };

        // Run as an app host or through the dotnet host, whichever started us.
        string host = Environment.ProcessPath ?? "dotnet";
        start.FileName = host;
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(Harness).Assembly.Location);
        }

        var arguments = new List<string>
        {
            "--measure", mode, "--name", NameOf(input.Shape),
            "--repeat", options.Repeat.ToString(System.Globalization.CultureInfo.InvariantCulture), "--preset", options.Preset,
            "--data-dir", dataDirectory,
        };
        if (input.Streamed)
        {
            arguments.AddRange(["--stream", "--shape", input.Shape, "--size", options.SizeLabel, "--seed", options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            if (corpus is not null)
            {
                arguments.AddRange(["--corpus", corpus]);
            }
        }
        else
        {
            arguments.AddRange(["--file", input.Path]);
        }

        foreach (string a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        if (options.Threads is { } threads)
        {
            start.ArgumentList.Add("--threads");
            start.ArgumentList.Add(threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("Cannot start the measurement process.");
        MeasurementResult? result = null;
        Task reading = Task.Run(() =>
        {
            string? line;
            while ((line = child.StandardOutput.ReadLine()) is not null)
            {
                if (line.StartsWith(Measurement.Prefix, StringComparison.Ordinal))
                {
                    result = JsonSerializer.Deserialize(line[Measurement.Prefix.Length..], MeasurementJson.Default.MeasurementResult);
                }
                else
                {
                    log.WriteLine(line);
                }
            }
        });

        if (!child.WaitForExit(TimeSpan.FromSeconds(options.TimeoutSeconds)))
        {
            child.Kill(entireProcessTree: true);
            child.WaitForExit();
            reading.Wait();
            return new MeasurementResult { Mode = mode, File = input.Path, InputBytes = input.Bytes, Error = $"timed out after {options.TimeoutSeconds} s" };
        }

        reading.Wait();
        return result ?? new MeasurementResult { Mode = mode, File = input.Path, InputBytes = input.Bytes, Error = $"the child exited with code {child.ExitCode} without a result" };
    }

    /// <summary>The entity name the flattener gets (the main table's name).</summary>
    public static string NameOf(string shape) => shape.StartsWith("customers", StringComparison.Ordinal) ? "customers" : shape;

    /// <summary>The directory holding Transmog.sln, searched upwards from the working directory and from the binary.</summary>
    public static string? FindRepoRoot()
    {
        foreach (string from in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? d = new(from); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "Transmog.sln")))
                {
                    return d.FullName;
                }
            }
        }

        return null;
    }
}
