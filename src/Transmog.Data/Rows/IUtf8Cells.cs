namespace Transmog.Data.Rows;

/// <summary>
/// A reader whose text cells can be copied as the UTF-8 they are stored in, with no string per cell. Writers ask for
/// this instead of a concrete reader type, so Output depends on the row format, not on the ADO.NET classes.
/// </summary>
internal interface IUtf8Cells
{
    /// <summary>Copies the value's UTF-8 text into <paramref name="destination"/>; -1 when it is too small.</summary>
    int GetUtf8(int ordinal, Span<byte> destination);

    /// <summary>
    /// Whether a <see cref="DateTime"/> column holds UTC instants (the run's timestamp); a column of date-times as the
    /// input wrote them, without offset, does not.
    /// </summary>
    bool IsUtcTimestamp(int ordinal);
}
