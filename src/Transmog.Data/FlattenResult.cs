using Transmog.Data.Output;
using Transmog.Data.Pipeline;

namespace Transmog.Data;

/// <summary>
/// The tables of a flattened input held in memory, like Python transmog's <c>FlattenResult</c>: the main table,
/// the child tables by name, and the rejected records.
/// </summary>
public sealed class FlattenResult : IDisposable
{
    private readonly FlattenRun _run;
    private readonly Dictionary<string, FlattenedTable> _all;

    internal FlattenResult(FlattenRun run)
    {
        _run = run;
        Rejects = run.Rejects.Kept;
        _all = new Dictionary<string, FlattenedTable>(StringComparer.Ordinal);
        var list = new List<FlattenedTable>();
        foreach (var model in run.Tables)
        {
            // The result's own descriptions carry the counts; the run's schema is not changed.
            var table = new FlattenedTable(run, model, model.Public!.WithRowCount(model.RowCount));
            list.Add(table);
            _all.Add(table.Name, table);
        }

        AllTables = list;
        Main = list[0];
        Tables = list.Skip(1).ToDictionary(t => t.Name, StringComparer.Ordinal);
        Schema = new TransmogSchema(list.Select(t => t.Schema)) { RealNumbers = run.Schema.RealNumbers };
    }

    /// <summary>The entity name (the main table's name).</summary>
    public string EntityName => Main.Name;

    /// <summary>The main table.</summary>
    public FlattenedTable Main { get; }

    /// <summary>The child tables by name.</summary>
    public IReadOnlyDictionary<string, FlattenedTable> Tables { get; }

    /// <summary>Every table, main first, then children in first-seen order.</summary>
    public IReadOnlyList<FlattenedTable> AllTables { get; }

    /// <summary>The schema of all tables.</summary>
    public TransmogSchema Schema { get; }

    /// <summary>The records left out under <see cref="RecoveryMode.Skip"/>, with position, error and raw text.</summary>
    public IReadOnlyList<RejectedRecord> Rejects { get; }

    /// <summary>The run's timestamp (the <c>_timestamp</c> of every row).</summary>
    public DateTime Timestamp => _run.Timestamp;

    /// <summary>A table by name (exact, then ignoring case).</summary>
    /// <param name="name">The table name.</param>
    /// <exception cref="KeyNotFoundException">No such table; the message lists the tables.</exception>
    public FlattenedTable this[string name]
    {
        get
        {
            if (_all.TryGetValue(name, out FlattenedTable? table))
            {
                return table;
            }

            return AllTables.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new KeyNotFoundException(TransmogSchema.NoSuchTable(name, AllTables.Select(t => t.Name)));
        }
    }

    /// <summary>Writes every non-empty table into <paramref name="outputDirectory"/> as <c>&lt;table&gt;.csv</c> or <c>.parquet</c>.</summary>
    /// <param name="outputDirectory">The directory (created if missing).</param>
    /// <param name="format">The file format and its settings: <see cref="CsvFormatOptions"/> (the default when <c>null</c>) or <see cref="ParquetFormatOptions"/>.</param>
    /// <returns>The paths written.</returns>
    public IReadOnlyList<string> Save(string outputDirectory, FormatOptions? format = null) =>
        SaveAsync(outputDirectory, format).GetAwaiter().GetResult();

    /// <inheritdoc cref="Save"/>
    /// <param name="outputDirectory">The directory (created if missing).</param>
    /// <param name="format">The file format and its settings: <see cref="CsvFormatOptions"/> (the default when <c>null</c>) or <see cref="ParquetFormatOptions"/>.</param>
    /// <param name="cancellationToken">Stops writing; no file is left looking complete.</param>
    public async Task<IReadOnlyList<string>> SaveAsync(string outputDirectory, FormatOptions? format = null, CancellationToken cancellationToken = default)
    {
        FormatOptions formatOptions = TableFileNames.Check(format);
        Directory.CreateDirectory(outputDirectory);
        using var pending = new PendingFiles();
        var names = new TableFileNames(formatOptions);
        foreach (FlattenedTable table in AllTables)
        {
            if (table.RowCount == 0)
            {
                continue;
            }

            string temporary = pending.Add(SafeFileName.Inside(outputDirectory, names.For(table.Name)));
            using TransmogDataReader reader = table.CreateReader();
            await using var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            await TableFiles.WriteTableAsync(reader, stream, formatOptions, _run.Options, cancellationToken).ConfigureAwait(false);
        }

        return pending.Commit();
    }

    /// <summary>Releases the rows held in memory.</summary>
    public void Dispose() => _run.Dispose();
}
