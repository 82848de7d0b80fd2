using System.Text;

namespace Transmog.Data.TestSupport;

/// <summary>Helpers for bytes, temporary directories and output checks.</summary>
public static class Io
{
    private static readonly List<TempDir> RunDirectories = [];

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

    /// <summary>A new empty directory under the system temp directory, deleted when the test run ends.</summary>
    public static string TempDirectory()
    {
        var dir = new TempDir("tests");
        lock (RunDirectories)
        {
            if (RunDirectories.Count == 0)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    lock (RunDirectories)
                    {
                        RunDirectories.ForEach(d => d.Dispose());
                    }
                };
            }

            RunDirectories.Add(dir);
        }

        return dir.Path;
    }

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

/// <summary>A new empty directory under the system temp directory (<c>transmog-LABEL-…</c>), deleted with its content when disposed.</summary>
public sealed class TempDir : IDisposable
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
