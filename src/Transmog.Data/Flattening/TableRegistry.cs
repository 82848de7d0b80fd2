using Transmog.Data.Schema;

namespace Transmog.Data.Flattening;

/// <summary>
/// All tables of one run, main first, then child tables in first-seen order; names each child table from its path
/// and keeps names unique. Once frozen, a table or column that is not already known is schema drift.
/// </summary>
internal sealed class TableRegistry : IDisposable
{
    private readonly Dictionary<string, TableModel> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<(TableModel Parent, string ArrayName), TableModel> _children = [];
    private readonly TransmogOptions _options;

    // What the published schema says real numbers resolve to: the run's option, or an explicit schema's own.
    private TransmogColumnType _realNumbers;

    public TableRegistry(string entityName, TransmogOptions options)
    {
        _options = options;
        _realNumbers = options.RealNumbers;
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
    public TableModel? GetOrAddChild(TableModel parent, PathNode node) => GetOrAddChild(parent, node.TableNamePart);

    /// <summary>The child table for the array <paramref name="arrayName"/> (a <see cref="PathNode.TableNamePart"/>) of <paramref name="parent"/>; created on first use unless frozen.</summary>
    public TableModel? GetOrAddChild(TableModel parent, string arrayName)
    {
        if (_children.TryGetValue((parent, arrayName), out TableModel? existing))
        {
            return existing;
        }

        if (Frozen || Tables.Count >= _options.MaxTables)
        {
            return null;
        }

        string name = FreeName(parent.ChildNamePrefix + "_" + arrayName);
        var table = new TableModel(name, parent, Tables.Count, name, arrayName);
        Add(table);
        return table;
    }

    /// <summary>
    /// The child table for an array at <paramref name="node"/> of <paramref name="parent"/>, if there is one already:
    /// found by its parent and array part, not by its name (a schema file may rename tables).
    /// </summary>
    public TableModel? FindChild(TableModel parent, PathNode node) => _children.GetValueOrDefault((parent, node.TableNamePart));

    /// <summary>
    /// The name a new child table gets: its base name (the parent's name, <c>_</c>, the array part), or, when another
    /// table has it (one reached from another parent), the base name with <c>_2</c>, <c>_3</c>... in first-seen order,
    /// so that every <c>_parent_id</c> points into one table.
    /// </summary>
    private string FreeName(string baseName)
    {
        string name = baseName;
        for (int suffix = 2; _byName.ContainsKey(name); suffix++)
        {
            name = baseName + "_" + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    private void Add(TableModel table)
    {
        Tables.Add(table);
        _byName.Add(table.Name, table);
        _children.Add((table.Parent!, table.ArrayName!), table);
    }

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

    public TransmogSchema Schema => new(Tables.Select(t => t.Public!)) { RealNumbers = _realNumbers };

    /// <summary>
    /// A registry fixed to an explicit schema. Each child table is found by its parent and its array
    /// (<see cref="TransmogTable.ArrayName"/>, or for a table made by hand, its name less the parent's name and
    /// <c>_</c>), so a table renamed in a schema file still receives its rows; its ids are those of the name the
    /// flattener gives it, so a rename does not change them either.
    /// </summary>
    /// <exception cref="ArgumentException">The schema's main table is not <paramref name="entityName"/>, or a child table's array cannot be told.</exception>
    public static TableRegistry FromSchema(TransmogSchema schema, string entityName, TransmogOptions options)
    {
        if (!string.Equals(schema.Tables[0].Name, entityName, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The explicit schema's first table is '{schema.Tables[0].Name}', but the entity name is '{entityName}'.");
        }

        var registry = new TableRegistry(entityName, options) { _realNumbers = schema.RealNumbers };

        // The names the flattener would give the tables (for their ids), taken in the schema's order.
        var flattenerNames = new HashSet<string>(StringComparer.Ordinal) { entityName };
        var idPrefixes = new Dictionary<TableModel, string> { [registry.Main] = registry.Main.ChildNamePrefix };
        foreach (TransmogTable table in schema.Tables.Skip(1))
        {
            TableModel parent = registry._byName[table.ParentName ?? entityName];
            string arrayName = table.ArrayName ?? ArrayNameFromName(schema, table, parent.ChildNamePrefix);
            if (registry._children.TryGetValue((parent, arrayName), out TableModel? twin))
            {
                throw new ArgumentException($"Tables '{twin.Name}' and '{table.Name}' both take array '{arrayName}' of table '{parent.Name}'.");
            }

            string baseName = idPrefixes[parent] + "_" + arrayName;
            string idName = baseName;
            for (int suffix = 2; !flattenerNames.Add(idName); suffix++)
            {
                idName = baseName + "_" + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var model = new TableModel(table.Name, parent, registry.Tables.Count, table.Name, arrayName, idName);
            registry.Add(model);
            idPrefixes[model] = idName;
        }

        for (int i = 0; i < schema.Tables.Count; i++)
        {
            CheckMetadataFits(schema.Tables[i], isMain: i == 0, options);
        }

        for (int i = 0; i < schema.Tables.Count; i++)
        {
            TableModel model = registry.Tables[i];
            foreach (TransmogColumn column in schema.Tables[i].Columns)
            {
                ColumnModel c = model.Add(column.Name, column.Role);
                c.FixedType = column.Type;
                c.Seen = column.Seen;
                c.Widen(ValueKinds.None, column.MaxLength);
                c.Accepted = true;
                c.SeenAsData = column.Role == TransmogColumnRole.Data || column.FromInput;
            }
        }

        registry.Freeze(countsKnown: false);
        return registry;
    }

    /// <summary>
    /// Checks that a schema's metadata columns are those the run's options make (a timestamp, parent ids, array
    /// indexes, root ids, the key and source-file columns): a schema made with other options would otherwise give a
    /// column that is always empty, or drift on every record.
    /// </summary>
    /// <exception cref="ArgumentException">They differ; the message names the table, the column and the option.</exception>
    private static void CheckMetadataFits(TransmogTable table, bool isMain, TransmogOptions options)
    {
        // Metadata columns come with a table's first row: a table that never had one (an array of empty objects) has none.
        bool hadRows = false;
        foreach (TransmogColumn column in table.Columns)
        {
            hadRows |= column.Role == TransmogColumnRole.Id;
        }

        Check(TransmogColumnRole.Timestamp, options.TimeField, "--time-field / --no-timestamp (TimeField)");
        Check(TransmogColumnRole.ParentId, isMain ? null : options.ParentField, "--parent-field (ParentField)");
        Check(TransmogColumnRole.ArrayIndex, !isMain && options.IncludeArrayIndex ? MetadataNames.ArrayIndex : null, "--array-index (IncludeArrayIndex)");
        Check(TransmogColumnRole.RootId, !isMain && options.IncludeRootId ? MetadataNames.RootId : null, "--root-id (IncludeRootId)");
        Check(TransmogColumnRole.SourceFile, isMain ? options.SourceFileField : null, "--source-field (SourceFileField)");
        bool keyed = isMain && options.RecordsPath is not null && options.RecordsPath.Contains('*', StringComparison.Ordinal);
        Check(TransmogColumnRole.Key, keyed ? options.KeyField : null, "--records-path with * and --key-field (KeyField)");

        void Check(TransmogColumnRole role, string? expected, string option)
        {
            TransmogColumn? found = null;
            foreach (TransmogColumn column in table.Columns)
            {
                if (column.Role == role)
                {
                    found = column;
                    break;
                }
            }

            if (found is null && expected is not null && hadRows)
            {
                throw new ArgumentException(
                    $"The explicit schema's table '{table.Name}' has no {OptionEntry.Kebab(role.ToString())} column, but these options make one ('{expected}', {option}): make the schema with the options it is used with.");
            }

            if (found is not null && !string.Equals(found.Name, expected, StringComparison.Ordinal))
            {
                throw new ArgumentException(expected is null
                    ? $"The explicit schema's table '{table.Name}' has the {OptionEntry.Kebab(role.ToString())} column '{found.Name}', but these options make none ({option}): make the schema with the options it is used with."
                    : $"The explicit schema's table '{table.Name}' names its {OptionEntry.Kebab(role.ToString())} column '{found.Name}', but these options name it '{expected}' ({option}): make the schema with the options it is used with.");
            }
        }
    }

    /// <summary>
    /// The array of a child table made by hand: its name less its parent's name and <c>_</c>, and less a suffix
    /// <c>_2</c>, <c>_3</c>... where the name without it is another parent's table (the flattener's collision rule).
    /// </summary>
    /// <param name="schema">The schema of the table.</param>
    /// <param name="table">The table.</param>
    /// <param name="parentPrefix">What its parent's child tables' names start with (for the main table, its sanitized name).</param>
    internal static string ArrayNameFromName(TransmogSchema schema, TransmogTable table, string parentPrefix)
    {
        string prefix = parentPrefix + "_";
        if (!table.Name.StartsWith(prefix, StringComparison.Ordinal) || table.Name.Length == prefix.Length)
        {
            throw new ArgumentException(
                $"Table '{table.Name}' of parent '{table.ParentName}': cannot tell which array it holds, as its name does not start with '{prefix}' (a schema file names the array in \"array\").");
        }

        string rest = table.Name[prefix.Length..];
        int underscore = rest.LastIndexOf('_');
        if (underscore > 0 && int.TryParse(rest.AsSpan(underscore + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int suffix)
            && suffix >= 2 && schema.Find(prefix + rest[..underscore]) is { } other && !string.Equals(other.ParentName, table.ParentName, StringComparison.Ordinal))
        {
            return rest[..underscore];
        }

        return rest;
    }

    public void Dispose()
    {
        foreach (TableModel t in Tables)
        {
            t.Dispose();
        }
    }
}
