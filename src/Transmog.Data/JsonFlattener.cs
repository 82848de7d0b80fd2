using Transmog.Data.Output;
using Transmog.Data.Pipeline;

namespace Transmog.Data;

/// <summary>
/// The entry points, after Python transmog's <c>flatten()</c> and <c>flatten_stream()</c>: flatten nested JSON into
/// a main table and one child table per nested array of objects, linked by <c>_id</c> / <c>_parent_id</c>.
/// </summary>
public static class JsonFlattener
{
    /// <summary>
    /// Flattens a small input into tables held in memory, like Python's <c>flatten()</c>. For large inputs use
    /// <see cref="FlattenStreamAsync"/> or <see cref="OpenReader"/>, whose memory does not grow with the input.
    /// </summary>
    /// <param name="input">The JSON.</param>
    /// <param name="name">The entity name: the main table's name and the start of every child table's name.</param>
    /// <param name="options">The flattening options; <see cref="TransmogOptions.Default"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <exception cref="TransmogException">The input or the options are invalid.</exception>
    public static FlattenResult Flatten(JsonInput input, string name = "data", TransmogOptions? options = null, CancellationToken cancellationToken = default)
    {
        FlattenRun run = FlattenRun.Open(input, name, options, TablePlan.Memory(), new RejectSink(keep: true), null, cancellationToken);
        return new FlattenResult(run);
    }

    /// <summary>
    /// Flattens an input of any size straight into one file per non-empty table, like Python's
    /// <c>flatten_stream()</c>. Memory is bounded by the batch size, not the input size. Files appear under their
    /// final names (<c>&lt;table&gt;.csv</c> or <c>.parquet</c>) only when all are complete; rejected records
    /// (under <see cref="RecoveryMode.Skip"/>) go to <c>_rejects.jsonl</c>.
    /// </summary>
    /// <param name="input">The JSON.</param>
    /// <param name="outputDirectory">Where the files go (created if missing).</param>
    /// <param name="name">The entity name.</param>
    /// <param name="format">The file format and its settings: <see cref="CsvFormatOptions"/> (the default when <c>null</c>) or <see cref="ParquetFormatOptions"/>.</param>
    /// <param name="options">The flattening options; <see cref="TransmogOptions.ForMemory"/> when <c>null</c>, as in Python.</param>
    /// <param name="progress">Receives progress every few thousand records.</param>
    /// <param name="cancellationToken">Stops the run; no file is left looking complete.</param>
    /// <returns>The paths written, tables first (main first), then the rejects file if any.</returns>
    public static Task<IReadOnlyList<string>> FlattenStreamAsync(
        JsonInput input,
        string outputDirectory,
        string name = "data",
        FormatOptions? format = null,
        TransmogOptions? options = null,
        IProgress<FlattenProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        FormatOptions checkedOptions = TableFileNames.Check(format);
        options ??= TransmogOptions.ForMemory();

        // Parsing is synchronous CPU work over buffered reads: run it off the caller's thread.
        return Task.Run(() => TableFiles.WriteAsync(input, outputDirectory, name, options, checkedOptions, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Opens a forward-only reader over one table (<paramref name="table"/>; rows of other tables are discarded at no
    /// cost) or, when <paramref name="table"/> is <c>null</c>, over all tables as consecutive result sets (main first,
    /// then children in first-seen order; rows of tables not yet read wait in temporary spill files).
    /// </summary>
    /// <param name="input">The JSON.</param>
    /// <param name="name">The entity name.</param>
    /// <param name="table">The table to read, or <c>null</c> for all.</param>
    /// <param name="options">The flattening options.</param>
    /// <exception cref="TransmogException">The input, the options or the table name are invalid.</exception>
    public static TransmogDataReader OpenReader(JsonInput input, string name = "data", string? table = null, TransmogOptions? options = null) =>
        TransmogDataReader.Open(input, name, table, options);

    /// <summary>Reads the input once and returns its tables, columns and types (with row counts).</summary>
    /// <param name="input">The JSON.</param>
    /// <param name="name">The entity name.</param>
    /// <param name="options">The flattening options.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    public static TransmogSchema ReadSchema(JsonInput input, string name = "data", TransmogOptions? options = null, CancellationToken cancellationToken = default) =>
        FlattenRun.ReadSchema(input, name, options, cancellationToken);
}
