namespace Transmog.Data.Loading;

/// <summary>What a load does with tables already in the database.</summary>
public enum LoadMode
{
    /// <summary>Creates every table; a table that already exists is an error (nothing is loaded).</summary>
    Create = 0,

    /// <summary>
    /// Adds records to existing tables (creating missing ones). A record whose root id is already in the main table is
    /// skipped whole, with all its nested rows, so a re-delivered record never half-merges (use <see cref="Merge"/> to
    /// replace it); a nested row whose id is already in its table is skipped too. Loading the same input twice under
    /// deterministic ids (<see cref="IdGeneration.Hash"/>, <see cref="IdGeneration.Natural"/>,
    /// <see cref="IdGeneration.Fields"/>) adds nothing the second time. Every column of the data must exist in the
    /// table with a type that holds its values, unless <see cref="LoadOptions.Evolve"/>.
    /// </summary>
    Append = 1,

    /// <summary>Drops the tables of the same names (children first) and creates them anew.</summary>
    Replace = 2,

    /// <summary>
    /// Adds new records and replaces those whose root id is already in the main table, together with all their nested
    /// rows: the old child and grandchild rows of a replaced record are deleted (in every child table of the entity,
    /// also those the new input lacks) and the new ones inserted. Needs deterministic ids
    /// (<see cref="IdGeneration.Natural"/>, <see cref="IdGeneration.Fields"/>, <see cref="IdGeneration.Hash"/>; under
    /// <c>Hash</c> a changed record has a new id, so it is added beside the old one); <see cref="IdGeneration.Random"/>
    /// is refused.
    /// </summary>
    Merge = 3,
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

    /// <summary>Create (default), append, replace or merge.</summary>
    public LoadMode Mode
    {
        get;
        init => field = Enum.IsDefined(value) ? value : throw new ArgumentException($"LoadMode has no value {value}.");
    }

    /// <summary>
    /// With <see cref="LoadMode.Append"/> or <see cref="LoadMode.Merge"/>: changes existing tables to fit the data —
    /// adds missing columns (nullable; earlier rows null) and widens a column whose values no longer fit (integer →
    /// real → decimal → text, boolean → text, json → text) where the database converts the rows already there without
    /// loss. A widening that would lose or change values is an error naming the table, the column, its database type
    /// and the values' type, and nothing is changed. Every change is listed in <see cref="LoadResult.Changes"/>.
    /// Without it, a column the table lacks or cannot hold is an error. Where the database's DDL is transactional
    /// (PostgreSQL, SQLite, DuckDB, SQL Server) the changes and the rows are one transaction; MySQL/MariaDB commit
    /// each ALTER at once, so a failed load undoes them afterwards (added columns dropped, widened columns given their
    /// old type back, created tables dropped).
    /// </summary>
    public bool Evolve { get; init; }

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
/// <param name="RowsInserted">Rows written to the database: added, or under <see cref="LoadMode.Merge"/> added or replacing a row with the same id (fewer than read when <see cref="LoadMode.Append"/> skipped existing records).</param>
public sealed record LoadedTable(string Name, string DatabaseName, long RowsRead, long RowsInserted)
{
    /// <summary>Under <see cref="LoadMode.Merge"/>: rows of this table whose record was replaced — in the main table the replaced records, in a child table their old nested rows deleted.</summary>
    public long RowsReplaced { get; init; }
}

/// <summary>The outcome of a load: every table, parents before children.</summary>
public sealed class LoadResult
{
    internal LoadResult(SqlDialect dialect, IReadOnlyList<LoadedTable> tables, TimeSpan elapsed, IReadOnlyList<SchemaChange>? changes = null)
    {
        Dialect = dialect;
        Tables = tables;
        Elapsed = elapsed;
        Changes = changes ?? [];
    }

    /// <summary>The changes made to the database's tables (<see cref="LoadOptions.Evolve"/>, and tables created in append or merge mode), in the order made.</summary>
    public IReadOnlyList<SchemaChange> Changes { get; }

    /// <summary>The database's dialect.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>
    /// The tables loaded, parents before children. Under <see cref="LoadMode.Merge"/> they are followed by the child
    /// tables in the database that the input lacks but that held nested rows of replaced records (named by their
    /// database name, 0 rows read, <see cref="LoadedTable.RowsReplaced"/> the rows deleted).
    /// </summary>
    public IReadOnlyList<LoadedTable> Tables { get; }

    /// <summary>How long the load took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Rows read from the input, all tables.</summary>
    public long RowsRead => Tables.Sum(t => t.RowsRead);

    /// <summary>Rows added to the database, all tables.</summary>
    public long RowsInserted => Tables.Sum(t => t.RowsInserted);
}
