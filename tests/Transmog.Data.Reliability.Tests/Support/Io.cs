using System.Text;

namespace Transmog.Data.Reliability.Tests.Support;

/// <summary>Helpers for bytes, temporary directories and output checks.</summary>
internal static class Io
{
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    public static byte[] Gzip(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    /// <summary>A new empty directory under the system temp directory, deleted when disposed.</summary>
    public static TempDir TempDir(string label = "rel") => new(label);

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

    /// <summary>Every file under a directory, recursively, relative to it.</summary>
    public static List<string> FilesUnder(string directory) =>
        Directory.Exists(directory)
            ? [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Data rows of a CSV file written with a header (RFC 4180 quoting aware; line breaks inside quotes allowed).</summary>
    public static int CsvRowCount(string path)
    {
        string text = File.ReadAllText(path);
        int rows = 0;
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == '\n' && !quoted)
            {
                rows++;
            }
        }

        if (text.Length > 0 && text[^1] != '\n')
        {
            rows++;
        }

        return rows - 1; // header
    }
}

internal sealed class TempDir : IDisposable
{
    public TempDir(string label)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "transmog-" + label + "-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            MakeWritable(Path);
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void MakeWritable(string path)
    {
        if (!OperatingSystem.IsWindows() && Directory.Exists(path))
        {
            foreach (string dir in Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories).Prepend(path))
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
    }
}
