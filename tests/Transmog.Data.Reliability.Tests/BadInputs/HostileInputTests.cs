using System.Text;

namespace Transmog.Data.Reliability.Tests.BadInputs;

/// <summary>Hostile inputs that need more than the corpus theory: size, names, depth limits, the CLI.</summary>
public class HostileInputTests
{
    [Fact]
    public async Task A_single_50_MB_string_is_kept_whole()
    {
        const int size = 50_000_000;
        byte[] json = new byte[size + 16];
        int at = Encoding.UTF8.GetBytes("{\"s\":\"", json);
        json.AsSpan(at, size).Fill((byte)'x');
        json[at + size - 1] = (byte)'y';
        at += size;
        at += Encoding.UTF8.GetBytes("\",\"n\":1}", json.AsSpan(at));
        using TempDir dir = Io.TempDir("big");
        IReadOnlyList<string> files = await JsonFlattener.FlattenStreamAsync(JsonInput.FromBytes(json.AsMemory(0, at)), dir.Path);
        string file = Assert.Single(files);
        using var reader = new StreamReader(file);
        string header = reader.ReadLine()!;
        Assert.StartsWith("s,n,", header);
        var cell = new char[size];
        Assert.Equal(size, reader.ReadBlock(cell, 0, size));
        Assert.Equal('y', cell[^1]);
        Assert.Equal(size - 1, cell.AsSpan(0, size - 1).Count('x'));
        Assert.StartsWith(",1,", reader.ReadLine());
    }

    [Theory]
    [InlineData("../../evil")]
    [InlineData("/etc/passwd")]
    [InlineData("CON")]
    [InlineData("a/b")]
    [InlineData("x\"; DROP TABLE y; --")]
    [InlineData("..")]
    [InlineData(".hidden")]
    public async Task Hostile_entity_names_and_keys_never_write_outside_the_output_directory(string name)
    {
        using TempDir dir = Io.TempDir("names");
        string output = dir.Sub("out");
        string json = $"{{\"{name.Replace("\"", "\\\"")}\":[{{\"v\":1}}],\"../x\":[{{\"w\":[{{\"z\":1}}]}}],\"k\":1}}\n";
        IReadOnlyList<string> files = await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(json + json), output, name: name);
        BadInputTests.AssertInside(output, files);
        Assert.Equal(4, files.Count);
        foreach (string file in files)
        {
            string fileName = Path.GetFileName(file);
            Assert.False(fileName.StartsWith('.'), fileName);
            Assert.DoesNotContain('/', fileName);
            Assert.False(string.Equals(Path.GetFileNameWithoutExtension(fileName), "CON", StringComparison.OrdinalIgnoreCase), fileName);
        }

        // Nothing appeared beside the output directory either.
        Assert.Equal(["out"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Nesting_below_max_depth_is_kept_as_json_text_without_loss()
    {
        string deep = string.Concat(Enumerable.Repeat("{\"a\":", 900)) + "\"bottom\"" + new string('}', 900);
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromString(deep), options: new TransmogOptions { MaxDepth = 10 });
        var row = result.Main.Rows.Single();
        string column = string.Join("_", Enumerable.Repeat("a", 10));
        string text = Assert.IsType<string>(row[column]);
        Assert.Equal(TransmogColumnType.Json, result.Main.Schema.Columns[result.Main.Schema.IndexOf(column)].Type);
        Assert.Equal(string.Concat(Enumerable.Repeat("{\"a\":", 890)) + "\"bottom\"" + new string('}', 890), text);
    }

    [Fact]
    public async Task Deepest_allowed_nesting_with_the_largest_max_depth_does_not_overflow_the_stack()
    {
        // MaxDepth 10 000 makes the flattener recurse 10 000 objects deep on a thread-pool thread (1.5 MB stack).
        string deep = string.Concat(Enumerable.Repeat("{\"a\":", 9_999)) + "1" + new string('}', 9_999);
        var options = new TransmogOptions { MaxDepth = 10_000 };
        using TempDir dir = Io.TempDir("deep");
        IReadOnlyList<string> files = await JsonFlattener.FlattenStreamAsync(JsonInput.FromString(deep), dir.Path, options: options);
        Assert.Single(files);
    }

    [Theory]
    [InlineData("{\"a\":1}\n{\"a\":NaN}\n", "strict", 1, "line 2, column 6, byte offset 13")]
    [InlineData("{\"a\":1}\n{\"a\":NaN}\n", "skip", 3, null)]
    [InlineData("[{\"a\":1},{\"a\":", "strict", 1, "line 1, column 15, byte offset 14")]
    public async Task Cli_reports_one_clear_line_and_leaves_nothing_behind(string json, string onError, int exitCode, string? position)
    {
        using TempDir dir = Io.TempDir("cli");
        string input = dir.Sub("in.json");
        await File.WriteAllTextAsync(input, json);
        string output = dir.Sub("out");
        (int code, _, string stderr) = await CliRunner.RunAsync("flatten", input, "--out", output, "--on-error", onError);
        Assert.Equal(exitCode, code);
        if (exitCode == 1)
        {
            string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("transmog: ", line);
            Assert.Contains(position!, line);
            Assert.Empty(Io.FilesUnder(output));
        }
        else
        {
            Assert.Equal(["_rejects.jsonl", "data.csv"], Io.FilesUnder(output));
        }
    }
}
