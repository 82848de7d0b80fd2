using Transmog.Data.Feeds;
using Transmog.Data.Flattening;
using Transmog.Data.Rows;

namespace Transmog.Data.Pipeline;

/// <summary>How a consumer uses the tables of one run: every mode of consumption, named in one place.</summary>
internal enum TableUse
{
    /// <summary>Only the schema (and counts) is wanted; no row is kept.</summary>
    SchemaOnly,

    /// <summary>Every table held in memory (<see cref="FlattenResult"/>).</summary>
    Memory,

    /// <summary>Every table written to a file, one after another or on several threads.</summary>
    Files,

    /// <summary>One table read; the others discarded.</summary>
    OneTable,

    /// <summary>Every table read by one reader, as consecutive result sets.</summary>
    ResultSets,

    /// <summary>The wanted tables read one after another by their own readers.</summary>
    Sequential,

    /// <summary>The wanted tables read one after another, re-reading the input for each (no spill files).</summary>
    Rescan,

    /// <summary>The wanted tables read at the same time, on their own threads.</summary>
    Concurrent,
}

/// <summary>
/// The plan of a run: how its tables are consumed, and so where each table's rows go while the exact schema scan
/// runs (kept there, the input is parsed once) and in a data pass. The run follows the plan; the facades only name
/// it. Table names are matched as the consumer gave them, ignoring case.
/// </summary>
internal sealed class TablePlan
{
    /// <summary>Batches a concurrent reader's queue holds before its rows spill.</summary>
    private const int QueueCapacity = 4;

    private readonly HashSet<string>? _wanted;
    private HashSet<int>? _wantedIndexes;

    // The concurrent readers of the data pass, shared by their queues: whether any reader waits for rows.
    private QueueDemand? _demand;

    private TablePlan(TableUse use, IEnumerable<string>? wanted, string? spillDirectory)
    {
        Use = use;
        _wanted = wanted is null ? null : new HashSet<string>(wanted, StringComparer.OrdinalIgnoreCase);
        SpillDirectory = spillDirectory;
    }

    public TableUse Use { get; }

    /// <summary>Where temporary spill files go; the system temp directory when <c>null</c>.</summary>
    public string? SpillDirectory { get; }

    public static TablePlan SchemaOnly() => new(TableUse.SchemaOnly, null, null);

    public static TablePlan Memory() => new(TableUse.Memory, null, null);

    public static TablePlan ResultSets() => new(TableUse.ResultSets, null, null);

    public static TablePlan Files(string? spillDirectory = null) => new(TableUse.Files, null, spillDirectory);

    public static TablePlan OneTable(string table) => new(TableUse.OneTable, [table], null);

    /// <summary>A plan for readers opened one by one (<see cref="TableReadMode"/>); <paramref name="tables"/> <c>null</c> for all.</summary>
    public static TablePlan ForReadMode(TableReadMode mode, IEnumerable<string>? tables, string? spillDirectory) => mode switch
    {
        TableReadMode.Sequential => new(TableUse.Sequential, tables, spillDirectory),
        TableReadMode.Rescan => new(TableUse.Rescan, tables, spillDirectory),
        TableReadMode.Concurrent => new(TableUse.Concurrent, tables, spillDirectory),
        _ => throw new ArgumentException($"Unknown table read mode {mode}.", nameof(mode)),
    };

    /// <summary>Whether the plan re-reads the input (so it must be one that can be reopened).</summary>
    public bool RereadsInput => Use == TableUse.Rescan;

    /// <summary>Whether the data pass begins as soon as the schema is fixed, rather than when a table is opened.</summary>
    public bool DataPassAtOnce => Use is TableUse.Memory or TableUse.Files or TableUse.ResultSets or TableUse.OneTable or TableUse.Concurrent;

    /// <summary>Whether the run reads the whole input before it is handed over (tables in memory: errors surface at once).</summary>
    public bool RunsToEndAtOnce => Use == TableUse.Memory;

    /// <summary>Whether the consumer asked for the table with this name (while the scan finds tables).</summary>
    public bool Wants(string table) => _wanted is null || _wanted.Contains(table);

    /// <summary>Whether the consumer asked for this table (once the schema is fixed).</summary>
    public bool Wants(TableModel table) => _wantedIndexes?.Contains(table.Index) ?? Wants(table.Name);

    /// <summary>The tables asked for, once the schema is fixed, in schema order.</summary>
    public IReadOnlyList<TableModel> Wanted { get; private set; } = [];

    /// <summary>Finds the tables asked for in the fixed schema (exact name, then ignoring case).</summary>
    /// <exception cref="ArgumentException">A table asked for does not exist.</exception>
    public void Resolve(TransmogSchema schema, IReadOnlyList<TableModel> tables)
    {
        if (_wanted is null)
        {
            Wanted = tables;
            return;
        }

        var indexes = new HashSet<int>();
        foreach (string name in _wanted)
        {
            TransmogTable found = schema.Require(name);
            foreach (TableModel t in tables)
            {
                if (t.Public == found)
                {
                    indexes.Add(t.Index);
                }
            }
        }

        _wantedIndexes = indexes;
        Wanted = [.. tables.Where(t => indexes.Contains(t.Index))];
    }

    /// <summary>Where the exact schema scan keeps a table's rows; <c>null</c> when the scan keeps none.</summary>
    public Func<TableModel, TableFeed>? ScanFeeds => Use switch
    {
        TableUse.SchemaOnly or TableUse.Rescan => null,
        TableUse.Memory => _ => new StoreFeed(RowStore.InMemory()),
        _ => t => Wants(t.Name) ? new StoreFeed(RowStore.SpillFile(SpillDirectory)) : DiscardFeed.Instance,
    };

    /// <summary>Where a table's rows go in a data pass.</summary>
    /// <param name="table">The table.</param>
    /// <param name="opened">The table whose reader pulls the pass (served live), if any.</param>
    /// <param name="cancellationToken">Stops a queue's waiting.</param>
    public TableFeed DataFeed(TableModel table, TableModel? opened, CancellationToken cancellationToken) => Use switch
    {
        TableUse.Memory => new StoreFeed(RowStore.InMemory()),

        // The main table live (it pulls the pass), the others waiting in spill files until their turn.
        TableUse.Files or TableUse.ResultSets => table.Index == 0 ? new LiveFeed() : new StoreFeed(RowStore.SpillFile(SpillDirectory)),
        TableUse.OneTable or TableUse.Rescan => table == opened ? new LiveFeed() : DiscardFeed.Instance,

        // The first table read is served live; every other wanted table waits in a spill file.
        TableUse.Sequential => table == opened ? new LiveFeed()
            : Wants(table) ? new StoreFeed(RowStore.SpillFile(SpillDirectory))
            : DiscardFeed.Instance,
        TableUse.Concurrent => Wants(table) ? new QueueFeed(_demand ??= new QueueDemand(), QueueCapacity, SpillDirectory, cancellationToken) : DiscardFeed.Instance,
        _ => DiscardFeed.Instance,
    };
}
