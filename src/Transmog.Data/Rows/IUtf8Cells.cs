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

    /// <summary>
    /// The current row's cell of a column as it is stored: its kind (<see cref="CellKind.Null"/> for null) and bytes
    /// (see <see cref="CellKind"/>; none for a boolean or the run's timestamp). No copy, no string.
    /// </summary>
    CellKind GetCell(int ordinal, out ReadOnlySpan<byte> cell);

    /// <summary>The run's timestamp as UTF-8 text, as a text getter gives it.</summary>
    ReadOnlySpan<byte> TimestampUtf8 { get; }
}
