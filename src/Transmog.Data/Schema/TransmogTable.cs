namespace Transmog.Data;

/// <summary>One flattened table: the main table or a child table, with its columns in order.</summary>
public sealed class TransmogTable
{
    private readonly Dictionary<string, int> _ordinals;

    /// <summary>Creates a table description.</summary>
    /// <param name="name">The table name.</param>
    /// <param name="columns">The columns in order; ordinals are assigned here.</param>
    /// <param name="parentName">The parent table's name; <c>null</c> for the main table.</param>
    public TransmogTable(string name, IEnumerable<TransmogColumn> columns, string? parentName = null)
        : this(name, columns, parentName, rowCount: null)
    {
    }

    internal TransmogTable(string name, IEnumerable<TransmogColumn> columns, string? parentName, long? rowCount, string? arrayName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        Name = name;
        ParentName = parentName;
        RowCount = rowCount;
        ArrayName = parentName is null ? null : arrayName;

        // The columns given are not changed: those at another position are copied with their ordinal.
        TransmogColumn[] placed = [.. columns];
        _ordinals = new Dictionary<string, int>(placed.Length, StringComparer.Ordinal);
        for (int i = 0; i < placed.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(placed[i], nameof(columns));
            placed[i] = placed[i].AtOrdinal(i);
            if (!_ordinals.TryAdd(placed[i].Name, i))
            {
                throw new ArgumentException($"Table '{name}' has two columns named '{placed[i].Name}'.");
            }
        }

        Columns = placed;
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>The parent table's name; <c>null</c> for the main table.</summary>
    public string? ParentName { get; }

    /// <summary>The columns in order.</summary>
    public IReadOnlyList<TransmogColumn> Columns { get; }

    /// <summary>
    /// The number of rows when this description was made, if known: after an exact scan, and in the tables of a
    /// <see cref="FlattenResult"/>; <c>null</c> for an explicit schema or an inference window.
    /// </summary>
    public long? RowCount { get; }

    /// <summary>
    /// For a child table, what the flattener appended to its parent's name for the array it comes from (the sanitized
    /// keys from the parent's row root, joined with <c>_</c>): with the parent, it identifies the table whatever its
    /// name. <c>null</c> for the main table and for a table made by hand (then derived from the name).
    /// </summary>
    internal string? ArrayName { get; }

    /// <summary>This table with its row count (a new description; this one does not change).</summary>
    internal TransmogTable WithRowCount(long? rowCount) => rowCount == RowCount ? this : new TransmogTable(Name, Columns, ParentName, rowCount, ArrayName);

    /// <summary>The ordinal of a column, or -1.</summary>
    /// <param name="name">The exact column name.</param>
    public int IndexOf(string name) => _ordinals.TryGetValue(name, out int i) ? i : -1;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Columns.Count} columns)";
}
