using Transmog.Data.Feeds;
using Transmog.Data.Schema;

namespace Transmog.Data.Flattening;

/// <summary>A table as the flattener builds it: columns discovered so far, the rows of the current batch, counts.</summary>
internal sealed class TableModel : IDisposable
{
    private readonly Dictionary<string, ColumnModel> _byName = new(StringComparer.Ordinal);
    private int[] _stamps = new int[16];
    private readonly ColumnModel?[] _metadata = new ColumnModel?[6];

    public TableModel(string name, TableModel? parent, int index, string childNamePrefix)
    {
        Name = name;
        NameUtf8 = System.Text.Encoding.UTF8.GetBytes(name);
        Parent = parent;
        Index = index;
        ChildNamePrefix = childNamePrefix;
        Root = new PathNode(string.Empty, string.Empty, 0);
    }

    public string Name { get; }

    /// <summary>The name as UTF-8 (hashed into every child id).</summary>
    public byte[] NameUtf8 { get; }

    public TableModel? Parent { get; }

    /// <summary>Position in first-seen order (the main table is 0).</summary>
    public int Index { get; }

    /// <summary>What child tables' names start with (the sanitized entity name for the main table).</summary>
    public string ChildNamePrefix { get; }

    /// <summary>The root of the table's path cache.</summary>
    public PathNode Root { get; }

    /// <summary>The <c>value</c> path of primitive array items.</summary>
    public PathNode? ValueNode { get; set; }

    public List<ColumnModel> Columns { get; } = [];

    /// <summary>Rows flattened and not yet handed on.</summary>
    public RowBuffer Rows { get; } = new();

    /// <summary>Committed rows so far in this pass.</summary>
    public long RowCount { get; set; }

    /// <summary>Whether the set of columns and their types is fixed.</summary>
    public bool Frozen { get; set; }

    /// <summary>The public description, once frozen.</summary>
    public TransmogTable? Public { get; set; }

    /// <summary>For each public ordinal, the column's index in rows.</summary>
    public int[] PublicToIndex { get; set; } = [];

    /// <summary>The stamp of the last record that wrote a row here (see <see cref="TableRegistry.RecordStamp"/>).</summary>
    public long TouchedByRecord { get; set; }

    /// <summary>Counts rows; a column stamped with the current generation was written in the current row.</summary>
    public int RowGeneration { get; set; }

    public ColumnModel? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The cached metadata column of a role (null until first resolved).</summary>
    public ref ColumnModel? MetadataColumn(TransmogColumnRole role) => ref _metadata[(int)role];

    public ColumnModel Add(string name, TransmogColumnRole role)
    {
        var column = new ColumnModel(name, Columns.Count, role);
        Columns.Add(column);
        _byName.Add(name, column);
        if (_stamps.Length < Columns.Count)
        {
            Array.Resize(ref _stamps, _stamps.Length * 2);
        }

        return column;
    }

    /// <summary>Marks the column written in the current row; <c>false</c> if it already was.</summary>
    public bool Stamp(int columnIndex)
    {
        if (_stamps[columnIndex] == RowGeneration)
        {
            return false;
        }

        _stamps[columnIndex] = RowGeneration;
        return true;
    }

    /// <summary>Fixes the column order and types: data columns in first-seen order, then the metadata columns.</summary>
    public void Freeze(RealNumberType reals)
    {
        var ordered = new List<ColumnModel>(Columns.Count);
        foreach (ColumnModel c in Columns)
        {
            if (c.Role == TransmogColumnRole.Data || c.SeenAsData)
            {
                ordered.Add(c);
            }
        }

        foreach (TransmogColumnRole role in (ReadOnlySpan<TransmogColumnRole>)[TransmogColumnRole.Id, TransmogColumnRole.ParentId, TransmogColumnRole.ArrayIndex, TransmogColumnRole.RootId, TransmogColumnRole.Timestamp])
        {
            foreach (ColumnModel c in Columns)
            {
                if (c.Role == role && !c.SeenAsData)
                {
                    ordered.Add(c);
                }
            }
        }

        var columns = new List<TransmogColumn>(ordered.Count);
        PublicToIndex = new int[ordered.Count];
        for (int i = 0; i < ordered.Count; i++)
        {
            ColumnModel c = ordered[i];
            c.FixedType ??= TypeInference.Resolve(c.Seen, reals);
            columns.Add(new TransmogColumn(c.Name, c.FixedType.Value, c.Role) { MaxLength = c.MaxLength });
            PublicToIndex[i] = c.Index;
        }

        Public = new TransmogTable(Name, columns, Parent?.Name) { RowCount = RowCount };
        Frozen = true;
    }

    public void Dispose() => Rows.Dispose();
}
