namespace Transmog.Data.Flattening;

/// <summary>
/// <see cref="TransmogSchema.Merge"/>: the schemas of consecutive parts of one input merged into the schema of the
/// whole, by replaying them into a <see cref="TableRegistry"/>, so that names, column order and types come from the
/// same code that a run over the whole input uses.
/// </summary>
/// <remarks>
/// The rule: the schemas in shard order (or as given); each table identified by its chain of arrays from the main
/// table; tables and columns taken in that order: a part's first-seen order, after the parts before it, which is the
/// whole input's first-seen order because shards are consecutive ranges of the input. So a child table gets its base
/// name (parent's name, <c>_</c>, array) or <c>_2</c>, <c>_3</c> exactly as the run over the whole input names it;
/// data columns keep first-seen order and metadata columns follow them; each type is resolved from the union of the
/// kinds of values the parts saw (an integer beyond 2^53 and a real give text, as in one run, not double).
/// </remarks>
internal static class SchemaMerge
{
    public static TransmogSchema Merge(IReadOnlyList<TransmogSchema> schemas)
    {
        if (schemas.Count == 0)
        {
            throw new ArgumentException("There are no schemas to merge.");
        }

        foreach (TransmogSchema s in schemas)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(schemas));
            s.Validate();
        }

        IReadOnlyList<TransmogSchema> ordered = InShardOrder(schemas);
        string entity = ordered[0].Tables[0].Name;
        TransmogColumnType reals = ordered[0].RealNumbers;
        foreach (TransmogSchema s in ordered)
        {
            if (!string.Equals(s.Tables[0].Name, entity, StringComparison.Ordinal))
            {
                throw new ArgumentException($"The schemas are of different entities: '{entity}' and '{s.Tables[0].Name}'.");
            }

            if (s.RealNumbers != reals)
            {
                throw new ArgumentException($"The schemas were made with different real-number types: {reals} and {s.RealNumbers}.");
            }
        }

        var options = new TransmogOptions { RealNumbers = reals, MaxTables = 1_000_000, MaxColumns = 1_000_000 };
        using var registry = new TableRegistry(entity, options);
        var rows = new Dictionary<TableModel, long?>();
        bool countsKnownBefore = true;
        foreach (TransmogSchema s in ordered)
        {
            var models = new Dictionary<string, TableModel>(StringComparer.Ordinal);
            foreach (TransmogTable table in s.Tables)
            {
                TableModel model;
                if (models.Count == 0)
                {
                    model = registry.Main;
                }
                else
                {
                    TableModel parent = models[table.ParentName ?? entity];
                    string parentPrefix = table.ParentName is null || table.ParentName == entity ? registry.Main.ChildNamePrefix : table.ParentName;
                    model = registry.GetOrAddChild(parent, table.ArrayName ?? TableRegistry.ArrayNameFromName(s, table, parentPrefix))!;
                }

                models[table.Name] = model;

                // A table that parts before this one lacked had no rows there, if their counts are known.
                long? before = rows.TryGetValue(model, out long? sum) ? sum : countsKnownBefore ? 0 : null;
                rows[model] = before + table.RowCount;
                foreach (TransmogColumn column in table.Columns)
                {
                    Add(model, column);
                }
            }

            if (s.Tables[0].RowCount is null)
            {
                // A table this part lacks: with the part's counts unknown, so is the table's.
                foreach (TableModel model in registry.Tables)
                {
                    if (!models.ContainsValue(model))
                    {
                        rows[model] = null;
                    }
                }

                countsKnownBefore = false;
            }
        }

        registry.Freeze(countsKnown: false);
        TransmogSchema merged = registry.Schema;
        return new TransmogSchema(merged.Tables.Select((t, i) => t.WithRowCount(rows.GetValueOrDefault(registry.Tables[i])))) { RealNumbers = reals };
    }

    /// <summary>The schemas by shard index when they carry one (all of them, one count, each index once), else as given.</summary>
    private static IReadOnlyList<TransmogSchema> InShardOrder(IReadOnlyList<TransmogSchema> schemas)
    {
        int withShard = schemas.Count(s => s.Shard is not null);
        if (withShard == 0)
        {
            return schemas;
        }

        if (withShard != schemas.Count)
        {
            throw new ArgumentException($"{withShard} of the {schemas.Count} schemas are of a shard and the others are not: merge the shards' schemas on their own.");
        }

        int count = schemas[0].Shard!.Value.Count;
        if (schemas.Any(s => s.Shard!.Value.Count != count))
        {
            throw new ArgumentException($"The schemas are of shards of different counts: {string.Join(", ", schemas.Select(s => s.Shard!.Value.Count).Distinct())}.");
        }

        TransmogSchema[] sorted = [.. schemas.OrderBy(s => s.Shard!.Value.Index)];
        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Shard!.Value.Index == sorted[i - 1].Shard!.Value.Index)
            {
                throw new ArgumentException($"Shard {sorted[i].Shard!.Value.Index} of {count} is given twice.");
            }
        }

        if (sorted.Length != count)
        {
            var missing = Enumerable.Range(0, count).Except(sorted.Select(s => s.Shard!.Value.Index));
            throw new ArgumentException($"The schemas of shards {string.Join(", ", missing)} of {count} are missing: every shard's schema is needed for the whole input's.");
        }

        return sorted;
    }

    /// <summary>Adds a column's kinds to the table's column of that name (created in this order if new).</summary>
    private static void Add(TableModel model, TransmogColumn column)
    {
        ColumnModel c = model.Find(column.Name) ?? model.Add(column.Name, column.Role);
        if (c.Role != column.Role)
        {
            throw new ArgumentException(
                $"Column '{column.Name}' of table '{model.Name}' has the role {column.Role} in one schema and {c.Role} in another.");
        }

        c.Widen(column.Seen, column.MaxLength);
        c.Accepted = true;
        c.SeenAsData |= column.Role == TransmogColumnRole.Data || column.FromInput;
    }
}
