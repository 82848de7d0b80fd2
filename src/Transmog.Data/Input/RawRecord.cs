namespace Transmog.Data.Input;

/// <summary>
/// One record's UTF-8 text as found in the input, with where it starts. <see cref="Utf8"/> is only valid until the
/// reader that produced it reads the next record.
/// </summary>
internal readonly struct RawRecord(ReadOnlyMemory<byte> utf8, long number, long line, long column, long byteOffset, string path, string? file = null, string? key = null)
{
    /// <summary>The record's text.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    /// <summary>1-based number of the record in the input (bad records count too).</summary>
    public long Number { get; } = number;

    /// <summary>1-based line of the record's first byte.</summary>
    public long Line { get; } = line;

    /// <summary>1-based column (bytes) of the record's first byte.</summary>
    public long Column { get; } = column;

    /// <summary>0-based offset of the record's first byte.</summary>
    public long ByteOffset { get; } = byteOffset;

    /// <summary>The JSON path of the record itself: <c>$</c>, <c>$[3]</c>, or <c>$</c> for a line.</summary>
    public string Path { get; } = path;

    /// <summary>The file the record is in (<see cref="SourcePosition.File"/>), or <c>null</c> for streams, text, bytes and records.</summary>
    public string? File { get; } = file;

    /// <summary>The member name of a record taken from an object map (<see cref="TransmogOptions.RecordsPath"/> with <c>*</c>).</summary>
    public string? Key { get; } = key;

    /// <summary>The position of the record's start.</summary>
    public SourcePosition Position => new(Line, Column, ByteOffset, Number, Path) { File = File };
}
