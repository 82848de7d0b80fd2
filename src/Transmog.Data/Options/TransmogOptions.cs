namespace Transmog.Data;

/// <summary>
/// Every flattening setting, in the spirit of Python transmog's <c>TransmogConfig</c>. Each property validates its
/// value when set, and <see cref="Validate"/> checks the settings against each other; every entry point calls it,
/// so an invalid combination never reaches the input.
/// </summary>
/// <remarks>
/// Options are immutable records: derive a variant with <c>with</c>, e.g.
/// <c>TransmogOptions.ForCsv() with { Separator = "." }</c>. Format-specific settings (CSV delimiter, Parquet
/// compression, ...) live in <see cref="CsvFormatOptions"/> and <see cref="ParquetFormatOptions"/>.
/// </remarks>
public sealed partial record TransmogOptions
{
    private readonly string _separator = "_";
    private readonly string _idField = "_id";
    private readonly string _parentField = "_parent_id";
    private readonly string? _timeField = "_timestamp";
    private readonly int _maxDepth = 100;
    private readonly int _batchSize = 1000;
    private readonly int _cacheSize = 10_000;
    private readonly int _inferenceWindow = 1000;
    private readonly int _maxColumns = 100_000;
    private readonly int _maxTables = 10_000;
    private readonly IdGeneration _idGeneration = IdGeneration.Random;

    /// <summary>The default options (Python transmog's defaults).</summary>
    public static TransmogOptions Default { get; } = new();

    /// <summary>Joins the keys of a nested path into a column name. Default <c>"_"</c>; must not be empty.</summary>
    public string Separator
    {
        get => _separator;
        init => _separator = string.IsNullOrEmpty(value)
            ? throw new ArgumentException("Separator must be a non-empty string.")
            : value;
    }

    /// <summary>How arrays become child tables or columns. Default <see cref="ArrayMode.Smart"/>.</summary>
    public ArrayMode ArrayMode { get; init => field = Enum.IsDefined(value) ? value : throw Invalid(nameof(ArrayMode), value); }

    /// <summary>How row ids are produced. Default <see cref="IdGeneration.Random"/>.</summary>
    public IdGeneration IdGeneration
    {
        get => _idGeneration;
        init => _idGeneration = value ?? throw new ArgumentException("IdGeneration must not be null.");
    }

    /// <summary>The id column of every table. Default <c>_id</c>; under <see cref="IdGeneration.Natural"/> also the record field that holds the id.</summary>
    public string IdField { get => _idField; init => _idField = RequireName(nameof(IdField), value); }

    /// <summary>The column of child rows that holds the id of the row holding the array. Default <c>_parent_id</c>.</summary>
    public string ParentField { get => _parentField; init => _parentField = RequireName(nameof(ParentField), value); }

    /// <summary>
    /// The column that holds the run's UTC instant, the same on every row; <c>null</c> disables it.
    /// Default <c>_timestamp</c>.
    /// </summary>
    public string? TimeField
    {
        get => _timeField;
        init => _timeField = value is null ? null : RequireName(nameof(TimeField), value);
    }

    /// <summary>
    /// Keeps columns for <c>null</c> and <c>""</c> values (the cell is null) even when a column is only ever null.
    /// Default <c>false</c>: such values are left out.
    /// </summary>
    public bool IncludeNulls { get; init; }

    /// <summary>
    /// Turns every leaf into text: strings as they are, numbers as their exact source text, booleans
    /// <c>true</c>/<c>false</c>. Nulls stay null. Default <c>false</c>.
    /// </summary>
    public bool StringifyValues { get; init; }

    /// <summary>
    /// Types a string column whose every value is an ISO 8601 date (<c>2024-03-01</c>), date-time without offset
    /// (<c>2024-03-01T10:20:30</c>, <c>T</c> or a space, up to 6 fractional digits) or date-time with offset
    /// (<c>...Z</c>, <c>...+01:00</c>) as <see cref="TransmogColumnType.Date"/>, <see cref="TransmogColumnType.DateTime"/>
    /// or <see cref="TransmogColumnType.DateTimeOffset"/>; rows keep the original text. A value that would lose digits,
    /// an invalid date or any other value keeps the column a string. Default <c>true</c>; <c>false</c> (or
    /// <see cref="StringifyValues"/>) keeps such values as strings, as Python transmog does.
    /// </summary>
    public bool InferDates { get; init; } = true;

    /// <summary>
    /// Nesting depth below which objects are no longer flattened; the subtree is kept as JSON text in the column
    /// named by its path (nothing is lost). Default 100; at least 1.
    /// </summary>
    public int MaxDepth { get => _maxDepth; init => _maxDepth = RequireRange(nameof(MaxDepth), value, 1, 10_000); }

    /// <summary>How many rows are handed on at a time wherever rows cross a buffer, a thread or a file writer. Default 1000.</summary>
    public int BatchSize { get => _batchSize; init => _batchSize = RequireRange(nameof(BatchSize), value, 1, 10_000_000); }

