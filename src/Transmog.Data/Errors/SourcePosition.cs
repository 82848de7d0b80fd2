namespace Transmog.Data;

/// <summary>A place in the input: line, column, byte offset, record number and JSON path.</summary>
/// <param name="Line">1-based line number.</param>
/// <param name="Column">1-based column, counted in bytes.</param>
/// <param name="ByteOffset">0-based byte offset in the (decompressed) input.</param>
/// <param name="RecordNumber">1-based number of the record, or 0 when the problem is outside any record.</param>
/// <param name="JsonPath">The JSON path, such as <c>$[3].orders[0].price</c>.</param>
internal readonly record struct SourcePosition(long Line, long Column, long ByteOffset, long RecordNumber, string JsonPath)
{
    /// <summary>
    /// The file: for several files (<see cref="JsonInput.FromFiles"/>) its path relative to its directory or pattern
    /// root, or as given when named explicitly; for a single file (<see cref="JsonInput.FromFile"/>) its path as given;
    /// <c>null</c> for streams, text, bytes and records.
    /// </summary>
    public string? File { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        (File is null ? string.Empty : $"file {File}, ")
        + (RecordNumber > 0
            ? $"line {Line}, column {Column}, byte offset {ByteOffset}, record {RecordNumber}, path {JsonPath}"
            : $"line {Line}, column {Column}, byte offset {ByteOffset}, path {JsonPath}");
}
