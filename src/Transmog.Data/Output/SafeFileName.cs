using System.Security.Cryptography;
using System.Text;

namespace Transmog.Data.Output;

/// <summary>
/// Turns a table name into a file name that is valid on every common file system and cannot leave the output
/// directory: no separators, no <c>..</c>, no reserved device names, bounded length.
/// </summary>
internal static class SafeFileName
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private const int MaxStemLength = 120;

    public static string For(string tableName)
    {
        var builder = new StringBuilder(tableName.Length);
        foreach (char c in tableName)
        {
            bool bad = c < 0x20 || c is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|' or '\0';
            builder.Append(bad ? '_' : c);
        }

        string stem = builder.ToString().Trim().TrimEnd('.');
        while (stem.StartsWith('.'))
        {
            stem = "_" + stem[1..];
        }

        if (stem.Length == 0)
        {
            stem = "_";
        }

        string device = stem.Split('.')[0];
        if (Reserved.Contains(device))
        {
            stem = "_" + stem;
        }

        if (stem.Length > MaxStemLength)
        {
            // Keep names distinct after cutting: a short hash of the full name.
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tableName)))[..8];
            stem = stem[..(MaxStemLength - 9)] + "_" + hash;
        }

        return stem;
    }

    /// <summary>The full path of <paramref name="fileName"/> in <paramref name="directory"/>, checked to stay inside it.</summary>
    public static string Inside(string directory, string fileName)
    {
        string root = Path.GetFullPath(directory);
        string full = Path.GetFullPath(Path.Combine(root, fileName));
        string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new TransmogException($"The file name '{fileName}' would leave the output directory '{root}'.");
        }

        return full;
    }
}
