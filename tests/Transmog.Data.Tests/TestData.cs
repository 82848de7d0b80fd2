using System.Text.Json;

namespace Transmog.Data.Tests;

/// <summary>Helpers shared by the tests.</summary>
internal static class TestData
{
    public static FlattenResult Flatten(string json, TransmogOptions? options = null, string name = "data") =>
        JsonFlattener.Flatten(JsonInput.FromString(json), name, options);

    public static List<IReadOnlyDictionary<string, object>> Rows(this FlattenedTable table) => table.Rows.ToList();

    public static string RepositoryRoot
    {
        get
        {
            string? dir = AppContext.BaseDirectory;
            while (dir is not null && !File.Exists(Path.Combine(dir, "Transmog.sln")))
            {
                dir = Path.GetDirectoryName(dir);
            }

            return dir ?? throw new InvalidOperationException("Transmog.sln not found above the test output directory.");
        }
    }

    public static string SamplePath => Path.Combine(RepositoryRoot, "samples", "data", "customers.jsonl");

    /// <summary>The shared real-world corpus beside the repository, if present.</summary>
    public static string? CorpusDirectory
    {
        get
        {
            string candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "corpus"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    private static readonly List<string> Created = [];

    static TestData()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Created)
            {
                foreach (string dir in Created)
                {
                    try
                    {
                        Directory.Delete(dir, recursive: true);
                    }
                    catch (IOException)
                    {
                    }
                    catch (UnauthorizedAccessException)
                    {
                    }
                }
            }
        };
    }

    /// <summary>A new empty directory, deleted when the test run ends.</summary>
    public static string TempDirectory()
    {
        string path = Path.Combine(Path.GetTempPath(), "transmog-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        lock (Created)
        {
            Created.Add(path);
        }

        return path;
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
