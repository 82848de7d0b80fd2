using Transmog.Data.Flattening;
using Transmog.Data.Rows;

namespace Transmog.Data.Feeds;

/// <summary>
/// Where one table's committed rows go during a data pass, and how its reader gets them back: dropped (one table
/// only), served live, kept in a spill file or memory, or handed across threads through a bounded queue.
/// </summary>
internal abstract class TableFeed : IDisposable
{
    /// <summary>After a record committed rows into <paramref name="table"/>.</summary>
    public abstract void OnCommitted(TableModel table, int batchSize);

    /// <summary>At the end of the input (or when the pass stops): hand on what is left.</summary>
    public abstract void OnEnd(TableModel table);

    /// <summary>The rows for this table's reader.</summary>
    public abstract IRowSource OpenSource(IRowPump run, TableModel table);

    /// <summary>The rows this feed keeps on disk or in memory, if any (for diagnostics).</summary>
    public virtual RowStore? Spill => null;

    public virtual void Dispose()
    {
    }
}

/// <summary>Rows nobody reads: dropped as soon as they are committed.</summary>
internal sealed class DiscardFeed : TableFeed
{
    public static DiscardFeed Instance { get; } = new();

    public override void OnCommitted(TableModel table, int batchSize) => table.Rows.ClearCommitted();

    public override void OnEnd(TableModel table) => table.Rows.ClearCommitted();

    public override IRowSource OpenSource(IRowPump run, TableModel table) =>
        throw new InvalidOperationException($"Table '{table.Name}' is not read in this pass.");
}

/// <summary>Rows served to a reader on the reader's own thread: reading pulls the pass forward.</summary>
internal sealed class LiveFeed : TableFeed
{
    public override void OnCommitted(TableModel table, int batchSize)
    {
        // Kept in the table's buffer until the reader takes them (at most a batch plus one record's rows).
    }

    public override void OnEnd(TableModel table)
    {
    }

    public override IRowSource OpenSource(IRowPump run, TableModel table) => new LiveSource(run, table);

    private sealed class LiveSource(IRowPump run, TableModel table) : IRowSource
    {
        public bool TryFill(RowBatch batch)
        {
            int batchSize = run.BatchSize;
            while (table.Rows.CommittedRows < batchSize && run.Advance())
            {
            }

            if (table.Rows.CommittedRows == 0)
            {
                return false;
            }

            batch.Load(table.Rows.Committed, table.Rows.CommittedRows);
            table.Rows.ClearCommitted();
            return true;
        }

        public void Dispose() => run.Release(table);
    }
}

/// <summary>Rows kept for a reader that comes after the pass: a temporary spill file, or memory.</summary>
internal sealed class StoreFeed(RowStore store) : TableFeed
{
    // Every table of a wide input holds up to this much before it goes to disk (13 tables of tweets: 3 MB, not 13).
    private const int FlushBytes = 256 << 10;

    public RowStore Store { get; } = store;

    public override RowStore? Spill => Store;

    public override void OnCommitted(TableModel table, int batchSize)
    {
        if (table.Rows.CommittedRows >= batchSize || table.Rows.CommittedLength >= FlushBytes)
        {
            Store.Append(table.Rows.Committed, table.Rows.CommittedRows);
            table.Rows.ClearCommitted();
        }
    }

    public override void OnEnd(TableModel table)
    {
        Store.Append(table.Rows.Committed, table.Rows.CommittedRows);
        table.Rows.ClearCommitted();
    }

    public override IRowSource OpenSource(IRowPump run, TableModel table)
    {
        if (!run.Ended)
        {
            run.RunToEnd();
        }

        return Store.OpenSource();
    }

    public override void Dispose() => Store.Dispose();
}
