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
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        Name = name;
        ParentName = parentName;
        Columns = columns.ToArray();
        _ordinals = new Dictionary<string, int>(Columns.Count, StringComparer.Ordinal);
        for (int i = 0; i < Columns.Count; i++)
        {
            Columns[i].Ordinal = i;
            if (!_ordinals.TryAdd(Columns[i].Name, i))
            {
                throw new ArgumentException($"Table '{name}' has two columns named '{Columns[i].Name}'.");
            }
        }
    }

    /// <summary>The table name.</summary>
    public string Name { get; }

    /// <summary>The parent table's name; <c>null</c> for the main table.</summary>
    public string? ParentName { get; }

    /// <summary>The columns in order.</summary>
    public IReadOnlyList<TransmogColumn> Columns { get; }

    /// <summary>The number of rows, when known (after a full scan or once read); otherwise <c>null</c>.</summary>
    public long? RowCount { get; internal set; }

    /// <summary>The ordinal of a column, or -1.</summary>
    /// <param name="name">The exact column name.</param>
    public int IndexOf(string name) => _ordinals.TryGetValue(name, out int i) ? i : -1;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Columns.Count} columns)";
}
