using Transmog.Data.Schema;

namespace Transmog.Data.Flattening;

/// <summary>
/// All tables of one run, main first, then child tables in first-seen order; names each child table from its path
/// and keeps names unique. Once frozen, a table or column that is not already known is schema drift.
/// </summary>
internal sealed class TableRegistry : IDisposable
{
    private readonly Dictionary<string, TableModel> _byName = new(StringComparer.Ordinal);
    private readonly TransmogOptions _options;

    public TableRegistry(string entityName, TransmogOptions options)
    {
        _options = options;
        Main = new TableModel(entityName, null, 0, NameSanitizer.Sanitize(entityName));
        Tables.Add(Main);
        _byName.Add(entityName, Main);
    }

    public TableModel Main { get; }

    public List<TableModel> Tables { get; } = [];

    /// <summary>
    /// Taken by whoever adds to or looks up the registry (its tables, their columns) while flatteners may work in
    /// parallel; the flatteners' own path caches spare them the lock on every value.
    /// </summary>
    public object SyncRoot { get; } = new();

    public bool Frozen { get; private set; }

    /// <summary>The child table for an array at <paramref name="node"/> of <paramref name="parent"/>; created on first use unless frozen.</summary>
    /// <returns>The table, or <c>null</c> when the schema is frozen and has no such table, or when there are already <see cref="TransmogOptions.MaxTables"/>.</returns>
    public TableModel? GetOrAddChild(TableModel parent, PathNode node)
    {
        TableModel? existing = FindChild(parent, node, out string name);
        if (existing is not null)
        {
            return existing;
        }

        if (Frozen || Tables.Count >= _options.MaxTables)
        {
            return null;
        }

        var table = new TableModel(name, parent, Tables.Count, name);
        Tables.Add(table);
        _byName.Add(name, table);
        return table;
    }

    /// <summary>The child table for an array at <paramref name="node"/> of <paramref name="parent"/>, if there is one already.</summary>
    public TableModel? FindChild(TableModel parent, PathNode node) => FindChild(parent, node, out _);

    private TableModel? FindChild(TableModel parent, PathNode node, out string freeName)
    {
        string baseName = parent.ChildNamePrefix + "_" + node.TableNamePart;
        freeName = baseName;
        for (int suffix = 2; ; suffix++)
        {
            if (!_byName.TryGetValue(freeName, out TableModel? existing))
            {
                return null;
            }

            // The same name from the same parent table is the same table (as in Python transmog); another parent
            // gets its own table, so that every _parent_id points into one table.
            if (existing.Parent == parent)
            {
                return existing;
            }

            freeName = baseName + "_" + suffix;
        }
    }

    /// <summary>Fixes every table's columns and types.</summary>
    /// <summary>Fixes the schema and publishes it (immutable from now on).</summary>
    /// <param name="countsKnown">Whether the rows counted so far are the input's (an exact scan), not a window's.</param>
    public TransmogSchema Freeze(bool countsKnown)
    {
        foreach (TableModel t in Tables)
        {
            t.Freeze(_options.RealNumbers, countsKnown);
        }

        Frozen = true;
        return Schema;
    }

    public TransmogSchema Schema => new(Tables.Select(t => t.Public!));

    /// <summary>A registry fixed to an explicit schema.</summary>
    public static TableRegistry FromSchema(TransmogSchema schema, string entityName, TransmogOptions options)
    {
        if (!string.Equals(schema.Tables[0].Name, entityName, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The explicit schema's first table is '{schema.Tables[0].Name}', but the entity name is '{entityName}'.");
        }

        var registry = new TableRegistry(entityName, options);
        foreach (TransmogTable table in schema.Tables.Skip(1))
        {
            TableModel parent = registry._byName[table.ParentName ?? entityName];
            var model = new TableModel(table.Name, parent, registry.Tables.Count, table.Name);
            registry.Tables.Add(model);
            registry._byName.Add(table.Name, model);
        }

        for (int i = 0; i < schema.Tables.Count; i++)
        {
            TableModel model = registry.Tables[i];
            foreach (TransmogColumn column in schema.Tables[i].Columns)
            {
                ColumnModel c = model.Add(column.Name, column.Role);
                c.FixedType = column.Type;
                c.Seen = TypeInference.KindsOf(column.Type);
                c.SeenAsData = column.Role == TransmogColumnRole.Data;
            }
        }

        registry.Freeze(countsKnown: false);
        return registry;
    }

    public void Dispose()
    {
        foreach (TableModel t in Tables)
        {
            t.Dispose();
        }
    }
}