    /// <summary>
    /// The number of entries of the path-to-column cache (keys of nested paths resolved to their column without
    /// building a name string). When full, new paths are resolved without caching. Default 10,000.
    /// </summary>
    public int CacheSize { get => _cacheSize; init => _cacheSize = RequireRange(nameof(CacheSize), value, 0, 100_000_000); }

    /// <summary>What happens to a bad record. Default <see cref="RecoveryMode.Strict"/>.</summary>
    public RecoveryMode RecoveryMode { get; init => field = Enum.IsDefined(value) ? value : throw Invalid(nameof(RecoveryMode), value); }

    /// <summary>
    /// When two paths of one record produce one column name (<c>{"a_b":1,"a":{"b":2}}</c> with the default
    /// separator), the value met last in document order wins and the earlier one is dropped, as Python transmog does.
    /// Default <c>false</c>: stop with an error naming both paths, since keeping the last value loses data.
    /// </summary>
    public bool LastWriteWins { get; init; }

    /// <summary>Adds <c>_array_index</c>, the 0-based position of a child row's item in its array. Default <c>false</c>.</summary>
    public bool IncludeArrayIndex { get; init; }

    /// <summary>Adds <c>_root_id</c>, the id of the root record, to every child row. Default <c>false</c>.</summary>
    public bool IncludeRootId { get; init; }

    /// <summary>
    /// The column type of numbers with a fraction or exponent: <see cref="TransmogColumnType.Double"/> (the default;
    /// numbers beyond its range are kept as their exact text) or <see cref="TransmogColumnType.Decimal"/> (numbers that
    /// do not fit exactly are kept as their exact text).
    /// </summary>
    public TransmogColumnType RealNumbers
    {
        get;
        init => field = value is TransmogColumnType.Double or TransmogColumnType.Decimal ? value : throw Invalid(nameof(RealNumbers), value);
    } = TransmogColumnType.Double;

    /// <summary>Where the schema comes from when <see cref="Schema"/> is not given. Default <see cref="SchemaInference.Auto"/>.</summary>
    public SchemaInference SchemaInference { get; init => field = Enum.IsDefined(value) ? value : throw Invalid(nameof(SchemaInference), value); }

    /// <summary>How many records the <see cref="SchemaInference.Window"/> inference holds in memory. Default 1000.</summary>
    public int InferenceWindow { get => _inferenceWindow; init => _inferenceWindow = RequireRange(nameof(InferenceWindow), value, 1, 100_000_000); }

    /// <summary>What happens to a record that does not fit a fixed schema. Default <see cref="RecoveryMode.Strict"/>.</summary>
    public RecoveryMode SchemaDrift { get; init => field = Enum.IsDefined(value) ? value : throw Invalid(nameof(SchemaDrift), value); }

    /// <summary>An explicit schema: the tables and columns to produce, with their types. Default none (inferred).</summary>
    public TransmogSchema? Schema { get; init; }

    /// <summary>The most columns one table may have; more is a clear error rather than unbounded memory. Default 100,000.</summary>
    public int MaxColumns { get => _maxColumns; init => _maxColumns = RequireRange(nameof(MaxColumns), value, 1, 1_000_000); }

    /// <summary>
    /// The most bytes the input may have once decompressed; past it the run stops with a
    /// <see cref="TransmogInputException"/> (whatever <see cref="RecoveryMode"/>). A guard against decompression bombs
    /// and runaway streams. Default <c>null</c>: no limit.
    /// </summary>
    public long? MaxInputBytes
    {
        get;
        init => field = value is <= 0
            ? throw new ArgumentException($"MaxInputBytes must be positive when set; got {value}.")
            : value;
    }

    /// <summary>The most tables one input may produce; more is a clear error rather than unbounded files and memory. Default 10,000.</summary>
    public int MaxTables { get => _maxTables; init => _maxTables = RequireRange(nameof(MaxTables), value, 1, 1_000_000); }

    /// <summary>
    /// How many threads flatten records at once. Records are read and rows are handed on in input order whatever the
    /// number: tables, columns, ids and rejects are the same as with one thread. <c>null</c> (the default) uses
    /// every core (<see cref="Environment.ProcessorCount"/>); 1 flattens on the calling thread only.
    /// </summary>
    /// <remarks>
    /// Each thread keeps its own path cache of up to <see cref="CacheSize"/> entries, and about two chunks of
    /// 256 KB of input (and their rows) are in flight per thread.
    /// </remarks>
    public int? MaxDegreeOfParallelism
    {
        get;
        init => field = value is null ? null : RequireRange(nameof(MaxDegreeOfParallelism), value.Value, 1, 1024);
    }

    /// <summary>The number of flattening threads these options give (see <see cref="MaxDegreeOfParallelism"/>).</summary>
    internal int EffectiveParallelism => MaxDegreeOfParallelism ?? Environment.ProcessorCount;

    /// <summary>Input bytes per chunk of records handed to a flattening thread (tests make it small).</summary>
    internal int ChunkBytes { get; init; } = Flattening.ParallelFlattenPass.DefaultChunkBytes;

