namespace Transmog.Data.TestSupport;

/// <summary>Where the tests find the repository, its sample data and the shared corpus beside it.</summary>
public static class Repository
{
    /// <summary>The directory holding Transmog.sln, above the test output directory.</summary>
    public static string Root
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

    /// <summary>The bundled sample, samples/data/customers.jsonl.</summary>
    public static string SamplePath => Path.Combine(Root, "samples", "data", "customers.jsonl");

    /// <summary>The shared real-world corpus beside the repository (../shared/corpus), if present.</summary>
    public static string? CorpusDirectory
    {
        get
        {
            string candidate = Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus"));
            return Directory.Exists(candidate) ? candidate : null;
        }
    }

    /// <summary>
    /// The corpus directory; reports the calling <c>[SkippableFact]</c> / <c>[SkippableTheory]</c> skipped where the
    /// corpus is missing, except under <c>CI=true</c>, where it fails: CI has the corpus and must run these tests.
    /// </summary>
    public static string RequireCorpus()
    {
        if (CorpusDirectory is { } dir)
        {
            return dir;
        }

        const string missing = "../shared/corpus is not present beside the repository";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(missing + ", and CI=true requires it.");
        }

        Skip.If(true, "SKIPPED: " + missing + " on this machine.");
        return string.Empty;
    }
}
