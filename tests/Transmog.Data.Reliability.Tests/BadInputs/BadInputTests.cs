using System.Text.Json;

namespace Transmog.Data.Reliability.Tests.BadInputs;

/// <summary>
/// Every input of <see cref="BadInputCorpus"/>, through the in-memory API and through file output, in both recovery
/// modes: Strict raises a clear <see cref="TransmogInputException"/> naming line, column, byte offset and JSON path
/// before any output file appears; Skip rejects each bad record with its position, error and raw text and
/// flattens every good one.
/// </summary>
public class BadInputTests
{
    public static TheoryData<string> Names => BadInputCorpus.Names;

    private static JsonInput Input(BadInput c) => JsonInput.FromBytes(c.Bytes);

    [Theory]
    [MemberData(nameof(Names))]
    public void Strict_in_memory(string name)
    {
        BadInput c = BadInputCorpus.All[name];
        TransmogOptions options = c.Options with { RecoveryMode = RecoveryMode.Strict };
        switch (c.Strict)
        {
            case Flattens ok:
            {
                using FlattenResult result = JsonFlattener.Flatten(Input(c), "data", options);
                Assert.Equal(ok.MainRows, result.Main.RowCount);
                Assert.Empty(result.Rejects);
                ok.Check?.Invoke(result);
                break;
            }

            case Fails fails:
            {
                var ex = Assert.ThrowsAny<TransmogInputException>(() => JsonFlattener.Flatten(Input(c), "data", options));
                AssertPosition(fails, ex);
                break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Strict_to_files_leaves_no_file_that_looks_complete(string name)
    {
        BadInput c = BadInputCorpus.All[name];
        TransmogOptions options = c.Options with { RecoveryMode = RecoveryMode.Strict };
        using TempDir dir = Io.TempDir("strict");
        string output = dir.Sub("out");
        switch (c.Strict)
        {
            case Flattens ok:
            {
                IReadOnlyList<string> files = await JsonFlattener.FlattenStreamAsync(Input(c), output, "data", new CsvFormatOptions(), options);
                AssertInside(output, files);
                if (ok.MainRows > 0)
                {
                    Assert.Equal(ok.MainRows, Io.CsvRowCount(Path.Combine(output, "data.csv")));
                }
                else
                {
                    Assert.Empty(files);
                }

                break;
            }

            case Fails fails:
            {
                var ex = await Assert.ThrowsAnyAsync<TransmogInputException>(() => JsonFlattener.FlattenStreamAsync(Input(c), output, "data", new CsvFormatOptions(), options));
                AssertPosition(fails, ex);
                Assert.Empty(Io.FilesUnder(output));
                break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Skip_in_memory(string name)
    {
        BadInput c = BadInputCorpus.All[name];
        TransmogOptions options = c.Options with { RecoveryMode = RecoveryMode.Skip };
        switch (c.Skip)
        {
            case StillFails still:
            {
                var ex = Assert.ThrowsAny<TransmogInputException>(() => JsonFlattener.Flatten(Input(c), "data", options));
                Assert.Contains(still.Contains, ex.Message, StringComparison.OrdinalIgnoreCase);
                break;
            }

            case Rejects expected:
            {
                using FlattenResult result = JsonFlattener.Flatten(Input(c), "data", options);
                Assert.Equal(expected.GoodRows, result.Main.RowCount);
                AssertRejects(expected, result.Rejects.Select(r => (r.Position, r.Error, r.RawText)).ToList());
                if (c.Strict is Flattens ok)
                {
                    ok.Check?.Invoke(result);
                }

                break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Skip_to_files_writes_rejects_and_counts(string name)
    {
        BadInput c = BadInputCorpus.All[name];
        TransmogOptions options = c.Options with { RecoveryMode = RecoveryMode.Skip };
        using TempDir dir = Io.TempDir("skip");
        string output = dir.Sub("out");
        var progress = new LastProgress();
        switch (c.Skip)
        {
            case StillFails still:
            {
                var ex = await Assert.ThrowsAnyAsync<TransmogInputException>(() => JsonFlattener.FlattenStreamAsync(Input(c), output, "data", new CsvFormatOptions(), options, progress: progress));
                Assert.Contains(still.Contains, ex.Message, StringComparison.OrdinalIgnoreCase);
                Assert.Empty(Io.FilesUnder(output));
                break;
            }

            case Rejects expected:
            {
                IReadOnlyList<string> files = await JsonFlattener.FlattenStreamAsync(Input(c), output, "data", new CsvFormatOptions(), options, progress: progress);
                AssertInside(output, files);
                string main = Path.Combine(output, "data.csv");
                Assert.Equal(expected.GoodRows, File.Exists(main) ? Io.CsvRowCount(main) : 0);
                string rejectsPath = Path.Combine(output, "_rejects.jsonl");
                var rejects = new List<(SourcePosition, string, string)>();
                if (File.Exists(rejectsPath))
                {
                    foreach (string line in File.ReadLines(rejectsPath))
                    {
                        using var doc = JsonDocument.Parse(line);
                        JsonElement r = doc.RootElement;
                        rejects.Add((new SourcePosition(r.GetProperty("line").GetInt64(), r.GetProperty("column").GetInt64(), r.GetProperty("byte_offset").GetInt64(),
                            r.GetProperty("record").GetInt64(), r.GetProperty("path").GetString()!), r.GetProperty("error").GetString()!, r.GetProperty("raw").GetString()!));
                    }
                }

                AssertRejects(expected, rejects);
                Assert.NotNull(progress.Last);
                Assert.Equal(expected.Expected.Length, progress.Last!.Value.Rejected);
                if (c.Records is int records)
                {
                    Assert.Equal(records, progress.Last.Value.Records);
                }

                break;
            }
        }
    }

    private static void AssertPosition(Fails expected, TransmogInputException ex)
    {
        if (expected.Line is long line)
        {
            Assert.Equal(line, ex.Line);
        }

        Assert.True(ex.Line >= 1 && ex.Column >= 1 && ex.ByteOffset >= 0, "a real position");
        Assert.Equal(expected.Path, ex.JsonPath);
        if (expected.Column is long column)
        {
            Assert.Equal(column, ex.Column);
        }

        if (expected.ByteOffset is long offset)
        {
            Assert.Equal(offset, ex.ByteOffset);
        }

        if (expected.Record is long record)
        {
            Assert.Equal(record, ex.Position.RecordNumber);
        }

        Assert.Contains(expected.Contains, ex.Message, StringComparison.OrdinalIgnoreCase);

        // The message itself names the place, so that a log line alone is enough.
        Assert.Contains($"line {ex.Line}, column {ex.Column}, byte offset {ex.ByteOffset}", ex.Message);
        Assert.Contains("path " + ex.JsonPath, ex.Message);
    }

    private static void AssertRejects(Rejects expected, List<(SourcePosition Position, string Error, string Raw)> actual)
    {
        Assert.Equal(expected.Expected.Length, actual.Count);
        for (int i = 0; i < actual.Count; i++)
        {
            Reject e = expected.Expected[i];
            (SourcePosition position, string error, string raw) = actual[i];
            Assert.Equal(e.Line, position.Line);
            Assert.Equal(e.Record, position.RecordNumber);
            Assert.True(position.Column >= 1, "column");
            Assert.True(position.ByteOffset >= 0, "byte offset");
            Assert.Contains(e.RawContains, raw);
            Assert.Contains(e.ErrorContains, error, StringComparison.OrdinalIgnoreCase);
        }
    }

    internal static void AssertInside(string output, IReadOnlyList<string> files)
    {
        string root = Path.GetFullPath(output) + Path.DirectorySeparatorChar;
        foreach (string file in files)
        {
            Assert.StartsWith(root, Path.GetFullPath(file), StringComparison.Ordinal);
            Assert.True(File.Exists(file));
        }

        // Nothing but the files reported: no temporary or partial file left beside them.
        Assert.Equal(files.Select(f => Path.GetRelativePath(output, f)).Order(StringComparer.Ordinal), Io.FilesUnder(output));
    }

    private sealed class LastProgress : IProgress<FlattenProgress>
    {
        public FlattenProgress? Last { get; private set; }

        public void Report(FlattenProgress value) => Last = value;
    }
}
