using System.Diagnostics;
using System.Globalization;

namespace Transmog.Benchmarks.Generators;

/// <summary>A generated input: its path and how it was made.</summary>
internal sealed record InputFile(string Shape, string Path, long Bytes, bool Generated, double GenerateSeconds, string Note);

/// <summary>Generates the inputs into the data directory, or reuses one generated earlier with the same size, seed and generator version.</summary>
internal static class InputFiles
{
    /// <summary>The input of <paramref name="shape"/>, or <c>null</c> (with a message) when it cannot be made.</summary>
    public static InputFile? Get(string shape, HarnessOptions options, string dataDirectory, string? corpusDirectory, TextWriter log)
    {
        Directory.CreateDirectory(dataDirectory);
        string size = options.SizeBytes.ToString(CultureInfo.InvariantCulture);
        string stem;
        string? source = null;
        switch (shape)
        {
            case "customers":
                stem = $"customers-{size}-seed{options.Seed}-v{CustomersGenerator.Version}.jsonl";
                break;
            case "customers-array":
                stem = $"customers-array-{size}-seed{options.Seed}-v{CustomersGenerator.Version}.json";
                break;
            case "tweets":
                source = corpusDirectory is null ? null : System.IO.Path.Combine(corpusDirectory, TweetsGenerator.SourceFile);
                if (source is null || !File.Exists(source))
                {
                    log.WriteLine($"Skipping shape 'tweets': {TweetsGenerator.SourceFile} not found (corpus: {corpusDirectory ?? "none"}). Pass --corpus DIR.");
                    return null;
                }

                long sourceLength = new FileInfo(source).Length;
                stem = $"tweets-{size}-seed{options.Seed}-v{TweetsGenerator.Version}-src{sourceLength}.jsonl";
                break;
            default:
                throw new ArgumentException($"Unknown shape '{shape}'.");
        }

        string path = System.IO.Path.Combine(dataDirectory, stem);
        if (File.Exists(path))
        {
            log.WriteLine($"Reusing {path}");
            return new InputFile(shape, path, new FileInfo(path).Length, false, 0, "reused");
        }

        log.WriteLine($"Generating {shape} ({options.SizeLabel}) into {path} ...");
        string partial = path + ".partial";
        var watch = Stopwatch.StartNew();
        long records = shape switch
        {
            "customers" => CustomersGenerator.Generate(partial, options.SizeBytes, options.Seed, asArray: false),
            "customers-array" => CustomersGenerator.Generate(partial, options.SizeBytes, options.Seed, asArray: true),
            _ => TweetsGenerator.Generate(source!, partial, options.SizeBytes, options.Seed),
        };
        File.Move(partial, path, overwrite: true);
        watch.Stop();
        long bytes = new FileInfo(path).Length;
        log.WriteLine($"  {records:N0} records, {bytes:N0} bytes in {watch.Elapsed.TotalSeconds:F1} s");
        return new InputFile(shape, path, bytes, true, watch.Elapsed.TotalSeconds, $"{records:N0} records");
    }

    /// <summary>Reads the file once so that every measurement finds it in the OS file cache; returns MB/s.</summary>
    public static double Warm(string path)
    {
        byte[] buffer = new byte[1 << 20];
        var watch = Stopwatch.StartNew();
        long total = 0;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan))
        {
            int n;
            while ((n = file.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += n;
            }
        }

        return total / 1e6 / watch.Elapsed.TotalSeconds;
    }
}
