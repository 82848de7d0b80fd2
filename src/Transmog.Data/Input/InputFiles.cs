using System.Text;
using System.Text.RegularExpressions;

namespace Transmog.Data.Input;

/// <summary>One file of a several-file input: where it is, and its name in messages and the source column.</summary>
internal sealed record InputFile(string Path, string Name)
{
    /// <summary>The part of the file to read (a shard's share of a JSON Lines file), or <c>null</c> for all of it.</summary>
    public ByteRange? Range { get; init; }

    public JsonInput.FileInput Open() => new(Path);
}

/// <summary>Expands files, directories and glob patterns into an ordered list of files.</summary>
internal static class InputFiles
{
    private static readonly string[] DataExtensions = [".json", ".jsonl", ".ndjson", ".jsonc"];
    private static readonly string[] CompressionExtensions = [".gz", ".zst", ".br"];

    /// <summary>Whether a file found in a directory is a data file (see <see cref="JsonInput.FromFiles"/>).</summary>
    public static bool IsDataFile(string name)
    {
        if (name.StartsWith('.'))
        {
            return false;
        }

        foreach (string compressed in CompressionExtensions)
        {
            if (name.EndsWith(compressed, StringComparison.OrdinalIgnoreCase))
            {
                name = name[..^compressed.Length];
                break;
            }
        }

        foreach (string extension in DataExtensions)
        {
            if (name.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public static IReadOnlyList<InputFile> Expand(IEnumerable<string> paths)
    {
        var files = new List<InputFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            if (string.IsNullOrEmpty(path))
            {
                throw new ArgumentException("An input path is empty.");
            }

            foreach (InputFile file in ExpandOne(path))
            {
                if (seen.Add(Path.GetFullPath(file.Path)))
                {
                    files.Add(file);
                }
            }
        }

        if (files.Count == 0)
        {
            throw new ArgumentException("No input files were given.");
        }

        return files;
    }

    private static List<InputFile> ExpandOne(string path)
    {
        if (File.Exists(path))
        {
            return [new InputFile(path, path)];
        }

        if (Directory.Exists(path))
        {
            List<InputFile> found = Walk(path, (relative, name) => IsDataFile(name));
            return found.Count > 0
                ? found
                : throw new ArgumentException($"The input directory '{path}' holds no data file (*.json, *.jsonl, *.ndjson, *.jsonc, optionally .gz, .zst or .br).");
        }

        if (path.IndexOfAny(['*', '?']) < 0)
        {
            throw new ArgumentException($"The input '{path}' does not exist.");
        }

        (string root, Regex pattern) = Glob(path);
        List<InputFile> matched = Directory.Exists(root) ? Walk(root, (relative, _) => pattern.IsMatch(relative)) : [];
        return matched.Count > 0
            ? matched
            : throw new ArgumentException($"The pattern '{path}' matches no file.");
    }

    /// <summary>Every file under <paramref name="root"/> (hidden folders skipped) that <paramref name="take"/> accepts, by relative path in ordinal order.</summary>
    private static List<InputFile> Walk(string root, Func<string, string, bool> take)
    {
        var found = new List<InputFile>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            string dir = pending.Pop();
            foreach (string sub in Directory.EnumerateDirectories(dir))
            {
                if (!Path.GetFileName(sub).StartsWith('.'))
                {
                    pending.Push(sub);
                }
            }

            foreach (string file in Directory.EnumerateFiles(dir))
            {
                string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (take(relative, Path.GetFileName(file)))
                {
                    found.Add(new InputFile(file, relative));
                }
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return found;
    }

    /// <summary>A glob as the directory before its first wildcard segment and a pattern over paths relative to it.</summary>
    /// <remarks><c>*</c> and <c>?</c> stay within one path segment; a <c>**</c> segment matches any number of them;
    /// none matches the leading dot of a name (<c>*.json</c> leaves <c>.x.json</c> out, <c>.*.json</c> takes it; hidden
    /// folders are never entered).</remarks>
    internal static (string Root, Regex Pattern) Glob(string glob)
    {
        string[] segments = glob.Replace('\\', '/').Split('/');
        int firstWild = Array.FindIndex(segments, s => s.IndexOfAny(['*', '?']) >= 0);
        string root = firstWild == 0 ? "." : string.Join('/', segments[..firstWild]);
        if (root.Length == 0)
        {
            root = "/";
        }

        var regex = new StringBuilder("^");
        for (int i = firstWild; i < segments.Length; i++)
        {
            string segment = segments[i];
            bool last = i == segments.Length - 1;
            // As in a shell, a wildcard never matches the leading dot of a name: hidden files are not data.
            if (segment == "**")
            {
                regex.Append(last ? @"(?:(?!\.)[^/]+/)*(?!\.)[^/]*" : @"(?:(?!\.)[^/]+/)*");
                continue;
            }

            if (segment.Length > 0 && segment[0] is '*' or '?')
            {
                regex.Append(@"(?!\.)");
            }

            foreach (char c in segment)
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }

            if (!last)
            {
                regex.Append('/');
            }
        }

        regex.Append('$');
        return (root, new Regex(regex.ToString(), RegexOptions.CultureInvariant));
    }
}
