using Transmog.Data.Rows;
using Transmog.Data.Schema;

namespace Transmog.Data.Flattening;

/// <summary>A table as the flattener builds it: columns discovered so far, the rows of the current batch, counts.</summary>
internal sealed class TableModel : IDisposable
{
    private readonly Dictionary<string, ColumnModel> _byName = new(StringComparer.Ordinal);
    private readonly ColumnModel?[] _metadata = new ColumnModel?[8];

    /// <param name="name">The table's name.</param>
    /// <param name="parent">The parent table; <c>null</c> for the main table.</param>
    /// <param name="index">The position in first-seen order.</param>
    /// <param name="childNamePrefix">What child tables' names start with.</param>
    /// <param name="arrayName">For a child table, the array's part of the name (<see cref="PathNode.TableNamePart"/>).</param>
    /// <param name="idName">The name hashed into the table's generated ids, when it differs from <paramref name="name"/> (a table renamed in a schema file).</param>
    public TableModel(string name, TableModel? parent, int index, string childNamePrefix, string? arrayName = null, string? idName = null)
    {
        Name = name;
        NameUtf8 = System.Text.Encoding.UTF8.GetBytes(idName ?? name);
        Parent = parent;
        Index = index;
        ChildNamePrefix = childNamePrefix;
        ArrayName = arrayName;
    }

    public string Name { get; }

    /// <summary>The name the flattener gives the table, as UTF-8 (hashed into every child id): a renamed table keeps its ids.</summary>
    public byte[] NameUtf8 { get; }

    /// <summary>For a child table, the array's part of its name (what was appended to the parent's <see cref="ChildNamePrefix"/>); <c>null</c> for the main table.</summary>
    public string? ArrayName { get; }

    public TableModel? Parent { get; }

    /// <summary>Position in first-seen order (the main table is 0).</summary>
    public int Index { get; }

    /// <summary>What child tables' names start with (the sanitized entity name for the main table).</summary>
    public string ChildNamePrefix { get; }

    public List<ColumnModel> Columns { get; } = [];

    /// <summary>Rows flattened and not yet handed on to the table's feed.</summary>
    public RowBuffer Rows { get; } = new();

    /// <summary>Committed rows so far in this pass.</summary>
    public long RowCount { get; set; }

    /// <summary>Whether the set of columns and their types is fixed.</summary>
    public bool Frozen { get; set; }

    /// <summary>The public description, once frozen.</summary>
    public TransmogTable? Public { get; set; }

    /// <summary>For each public ordinal, the column's index in rows.</summary>
    public int[] PublicToIndex { get; set; } = [];

    public ColumnModel? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The metadata column of a role, once resolved (read without the registry's lock: set once, under it).</summary>
    public ColumnModel? MetadataColumn(TransmogColumnRole role) => Volatile.Read(ref _metadata[(int)role]);

    /// <summary>Remembers the metadata column of a role (under the registry's lock).</summary>
    public void SetMetadataColumn(TransmogColumnRole role, ColumnModel column) => Volatile.Write(ref _metadata[(int)role], column);

    public ColumnModel Add(string name, TransmogColumnRole role)
    {
        var column = new ColumnModel(name, Columns.Count, role);
        Columns.Add(column);
        _byName.Add(name, column);
        return column;
    }

    /// <summary>Fixes the column order and types: data columns in first-seen order, then the metadata columns.</summary>
    public void Freeze(TransmogColumnType reals, bool countsKnown)
    {
        var ordered = new List<ColumnModel>(Columns.Count);
        foreach (ColumnModel c in Columns)
        {
            // A data column no accepted record gave a value (only a rejected one made it) is not part of the table.
            if (c.Role == TransmogColumnRole.Data && !c.Accepted && c.FixedType is null)
            {
                continue;
            }

            if (c.Role == TransmogColumnRole.Data || c.SeenAsData)
            {
                ordered.Add(c);
            }
        }

        foreach (TransmogColumnRole role in (ReadOnlySpan<TransmogColumnRole>)[TransmogColumnRole.Id, TransmogColumnRole.ParentId, TransmogColumnRole.ArrayIndex, TransmogColumnRole.RootId, TransmogColumnRole.Timestamp, TransmogColumnRole.Key, TransmogColumnRole.SourceFile])
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
            columns.Add(new TransmogColumn(c.Name, c.FixedType.Value, c.Role, columns.Count, c.MaxLength, c.Seen,
                fromInput: c.Role != TransmogColumnRole.Data && c.SeenAsData));
            PublicToIndex[i] = c.Index;
        }

        Public = new TransmogTable(Name, columns, Parent?.Name, countsKnown ? RowCount : null, ArrayName);
        Frozen = true;
    }

    public void Dispose() => Rows.Dispose();
}
