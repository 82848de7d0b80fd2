using System.Text;

namespace Transmog.Data.Input;

/// <summary>
/// A parsed <see cref="TransmogOptions.RecordsPath"/>: dot-separated member names leading to the records, where a
/// <c>*</c> segment stands for every member of an object (an object map).
/// </summary>
internal sealed class RecordsPath
{
    private RecordsPath(string text, string[] segments)
    {
        Text = text;
        Segments = segments;
        Utf8Segments = Array.ConvertAll(segments, s => s == "*" ? [] : Encoding.UTF8.GetBytes(s));
    }

    public string Text { get; }

    /// <summary>The segments; <c>*</c> for every member of an object map.</summary>
    public string[] Segments { get; }

    /// <summary>The segments' names in UTF-8 (empty for <c>*</c>), to compare with property names as they are read.</summary>
    public byte[][] Utf8Segments { get; }

    public static RecordsPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.StartsWith("$.", StringComparison.Ordinal) ? text[2..] : text;
        string[] segments = trimmed.Split('.');
        foreach (string segment in segments)
        {
            if (segment.Length == 0)
            {
                throw new ArgumentException(
                    $"RecordsPath '{text}' has an empty segment: give dot-separated member names, such as 'statuses', 'data.items' or 'plugins.*'.");
            }
        }

        if (Array.FindAll(segments, s => s == "*").Length > 1)
        {
            throw new ArgumentException($"RecordsPath '{text}' has more than one '*': one object map per path (its member names go to KeyField).");
        }

        foreach (string segment in segments)
        {
            if (segment != "*" && segment.Contains('*', StringComparison.Ordinal))
            {
                throw new ArgumentException($"RecordsPath '{text}': '*' stands alone as a segment (every member of an object map), not inside a name.");
            }
        }

        return new RecordsPath(string.Join('.', segments), segments);
    }

    /// <summary>The JSON path of the first <paramref name="depth"/> segments, for messages: <c>$.data.items</c>.</summary>
    public string JsonPath(int depth)
    {
        var sb = new StringBuilder("$");
        for (int i = 0; i < depth && i < Segments.Length; i++)
        {
            sb.Append('.').Append(Segments[i]);
        }

        return sb.ToString();
    }
}
