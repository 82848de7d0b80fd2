using System.Diagnostics;
using Transmog.Data.Fuzz;
using Xunit.Abstractions;

namespace Transmog.Data.Reliability.Tests.Fuzz;

/// <summary>The fuzzer's regression corpus, and a bounded fuzzing run (about 20 seconds) in a child process.</summary>
public class FuzzTests(ITestOutputHelper log)
{
    public static TheoryData<string> Regressions
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (string file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "FuzzRegressions")).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }

            return data;
        }
    }

    /// <summary>Each kept input, under every option combination of the fuzz target: only TransmogExceptions escape.</summary>
    [Theory]
    [MemberData(nameof(Regressions))]
    public void Regression_inputs_raise_only_transmog_exceptions(string file)
    {
        byte[] data = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "FuzzRegressions", file));
        for (int selector = 0; selector < FuzzTarget.Selectors; selector++)
        {
            FuzzTarget.Run(data, selector);
        }
    }

    [Fact]
    public void Bounded_fuzzing_run_finds_nothing()
    {
        string fuzz = Path.Combine(AppContext.BaseDirectory, "Transmog.Data.Fuzz.dll");
        using TempDir crashes = Io.TempDir("fuzz");
        var start = new ProcessStartInfo("dotnet");
        foreach (string arg in new[]
        {
            "exec", fuzz, "--seconds", "20", "--seed", Environment.GetEnvironmentVariable("TRANSMOG_FUZZ_SEED") ?? "1",
            "--seeds", Path.Combine(Repository.Root, "samples", "data"),
            "--seeds", Path.Combine(AppContext.BaseDirectory, "BadInputs"),
            "--seeds", Path.Combine(AppContext.BaseDirectory, "FuzzRegressions"),
            "--crashes", crashes.Path,
        })
        {
            start.ArgumentList.Add(arg);
        }

        // Both pipes are read at once (a child filling stderr while stdout is read to its end would block forever).
        (int exitCode, string output, string error, bool timedOut) = ChildProcess.Run(start, TimeSpan.FromSeconds(90));
        log.WriteLine(output);
        log.WriteLine(error);
        Assert.False(timedOut, "the fuzzer stops by itself");
        Assert.True(exitCode == 0, $"exit {exitCode}: keep the inputs in {crashes.Path} as FuzzRegressions\n{output}\n{error}");
        Assert.Contains("findings 0", output);
        Assert.Empty(Io.FilesUnder(crashes.Path));
    }
}
