namespace Transmog.Data.Loading;

/// <summary>What a load does with tables already in the database.</summary>
public enum LoadMode
{
    /// <summary>Creates every table; a table that already exists is an error (nothing is loaded).</summary>
    Create = 0,

    /// <summary>
    /// Adds rows to existing tables (creating missing ones). A row whose id is already in its table is skipped, so
    /// loading the same input twice under deterministic ids (<see cref="IdGeneration.Hash"/>, <see cref="IdGeneration.Natural"/>,
    /// <see cref="IdGeneration.Fields"/>) adds nothing the second time. Every column of the data must exist in the table.
    /// </summary>
    Append = 1,

    /// <summary>Drops the tables of the same names (children first) and creates them anew.</summary>
    Replace = 2,
}

/// <summary>The settings of <see cref="TransmogLoader.LoadAsync"/>.</summary>
public sealed record LoadOptions
{
    private readonly string _name = "data";
    private readonly int? _batchSize;

    /// <summary>The entity name: the main table's name and the start of every child table's name. Default <c>data</c>.</summary>
    public string Name
    {
        get => _name;
        init => _name = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("The entity name must not be empty.") : value;
    }

    /// <summary>The flattening options; <see cref="TransmogOptions.Default"/> when <c>null</c>.</summary>
    public TransmogOptions? Flatten { get; init; }

    /// <summary>Create (default), append or replace.</summary>
    public LoadMode Mode
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentException($"LoadMode has no value {value}.");
    }

    /// <summary>Adds a foreign key from each child table's parent id column to its parent table's id (tables this load creates).</summary>
    public bool ForeignKeys { get; init; }

    /// <summary>
    /// Rows per batch: rows handed on by the reader at a time, <c>SqlBulkCopy.BatchSize</c>, and how often progress is
    /// reported and cancellation checked by the drivers. Default: the flattening options' <see cref="TransmogOptions.BatchSize"/>.
    /// </summary>
    public int? BatchSize
    {
        get => _batchSize;
        init => _batchSize = value is null or (>= 1 and <= 10_000_000) ? value : throw new ArgumentException($"BatchSize must be between 1 and 10000000; got {value}.");
    }
}

/// <summary>Progress of a load: reported every batch and at the end of each table.</summary>
/// <param name="Table">The table being loaded.</param>
/// <param name="TableIndex">Its 0-based position among the tables.</param>
/// <param name="TableCount">The number of tables.</param>
/// <param name="TableRows">Rows of this table sent so far.</param>
/// <param name="TotalRows">Rows of all tables sent so far.</param>
public sealed record LoadProgress(string Table, int TableIndex, int TableCount, long TableRows, long TotalRows);

/// <summary>One table of a finished load.</summary>
/// <param name="Name">The table's name in the flattened output.</param>
/// <param name="DatabaseName">Its name in the database (shortened where the dialect needs it).</param>
/// <param name="RowsRead">Rows read from the input for this table.</param>
/// <param name="RowsInserted">Rows added to the database (fewer than read when <see cref="LoadMode.Append"/> skipped existing ids).</param>
public sealed record LoadedTable(string Name, string DatabaseName, long RowsRead, long RowsInserted);

/// <summary>The outcome of a load: every table, parents before children.</summary>
public sealed class LoadResult
{
    internal LoadResult(SqlDialect dialect, IReadOnlyList<LoadedTable> tables, TimeSpan elapsed)
    {
        Dialect = dialect;
        Tables = tables;
        Elapsed = elapsed;
    }

    /// <summary>The database's dialect.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>The tables loaded, parents before children.</summary>
    public IReadOnlyList<LoadedTable> Tables { get; }

    /// <summary>How long the load took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Rows read from the input, all tables.</summary>
    public long RowsRead => Tables.Sum(t => t.RowsRead);

    /// <summary>Rows added to the database, all tables.</summary>
    public long RowsInserted => Tables.Sum(t => t.RowsInserted);
}
