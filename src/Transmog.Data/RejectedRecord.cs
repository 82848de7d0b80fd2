using System.Text;

namespace Transmog.Data;

/// <summary>A record that <see cref="RecoveryMode.Skip"/> left out, with where it was, why, and its raw text.</summary>
public sealed class RejectedRecord
{
    /// <summary>Creates a rejected record.</summary>
    /// <param name="position">Where the record (or the problem in it) is.</param>
    /// <param name="error">Why it was rejected.</param>
    /// <param name="rawUtf8">The record's raw text as UTF-8 (invalid sequences become U+FFFD).</param>
    internal RejectedRecord(SourcePosition position, string error, ReadOnlySpan<byte> rawUtf8)
    {
        Position = position;
        Error = error;
        RawText = Encoding.UTF8.GetString(rawUtf8);
    }

    /// <summary>Where the record is in the input.</summary>
    internal SourcePosition Position { get; }

    /// <summary>The file: a single file's path as given; among several, the path relative to the directory or pattern it was found by (as given when named explicitly); <c>null</c> for streams, text, bytes and records.</summary>
    public string? File => Position.File;

    /// <summary>The 1-based line where the record (or the problem) is.</summary>
    public long Line => Position.Line;

    /// <summary>The 1-based column, counted in bytes.</summary>
    public long Column => Position.Column;

    /// <summary>The 0-based byte offset in the (decompressed) input.</summary>
    public long ByteOffset => Position.ByteOffset;

    /// <summary>The 1-based number of the record, or 0 when the problem is outside any record.</summary>
    public long RecordNumber => Position.RecordNumber;

    /// <summary>The JSON path of the problem, such as <c>$[3].orders[0].price</c>.</summary>
    public string JsonPath => Position.JsonPath;

    /// <summary>Why it was rejected.</summary>
    public string Error { get; }

    /// <summary>The record's raw text.</summary>
    public string RawText { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Error} ({Position})";
}
