namespace Transmog.Data.Rows;

/// <summary>How a cell's bytes are to be read. A cell that is not written is null.</summary>
internal enum CellKind : byte
{
    Null = 0,

    /// <summary>Unescaped UTF-8 text.</summary>
    String = 1,

    /// <summary>A JSON number's exact source text.</summary>
    Number = 2,
    True = 3,
    False = 4,

    /// <summary>Compact JSON text.</summary>
    Json = 5,

    /// <summary>16 bytes, big-endian (RFC 4122) order.</summary>
    Guid = 6,

    /// <summary>The run's timestamp; no bytes.</summary>
    Timestamp = 7,
}
