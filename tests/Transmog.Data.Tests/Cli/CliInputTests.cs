using System.Diagnostics;
using System.Text;
using Transmog.Cli;
using Transmog.Data.Tests.Input;

namespace Transmog.Data.Tests.Cli;

/// <summary>The input forms on the command line: stdin, several files, directories, globs, envelopes.</summary>
public class CliInputTests
{
    private static readonly string[] Lines = InputDump.SampleLines();

    private static async Task<(int Code, string Out, string Err)> Run(Stream? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        // --quiet: no summary on stderr, so stderr holds errors only.
        int code = await TransmogCli.RunAsync([.. args, "--quiet"], output, error, stdin);
        return (code, output.ToString(), error.ToString());
    }

    private static int CsvRows(string path) => File.ReadAllLines(path).Length - 1;

    [Fact]
    public async Task Dash_reads_stdin_compressed_or_not()
    {
        foreach (byte[] bytes in (byte[][])[Encoding.UTF8.GetBytes(string.Join("\n", Lines)), EncodingAndCompressionTests.Zstd(Encoding.UTF8.GetBytes(InputDump.Pretty(Lines)))])
        {
            string dir = Io.TempDirectory();
            var (code, output, error) = await Run(new OneWayStream(bytes), "flatten", "-", "--out", dir, "--name", "customers");
            Assert.Equal(string.Empty, error);
            Assert.Equal(0, code);
            Assert.Equal(4, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Equal(Lines.Length, CsvRows(Path.Combine(dir, "customers.csv")));
        }
    }

    [Fact]
    public async Task A_real_pipe_into_the_transmog_process()
    {
        string exe = Path.Combine(AppContext.BaseDirectory, "transmog.dll");
        Assert.True(File.Exists(exe), exe);
        string dir = Io.TempDirectory();
        var start = new ProcessStartInfo("dotnet", [exe, "flatten", "-", "--out", dir, "--name", "c", "--quiet"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync(EncodingAndCompressionTests.Gzip(Encoding.UTF8.GetBytes(string.Join("\r\n", Lines))));
        process.StandardInput.Close();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, process.ExitCode);
        Assert.Equal(Lines.Length, CsvRows(Path.Combine(dir, "c.csv")));
    }

    [Fact]
    public async Task Several_files_a_directory_and_a_glob_with_the_source_column()
    {
        string inputs = Io.TempDirectory();
        File.WriteAllText(Path.Combine(inputs, "a.jsonl"), string.Join("\n", Lines[..10]));
        Directory.CreateDirectory(Path.Combine(inputs, "more"));
        File.WriteAllText(Path.Combine(inputs, "more", "b.json"), "[" + string.Join(",", Lines[10..15]) + "]");
        File.WriteAllText(Path.Combine(inputs, "more", "c.json"), InputDump.Pretty(Lines[15..]));
        File.WriteAllText(Path.Combine(inputs, "more", "notes.txt"), "not data");

        string dir = Io.TempDirectory();
        var (code, _, error) = await Run(null, "flatten", Path.Combine(inputs, "a.jsonl"), Path.Combine(inputs, "more"), "--out", dir, "--source-field", "file");
        Assert.Equal(string.Empty, error);
        Assert.Equal(0, code);
        string[] csv = File.ReadAllLines(Path.Combine(dir, "data.csv"));
        Assert.Equal(Lines.Length, csv.Length - 1);
        Assert.EndsWith(",file", csv[0], StringComparison.Ordinal);
        Assert.EndsWith(",c.json", csv[^1], StringComparison.Ordinal);

        dir = Io.TempDirectory();
        (code, _, error) = await Run(null, "flatten", Path.Combine(inputs, "**", "*.json"), "--out", dir);
        Assert.Equal(string.Empty, error);
        Assert.Equal(Lines.Length - 10, CsvRows(Path.Combine(dir, "data.csv")));
    }

    [Fact]
    public async Task An_error_in_one_of_several_files_names_it()
    {
        string inputs = Io.TempDirectory();
        File.WriteAllText(Path.Combine(inputs, "a.jsonl"), "{\"a\":1}\n");
        File.WriteAllText(Path.Combine(inputs, "b.jsonl"), "{\"a\":2}\n{\"a\":]}\n");
        var (code, _, error) = await Run(null, "flatten", inputs, "--out", Io.TempDirectory());
        Assert.Equal(1, code);
        Assert.Contains("file b.jsonl, line 2, column 6, byte offset 13", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_of_several_files_name_the_file()
    {
        string inputs = Io.TempDirectory();
        File.WriteAllText(Path.Combine(inputs, "a.jsonl"), "{\"a\":1}\n");
        File.WriteAllText(Path.Combine(inputs, "b.jsonl"), "{\"a\":2}\n{\"a\":]}\n");
        string dir = Io.TempDirectory();
        var (code, _, error) = await Run(null, "flatten", inputs, "--out", dir, "--on-error", "skip");
        Assert.Equal(string.Empty, error);
        Assert.Equal(3, code); // success with rejected records
        string reject = Assert.Single(File.ReadAllLines(Path.Combine(dir, "_rejects.jsonl")));
        Assert.StartsWith("{\"file\":\"b.jsonl\",\"record\":3,\"line\":2,", reject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_file_is_named_in_errors_rejects_and_the_source_column()
    {
        string inputs = Io.TempDirectory();
        string bad = Path.Combine(inputs, "bad1.jsonl");
        File.WriteAllText(bad, "{\"a\":1}\n{\"a\": 1,, }\n");
        var (code, _, error) = await Run(null, "flatten", bad, "--out", Io.TempDirectory());
        Assert.Equal(1, code);
        Assert.Contains($"(file {bad}, line 2, column 9, byte offset 16, record 2, path $)", error, StringComparison.Ordinal);

        string dir = Io.TempDirectory();
        (code, _, error) = await Run(null, "flatten", bad, "--out", dir, "--on-error", "skip");
        Assert.Equal(3, code);
        string reject = Assert.Single(File.ReadAllLines(Path.Combine(dir, "_rejects.jsonl")));
        Assert.StartsWith("{\"file\":" + System.Text.Json.JsonSerializer.Serialize(bad) + ",\"record\":2,\"line\":2,", reject, StringComparison.Ordinal);

        string gz = Path.Combine(inputs, "events.jsonl.gz");
        File.WriteAllBytes(gz, EncodingAndCompressionTests.Gzip(Encoding.UTF8.GetBytes(string.Join("\n", Lines[..3]))));
        foreach (string path in (string[])[bad, gz])
        {
            dir = Io.TempDirectory();
            (code, _, error) = await Run(null, "flatten", path, "--out", dir, "--source-field", "src", "--on-error", "skip");
            Assert.True(code is 0 or 3, error);
            string[] csv = File.ReadAllLines(Path.Combine(dir, "data.csv"));
            Assert.EndsWith(",src", csv[0], StringComparison.Ordinal);
            Assert.All(csv[1..], row => Assert.EndsWith("," + path, row, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Allow_comments_skips_the_comment_lines_of_a_json_lines_file()
    {
        string path = Path.Combine(Io.TempDirectory(), "cm.jsonl");
        File.WriteAllText(path, "// c\n{\"id\":1}\n/* d */\n{\"id\":2} // e\n");
        string dir = Io.TempDirectory();
        var (code, _, error) = await Run(null, "flatten", path, "--out", dir, "--allow-comments");
        Assert.Equal(string.Empty, error);
        Assert.Equal(0, code);
        Assert.Equal(2, CsvRows(Path.Combine(dir, "data.csv")));

        (code, _, error) = await Run(null, "flatten", path, "--out", Io.TempDirectory());
        Assert.Equal(1, code);
        Assert.Contains("a record must start with '{', found '/'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.json", "does not exist")]
    [InlineData("*.nothing", "matches no file")]
    public async Task Inputs_that_name_nothing_are_one_clear_line(string name, string expected)
    {
        string dir = Io.TempDirectory();
        var (code, _, error) = await Run(null, "flatten", Path.Combine(dir, name), "--out", Io.TempDirectory());
        Assert.Equal(2, code); // a usage error
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Stdin_cannot_be_combined_and_load_needs_a_target_for_several_files()
    {
        var (code, _, error) = await Run(null, "flatten", "-", Repository.SamplePath, "--out", Io.TempDirectory());
        Assert.Equal(2, code);
        Assert.Contains("'-' (stdin) cannot be combined", error, StringComparison.Ordinal);

        (code, _, error) = await Run(null, "load", Repository.SamplePath, Repository.SamplePath);
        Assert.Equal(2, code);
        Assert.Contains("--to is needed", error, StringComparison.Ordinal);
    }
}
