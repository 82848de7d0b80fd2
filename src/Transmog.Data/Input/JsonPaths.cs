using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Transmog.Data.Input;

/// <summary>Builds JSON paths for messages, on the error path only (nothing here runs per value).</summary>
internal static class JsonPaths
{
    /// <summary>The path of the innermost element of <paramref name="root"/> whose text starts at <paramref name="offset"/> of the record.</summary>
    public static string Find(JsonElement root, string rootPath, int offset, ReadOnlySpan<byte> record)
    {
        var path = new StringBuilder(rootPath);
        JsonElement current = root;
        while (true)
        {
            bool descended = false;
            if (current.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in current.EnumerateObject())
                {
                    if (Contains(p.Value, offset, record))
                    {
                        AppendKey(path, p.Name);
                        current = p.Value;
                        descended = true;
                        break;
                    }
                }
            }
            else if (current.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (JsonElement item in current.EnumerateArray())
                {
                    if (Contains(item, offset, record))
                    {
                        path.Append('[').Append(i).Append(']');
                        current = item;
                        descended = true;
                        break;
                    }

                    i++;
                }
            }

            if (!descended || Start(current, record) == offset)
            {
                return path.ToString();
            }
        }
    }

    /// <summary>
    /// The first path of the record's object members (not descending into arrays) whose flattened column name is
    /// <paramref name="columnName"/>, other than <paramref name="except"/>.
    /// </summary>
    public static string? FirstProducing(JsonElement root, string rootPath, string columnName, string separator, string except)
    {
        // A key repeated in one object ({"a":1,"a":2}) gives the same path twice: name it as a duplicate key.
        int sameAsExcept = 0;
        return Walk(root, rootPath, string.Empty) ?? (sameAsExcept > 1 ? except + " (duplicate key)" : null);

        string? Walk(JsonElement obj, string path, string prefix)
        {
            foreach (JsonProperty p in obj.EnumerateObject())
            {
                string name = prefix.Length == 0 ? p.Name : prefix + separator + p.Name;
                var childPath = new StringBuilder(path);
                AppendKey(childPath, p.Name);
                string text = childPath.ToString();
                if (p.Value.ValueKind == JsonValueKind.Object)
                {
                    if (columnName.StartsWith(name, StringComparison.Ordinal) && Walk(p.Value, text, name) is { } found)
                    {
                        return found;
                    }
                }
                else if (name == columnName)
                {
                    if (text != except)
                    {
                        return text;
                    }

                    sameAsExcept++;
                }
            }

            return null;
        }
    }

    internal static void AppendKey(StringBuilder path, string key)
    {
        bool plain = key.Length > 0 && !char.IsDigit(key[0]);
        foreach (char c in key)
        {
            plain &= char.IsLetterOrDigit(c) || c == '_';
        }

        if (plain)
        {
            path.Append('.').Append(key);
        }
        else
        {
            path.Append("['").Append(key.Replace("\\", "\\\\").Replace("'", "\\'")).Append("']");
        }
    }

    private static long Start(JsonElement element, ReadOnlySpan<byte> record) =>
        Unsafe.ByteOffset(ref MemoryMarshal.GetReference(record), ref MemoryMarshal.GetReference(JsonMarshal.GetRawUtf8Value(element)));

    private static bool Contains(JsonElement element, int offset, ReadOnlySpan<byte> record)
    {
        long start = Start(element, record);
        return offset >= start && offset < start + JsonMarshal.GetRawUtf8Value(element).Length;
    }
}
