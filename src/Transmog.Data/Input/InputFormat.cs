namespace Transmog.Data;

/// <summary>The layout of the JSON input.</summary>
public enum InputFormat
{
    /// <summary>
    /// Detected from the content: <c>[</c> starts an array of records; a single object followed by nothing is one
    /// record; when a value follows the first object, the input is JSON Lines if that object is alone on its line
    /// (no line break inside it, one between it and the next value), otherwise a <see cref="ValueStream"/>. Files
    /// named <c>.jsonl</c> or <c>.ndjson</c> are JSON Lines.
    /// </summary>
    Auto = 0,

    /// <summary>A top-level array whose elements are the records.</summary>
    Array = 1,

    /// <summary>A single top-level object: one record.</summary>
    Object = 2,

    /// <summary>One JSON object per line (NDJSON); blank lines are skipped; lines end with LF, CRLF or a lone CR.</summary>
    JsonLines = 3,

    /// <summary>
    /// JSON objects one after another, separated by any whitespace or by nothing: pretty-printed objects as
    /// <c>jq '.[]'</c> writes them, or <c>{...}{...}</c>. Record boundaries are found by a token scan. Under
    /// <see cref="RecoveryMode.Skip"/> a syntax error rejects the text up to the next line that starts with <c>{</c>.
    /// </summary>
    ValueStream = 4,
}
