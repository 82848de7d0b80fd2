using System.Text;

namespace Transmog.Data;

/// <summary>A record that <see cref="RecoveryMode.Skip"/> left out, with where it was, why, and its raw text.</summary>
public sealed class RejectedRecord
{
    /// <summary>Creates a rejected record.</summary>
    /// <param name="position">Where the record (or the problem in it) is.</param>
    /// <param name="error">Why it was rejected.</param>
    /// <param name="rawUtf8">The record's raw text as UTF-8 (invalid sequences become U+FFFD).</param>
    public RejectedRecord(SourcePosition position, string error, ReadOnlySpan<byte> rawUtf8)
    {
        Position = position;
        Error = error;
        RawText = Encoding.UTF8.GetString(rawUtf8);
    }

    /// <summary>Where the record (or the problem in it) is.</summary>
    public SourcePosition Position { get; }

    /// <summary>Why it was rejected.</summary>
    public string Error { get; }

    /// <summary>The record's raw text.</summary>
    public string RawText { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Error} ({Position})";
}
