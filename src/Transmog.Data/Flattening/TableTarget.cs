using Transmog.Data.Rows;

namespace Transmog.Data.Flattening;

/// <summary>
/// One flattener's side of one table: where it writes the table's rows, its path cache, and the per-row
/// bookkeeping (which record touched the table, which columns the current row has). Kept apart from the shared
/// <see cref="TableModel"/> so that several flatteners can work on one run's tables at once, each on its own
/// records.
/// </summary>
internal sealed class TableTarget(TableModel model)
{
    private int[] _stamps = new int[16];

    public TableModel Model { get; } = model;

    /// <summary>Where rows go now (the table's own buffer, or a buffer of the chunk being flattened).</summary>
    public RowBuffer Rows { get; set; } = null!;

    /// <summary>The binding (see <see cref="RecordFlattener.Bind"/>) <see cref="Rows"/> belongs to.</summary>
    public long Binding { get; set; } = -1;

    /// <summary>The root of this flattener's path cache for the table.</summary>
    public PathNode Root { get; } = new(string.Empty, string.Empty, 0);

    /// <summary>The <c>value</c> path of primitive array items.</summary>
    public PathNode? ValueNode { get; set; }

    /// <summary>The stamp of the last record that wrote a row here.</summary>
    public long TouchedByRecord { get; set; }

    /// <summary>Counts rows; a column stamped with the current generation was written in the current row.</summary>
    public int RowGeneration { get; set; }

    /// <summary>Marks the column written in the current row; <c>false</c> if it already was.</summary>
    public bool Stamp(int columnIndex)
    {
        if (columnIndex >= _stamps.Length)
        {
            Array.Resize(ref _stamps, Math.Max(_stamps.Length * 2, columnIndex + 1));
        }

        if (_stamps[columnIndex] == RowGeneration)
        {
            return false;
        }

        _stamps[columnIndex] = RowGeneration;
        return true;
    }
}