    /// <summary>
    /// Accepts <c>//</c> and <c>/* */</c> comments in the input. Default <c>false</c>. In JSON Lines every line stands
    /// alone: a comment ends on its line, a line of comments only is skipped like a blank line, and a record may have
    /// comments before and after it on its line.
    /// </summary>
    public bool AllowComments { get; init; }

    /// <summary>Accepts a trailing comma after the last member of an object or array. Default <c>false</c>.</summary>
    public bool AllowTrailingCommas { get; init; }

    /// <summary>
    /// Where the run logs (start and end with the input and options, tables, spill files, rejects, schema drift,
    /// database statements); never per row. <c>null</c> (the default): no logging, at no cost. See
    /// <see cref="TransmogDiagnostics"/> for the event ids, the activities and the metrics.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Python's <c>for_memory()</c>: batch 100, cache 1000. The default of streaming to files.</summary>
    public static TransmogOptions ForMemory() => new() { BatchSize = 100, CacheSize = 1000 };

    /// <summary>Python's <c>for_performance()</c>: batch 10,000, cache 50,000.</summary>
    public static TransmogOptions ForPerformance() => new() { BatchSize = 10_000, CacheSize = 50_000 };

    /// <summary>Python's <c>for_parquet()</c>: batch 10,000, cache 50,000 (Parquet row groups are sized by <see cref="ParquetFormatOptions.RowGroupBytes"/>, not by the batch).</summary>
    public static TransmogOptions ForParquet() => new() { BatchSize = 10_000, CacheSize = 50_000 };

    /// <summary>Python's <c>for_csv()</c>: keep null columns, every value as text.</summary>
    public static TransmogOptions ForCsv() => new() { IncludeNulls = true, StringifyValues = true };

    /// <summary>Python's <c>simple()</c>: metadata columns <c>id</c>, <c>parent_id</c>, <c>timestamp</c>.</summary>
    public static TransmogOptions Simple() => new() { IdField = "id", ParentField = "parent_id", TimeField = "timestamp" };

    /// <summary>Python's <c>error_tolerant()</c>: bad records go to the rejects sink and the run goes on.</summary>
    public static TransmogOptions ErrorTolerant() => new() { RecoveryMode = RecoveryMode.Skip };

    /// <summary>
    /// A preset by name, as the CLI and connection strings spell it: <c>memory</c>, <c>performance</c>,
    /// <c>parquet</c>, <c>csv</c>, <c>simple</c>, <c>tolerant</c> (or <c>error-tolerant</c>); case and spaces ignored.
    /// </summary>
    /// <param name="name">The preset's name.</param>
    /// <exception cref="ArgumentException">No preset has that name.</exception>
    public static TransmogOptions FromPreset(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant().Replace(" ", "-", StringComparison.Ordinal) switch
        {
            "memory" => ForMemory(),
            "performance" => ForPerformance(),
            "parquet" => ForParquet(),
            "csv" => ForCsv(),
            "simple" => Simple(),
            "tolerant" or "error-tolerant" or "errortolerant" => ErrorTolerant(),
            _ => throw new ArgumentException($"Unknown preset '{name}': use memory, performance, parquet, csv, simple or tolerant."),
        };
    }

    /// <summary>
    /// Checks the settings against each other (metadata columns distinct, the natural id field, the explicit
    /// schema). Every entry point calls it.
    /// </summary>
    /// <exception cref="ArgumentException">A combination of settings is invalid.</exception>
    public TransmogOptions Validate()
    {
        var names = new List<(string Option, string Name)> { (nameof(IdField), IdField), (nameof(ParentField), ParentField) };
        if (TimeField is not null)
        {
            names.Add((nameof(TimeField), TimeField));
        }

        if (IncludeArrayIndex)
        {
            names.Add((nameof(IncludeArrayIndex), MetadataNames.ArrayIndex));
        }

        if (IncludeRootId)
        {
            names.Add((nameof(IncludeRootId), MetadataNames.RootId));
        }

        AddInputMetadataNames(names);

        for (int i = 0; i < names.Count; i++)
        {
            for (int j = i + 1; j < names.Count; j++)
            {
                if (string.Equals(names[i].Name, names[j].Name, StringComparison.Ordinal))
                {
                    throw new ArgumentException(
                        $"{names[i].Option} and {names[j].Option} are both '{names[i].Name}': metadata columns must be distinct.");
                }
            }
        }

        Schema?.Validate();
        return this;
    }

    private static string RequireName(string option, string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"{option} must be a non-empty column name.")
            : value;

    private static int RequireRange(string option, int value, int min, int max) =>
        value < min || value > max
            ? throw new ArgumentException($"{option} must be between {min} and {max}; got {value}.")
            : value;

    private static ArgumentException Invalid<T>(string option, T value) =>
        new($"{option} has no value {value}.");
}

/// <summary>Names of the optional metadata columns.</summary>
internal static class MetadataNames
{
    public const string ArrayIndex = "_array_index";
    public const string RootId = "_root_id";
    public const string Value = "value";
}
