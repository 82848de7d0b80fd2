using System.Diagnostics;
using System.Text.Json;

namespace Transmog.Data.Loading.Tests;

/// <summary>The <c>transmog</c> process interrupted by SIGINT (Ctrl+C) in the middle of its input: exit code 130, nothing left looking complete.</summary>
public sealed class CliSignalTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-signal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SkippableFact]
    public async Task Sigint_during_a_run_exits_130_with_one_line_and_no_output_files()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Sends SIGINT with kill(1) and feeds the input through mkfifo(1).");

        // A named pipe the test keeps writing records into: the run is still reading when the signal comes.
        string fifo = Path.Combine(_directory, "endless.jsonl");
        using (Process mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        string outDir = Path.Combine(_directory, "out");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "transmog.dll"), "flatten", fifo, "--out", outDir, "--json", "--threads", "1"])
        {
            start.ArgumentList.Add(arg);
        }

        using Process transmog = Process.Start(start)!;
        Task<string> stdout = transmog.StandardOutput.ReadToEndAsync();
        Task<string> stderr = transmog.StandardError.ReadToEndAsync();
        using var stopWriting = new CancellationTokenSource();
        long written = 0;
        Task writer = Task.Run(async () =>
        {
            byte[] records = File.ReadAllBytes(Repository.SamplePath);

            // The input is opened more than once (format detection, then the records): open the pipe again each time.
            while (!stopWriting.IsCancellationRequested)
            {
                try
                {
                    await using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write);
                    while (!stopWriting.IsCancellationRequested)
                    {
                        await pipe.WriteAsync(records);
                        Interlocked.Add(ref written, records.Length);
                    }
                }
                catch (IOException)
                {
                    // The reader closed the pipe.
                }
            }
        });

        // Wait until the process has clearly started reading, then interrupt it.
        var clock = Stopwatch.StartNew();
        while (Interlocked.Read(ref written) < 4 << 20 && clock.Elapsed < TimeSpan.FromSeconds(60) && !transmog.HasExited)
        {
            await Task.Delay(50);
        }

        Assert.False(transmog.HasExited, "transmog ended before the signal");
        using (Process kill = Process.Start("kill", ["-INT", transmog.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        bool exited = transmog.WaitForExit(TimeSpan.FromSeconds(30));
        stopWriting.Cancel();
        if (!exited)
        {
            transmog.Kill(entireProcessTree: true);
        }

        // A writer waiting for a reader to open the pipe is released by opening it read-write (which never blocks on Linux).
        using (new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite))
        {
        }

        await writer.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(exited, "transmog did not stop within 30 s of SIGINT: " + await stderr);
        Assert.Equal(130, transmog.ExitCode);
        string error = await stderr;
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("transmog: interrupted", error, StringComparison.Ordinal);
        using JsonDocument json = JsonDocument.Parse(await stdout);
        Assert.Equal(130, json.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Empty(Directory.Exists(outDir) ? Directory.GetFiles(outDir, "*.csv") : []);
    }

    /// <summary>
    /// SIGTERM while the run waits for input that does not come (stdin open, nothing written): the read cannot see
    /// the cancellation, so after the grace period the process deletes its temporary files itself and exits 130.
    /// </summary>
    [SkippableFact]
    public async Task Sigterm_while_waiting_for_input_exits_130_and_leaves_no_temporary_files()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "Sends SIGTERM with kill(1).");
        string outDir = Path.Combine(_directory, "out");
        string temp = Path.Combine(_directory, "tmp");
        Directory.CreateDirectory(temp);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["TMPDIR"] = temp;
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "transmog.dll"), "flatten", "-", "--out", outDir, "--threads", "1"])
        {
            start.ArgumentList.Add(arg);
        }

        using Process transmog = Process.Start(start)!;
        Task<string> stderr = transmog.StandardError.ReadToEndAsync();
        Task<string> stdout = transmog.StandardOutput.ReadToEndAsync();

        // Enough records that the run has spill files and temporary output open, then silence with stdin left open.
        string records = File.ReadAllText(Repository.SamplePath);
        for (int i = 0; i < 200; i++)
        {
            await transmog.StandardInput.WriteAsync(records);
        }

        await transmog.StandardInput.FlushAsync();
        var clock = Stopwatch.StartNew();
        while (Directory.GetFiles(temp, "transmog-spill-*").Length == 0 && clock.Elapsed < TimeSpan.FromSeconds(60) && !transmog.HasExited)
        {
            await Task.Delay(50);
        }

        Assert.False(transmog.HasExited, "transmog ended before the signal");
        Assert.NotEmpty(Directory.GetFiles(temp, "transmog-spill-*"));
        using (Process kill = Process.Start("kill", ["-TERM", transmog.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        bool exited = transmog.WaitForExit(TimeSpan.FromSeconds(30));
        if (!exited)
        {
            transmog.Kill(entireProcessTree: true);
        }

        Assert.True(exited, "transmog did not stop within 30 s of SIGTERM: " + await stderr);
        Assert.Equal(130, transmog.ExitCode);
        string error = await stderr;
        Assert.StartsWith("transmog: interrupted", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Directory.GetFiles(temp));
        Assert.Empty(Directory.Exists(outDir) ? Directory.GetFiles(outDir, "*", SearchOption.AllDirectories) : []);
        _ = await stdout;
    }
}
