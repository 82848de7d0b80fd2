namespace Transmog.Data;

/// <summary>The layout of the JSON input.</summary>
public enum InputFormat
{
    /// <summary>
    /// Detected from the content: <c>[</c> starts an array of records; a single object followed by nothing is one
    /// record; objects one per line are JSON Lines. Files named <c>.jsonl</c> or <c>.ndjson</c> are JSON Lines.
    /// </summary>
    Auto = 0,

    /// <summary>A top-level array whose elements are the records.</summary>
    Array = 1,

    /// <summary>A single top-level object: one record.</summary>
    Object = 2,

    /// <summary>One JSON object per line (NDJSON); blank lines are skipped, LF or CRLF.</summary>
    JsonLines = 3,
}
