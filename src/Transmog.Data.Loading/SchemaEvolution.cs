using System.Globalization;

namespace Transmog.Data.Loading;

/// <summary>One table of a load: its database names, whether it was there before, and the types its values are sent as.</summary>
internal sealed class TablePlan(TableNames names, bool existed, TransmogColumnType[] types)
{
    public TableNames Names { get; } = names;

    /// <summary>Whether the table was in the database before the load.</summary>
    public bool Existed { get; } = existed;

    /// <summary>Per data column: the type its values are sent as (the database column's, which may be wider than the data's).</summary>
    public TransmogColumnType[] Types { get; } = types;
}

/// <summary>One DDL statement of a load, and (where DDL commits at once) the statement that undoes it.</summary>
/// <param name="Sql">The statement; <c>null</c> for a SQLite rebuild (<see cref="Rebuild"/>).</param>
/// <param name="Undo">Undoes it after a failure where DDL is not transactional (MySQL).</param>
/// <param name="Rebuild">SQLite: the table to rebuild with new column types (column → type).</param>
/// <param name="Table">The existing table an ALTER changes (for messages).</param>
internal sealed record DdlStep(string? Sql, string? Undo = null, (TableNames Table, Dictionary<string, string> Types)? Rebuild = null, string? Table = null);

/// <summary>A query that must count 0 before a widening, and the error when it does not.</summary>
internal sealed record LossCheck(string Sql, string Error);

/// <summary>What a load does to the database's tables before sending rows: DDL, changes reported, checks, types sent.</summary>
internal sealed class LoadPlan
{
    public List<TablePlan> Tables { get; } = [];

    public List<DdlStep> Ddl { get; } = [];

    /// <summary>The keys of tables created without them (<see cref="Dialect.DefersKeys(bool)"/>): run after every table's rows, parents first.</summary>
    public List<(string Table, string Sql)> Keys { get; } = [];

    public List<SchemaChange> Changes { get; } = [];

    public List<LossCheck> Checks { get; } = [];

    /// <summary>Merge: the child tables in the database below the main table, children before their parents, each with its ancestors up to the main table's child.</summary>
    public List<(NestedTable Table, List<NestedTable> Chain)> Nested { get; } = [];

    /// <summary>Merge: per table of the data, the database columns the data lacks (set to null when a row is replaced).</summary>
    public List<List<string>> OtherColumns { get; } = [];
}

/// <summary>
/// Plans a load against the tables the database holds: names (a shortened name found again), tables to create, and
/// under <see cref="LoadOptions.Evolve"/> the columns to add and to widen, with the checks that a widening loses nothing.
/// </summary>
internal static class SchemaEvolution
{
    private const string EvolveHint = "load with --evolve (LoadOptions.Evolve) to change the table, replace it (--replace) or load into another database";

    public static LoadPlan Plan(LoadOptions options, Dialect dialect, IReadOnlyList<TransmogTable> tables, Dictionary<string, List<DbColumn>> catalog,
        TypeContext context, TransmogOptions flatten)
    {
        var plan = new LoadPlan();
        bool into = options.Mode is LoadMode.Append or LoadMode.Merge;
        IReadOnlyList<TableNames> names = into ? NamesFor(tables, dialect, catalog) : TableNames.For(tables, dialect);
        switch (options.Mode)
        {
            case LoadMode.Create:
                if (names.FirstOrDefault(n => catalog.ContainsKey(n.Name)) is { } clash)
                {
                    throw new TransmogException(
                        $"Table '{clash.Name}' already exists in the database; load with append (--append), merge (--merge) or replace (--replace) mode, or into another database.");
                }

                break;
            case LoadMode.Replace:
                for (int i = names.Count - 1; i >= 0; i--)
                {
                    if (catalog.ContainsKey(names[i].Name))
                    {
                        plan.Ddl.Add(new DdlStep(dialect.DropTable(names[i])));
                    }
                }

                break;
        }

        foreach (TableNames table in names)
        {
            if (into && catalog.TryGetValue(table.Name, out List<DbColumn>? columns))
            {
                plan.Tables.Add(Evolve(options, dialect, table, columns, context, plan));
                var used = new HashSet<string>(table.Columns, dialect.IdentifierComparer);
                plan.OtherColumns.Add([.. columns.Where(c => !used.Contains(c.Name)).Select(c => c.Name)]);
                continue;
            }

            // A table this load creates and fills alone gets its keys after its rows; append and merge need the key
            // while they move rows from their stage (ON CONFLICT), so a table they create has it from the start.
            TableNames? parent = TransmogDdl.ParentOf(names, table);
            bool deferKeys = dialect.DefersKeys(options.ForeignKeys) && !into;
            string create = dialect.CreateTable(table, parent, options.ForeignKeys, false, context, keys: !deferKeys);
            if (deferKeys)
            {
                foreach (string sql in dialect.AddKeys(table, parent, options.ForeignKeys))
                {
                    plan.Keys.Add((table.Name, sql));
                }
            }

            plan.Ddl.Add(new DdlStep(create, dialect.TransactionalDdl ? null : dialect.DropTable(table)));
            if (into)
            {
                plan.Changes.Add(new SchemaChange(SchemaChangeKind.CreateTable, table.Name, null, null, null));
            }

            plan.Tables.Add(new TablePlan(table, false, [.. table.Table.Columns.Select(c => c.Type)]));
            plan.OtherColumns.Add([]);
        }

        if (options.Mode == LoadMode.Merge && names.Count > 0)
        {
            PlanNested(dialect, names, catalog, flatten, plan);
        }

        return plan;
    }

    /// <summary>
    /// Database names for the data's tables and columns where some already exist: an existing name is found again
    /// (the plain name, or its shortened forms), new names avoid every name already there.
    /// </summary>
    internal static IReadOnlyList<TableNames> NamesFor(IReadOnlyList<TransmogTable> tables, Dialect dialect, Dictionary<string, List<DbColumn>> catalog)
    {
        var tableNames = new Naming.UniqueNames(dialect);
        string[] tableChoices = [.. tables.Select(t => Existing(t.Name, dialect, catalog.Keys) ?? string.Empty)];
        foreach (string name in catalog.Keys)
        {
            tableNames.Reserve(name);
        }

        var result = new List<TableNames>(tables.Count);
        for (int t = 0; t < tables.Count; t++)
        {
            TransmogTable table = tables[t];
            string tableName = tableChoices[t].Length > 0 ? tableChoices[t] : tableNames.Add(table.Name);
            var columnNames = new Naming.UniqueNames(dialect);
            List<string> existing = catalog.TryGetValue(tableName, out List<DbColumn>? have) ? [.. have.Select(c => c.Name)] : [];
            string?[] found = [.. table.Columns.Select(c => Existing(c.Name, dialect, existing))];
            foreach (string name in existing)
            {
                columnNames.Reserve(name);
            }

            string[] columns = new string[found.Length];
            for (int i = 0; i < columns.Length; i++)
            {
                columns[i] = found[i] ?? columnNames.Add(table.Columns[i].Name);
            }

            result.Add(new TableNames(table, tableName, columns, dialect));
        }

        return result;
    }

    /// <summary>The database's spelling of <paramref name="name"/> among <paramref name="existing"/>: the name as the naming policy fits it, or one of its hash-suffixed forms; exact matches only.</summary>
    private static string? Existing(string name, Dialect dialect, IEnumerable<string> existing)
    {
        var have = new HashSet<string>(existing, StringComparer.Ordinal);
        string fitted = Naming.Fit(name, dialect);
        if (have.Contains(fitted))
        {
            return fitted;
        }

        string candidate = Naming.Shorten(name, name, dialect);
        for (int n = 2; n < 10; n++)
        {
            if (have.Contains(candidate))
            {
                return candidate;
            }

            candidate = Naming.Shorten(name, name + "#" + n.ToString(CultureInfo.InvariantCulture), dialect);
        }

        return null;
    }

    private static TablePlan Evolve(LoadOptions options, Dialect dialect, TableNames table, List<DbColumn> columns, TypeContext context, LoadPlan plan)
    {
        var byName = new Dictionary<string, DbColumn>(dialect.IdentifierComparer);
        foreach (DbColumn column in columns)
        {
            byName.TryAdd(column.Name, column);
        }

        IReadOnlyList<TransmogColumn> data = table.Table.Columns;
        var types = new TransmogColumnType[data.Count];
        var clauses = new List<(string Clause, string Undo)>();
        var rebuild = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < data.Count; i++)
        {
            TransmogColumn column = data[i];
            string name = table.Columns[i];
            string quoted = table.QuotedColumns[i];
            if (!byName.TryGetValue(name, out DbColumn? existing))
            {
                if (!options.Evolve)
                {
                    throw new TransmogException($"Table '{table.Name}' in the database has no column '{name}', which the data has; {EvolveHint}.");
                }

                string type = dialect.TypeOf(column, context);
                AddDdl(dialect, table, IncrementalSql.AddColumn(dialect, table, quoted, type), $"DROP COLUMN {quoted}", plan, clauses);
                plan.Changes.Add(new SchemaChange(SchemaChangeKind.AddColumn, table.Name, name, null, type));
                types[i] = column.Type;
                continue;
            }

            TransmogColumnType? stored = FamilyOf(dialect, existing);
            if (stored is not { } family)
            {
                types[i] = column.Type; // a type of the user's own: the database converts or refuses
                continue;
            }

            if (column.Role == TransmogColumnRole.Timestamp && family is TransmogColumnType.DateTime or TransmogColumnType.DateTimeOffset)
            {
                types[i] = column.Type; // the run's UTC timestamp goes into a timestamp column with or without time zone
                continue;
            }

            TransmogColumnType joined = Join(dialect, family, column.Type);
            bool tooNarrow = joined == TransmogColumnType.String && existing.Width > 0 && context.WidthsKnown && column.MaxLength > existing.Width;
            if (joined == family && !tooNarrow)
            {
                types[i] = family;
                continue;
            }

            string shown = existing.JsonChecked ? "json" : existing.Type;
            if (!options.Evolve)
            {
                throw new TransmogException(
                    $"Column '{name}' of table '{table.Name}' has database type {shown}, which cannot hold the data's {column.Type} values{(tooNarrow ? $" of up to {column.MaxLength} characters" : string.Empty)}; {EvolveHint}.");
            }

            string? refusal = Refusal(dialect, column, family, joined);
            if (refusal is not null)
            {
                throw new TransmogException(
                    $"Cannot widen column '{name}' of table '{table.Name}' (database type {shown}) to hold the data's {column.Type} values without changing the rows already there: {refusal}. Nothing was changed.");
            }

            string newType = joined == column.Type && joined != TransmogColumnType.String
                ? dialect.TypeOf(column, context)
                : TextType(dialect, family, Math.Max(column.MaxLength, existing.Width), context.WidthsKnown);
            if (dialect.Kind == SqlDialect.Sqlite)
            {
                newType = joined switch { TransmogColumnType.Double => "REAL", TransmogColumnType.Int64 => "INTEGER", _ => "TEXT" };
            }

            if (IncrementalSql.LossCheck(dialect, table.Quoted, quoted, family, joined, newType) is { } check)
            {
                plan.Checks.Add(new LossCheck(check,
                    $"Cannot widen column '{name}' of table '{table.Name}' (database type {shown}) to {newType} for the data's {column.Type} values: rows already there hold values {newType} would change. Nothing was changed."));
            }

            if (dialect.Kind == SqlDialect.Sqlite)
            {
                rebuild[name] = newType;
            }
            else
            {
                string undoType = existing.JsonChecked ? "JSON" : existing.Type;
                AddDdl(dialect, table, IncrementalSql.AlterColumn(dialect, table, quoted, newType), $"MODIFY COLUMN {quoted} {undoType} NULL", plan, clauses);
            }

            plan.Changes.Add(new SchemaChange(SchemaChangeKind.WidenColumn, table.Name, name, shown, newType));
            types[i] = joined;
        }

        if (clauses.Count > 0)
        {
            // MySQL: one ALTER TABLE per table, which InnoDB applies whole or not at all.
            plan.Ddl.Add(new DdlStep(
                $"ALTER TABLE {table.Quoted} {string.Join(", ", clauses.Select(c => c.Clause))}",
                $"ALTER TABLE {table.Quoted} {string.Join(", ", clauses.Select(c => c.Undo))}"));
        }

        if (rebuild.Count > 0)
        {
            plan.Ddl.Add(new DdlStep(null, null, (table, rebuild)));
        }

        return new TablePlan(table, true, types);
    }

    private static void AddDdl(Dialect dialect, TableNames table, string sql, string undo, LoadPlan plan, List<(string Clause, string Undo)> clauses)
    {
        if (dialect.Kind == SqlDialect.MySql)
        {
            clauses.Add((sql, undo));
        }
        else
        {
            plan.Ddl.Add(new DdlStep(sql, Table: table.Name));
        }
    }

    /// <summary>Why the database cannot widen <paramref name="from"/> to <paramref name="to"/> without loss; <c>null</c> when it can (perhaps after a check).</summary>
    private static string? Refusal(Dialect dialect, TransmogColumn column, TransmogColumnType from, TransmogColumnType to)
    {
        if (column.Role is TransmogColumnRole.Id or TransmogColumnRole.ParentId or TransmogColumnRole.RootId)
        {
            return "id columns keep their type (load with the id generation the table was created with)";
        }

        return (from, to) switch
        {
            (TransmogColumnType.Int64, TransmogColumnType.Double or TransmogColumnType.Decimal or TransmogColumnType.String) => null,
            (TransmogColumnType.Double, TransmogColumnType.Decimal) => null,
            (TransmogColumnType.Double, TransmogColumnType.String) when dialect.Kind == SqlDialect.SqlServer =>
                "SQL Server converts FLOAT to text with 6 significant digits",
            (TransmogColumnType.Double or TransmogColumnType.Decimal or TransmogColumnType.Json, TransmogColumnType.String) => null,
            (TransmogColumnType.String, TransmogColumnType.String) => null,
            (TransmogColumnType.Boolean, TransmogColumnType.String) when dialect.Kind is SqlDialect.MySql or SqlDialect.SqlServer =>
                $"{(dialect.Kind == SqlDialect.MySql ? "MySQL/MariaDB" : "SQL Server")} stores booleans as 0/1, which would become the text 0/1 instead of false/true",
            (TransmogColumnType.Boolean, TransmogColumnType.String) => null,
            (TransmogColumnType.Date, TransmogColumnType.DateTime) => null,
            (TransmogColumnType.Date or TransmogColumnType.DateTime or TransmogColumnType.DateTimeOffset, TransmogColumnType.String) => null,
            _ => $"{from} values do not convert to {to} without loss",
        };
    }

    /// <summary>
    /// The type both the database column's values and the data's fit: integer → real → decimal; date → date-time;
    /// anything else together → text. MySQL keeps offset date-times as UTC in DATETIME(6) columns.
    /// </summary>
    internal static TransmogColumnType Join(Dialect dialect, TransmogColumnType stored, TransmogColumnType data)
    {
        if (stored == data)
        {
            return stored;
        }

        if (dialect.Kind == SqlDialect.Sqlite && stored == TransmogColumnType.Int64 && data == TransmogColumnType.Boolean)
        {
            return stored; // SQLite keeps booleans as 0/1 in INTEGER columns
        }

        if (dialect.Kind == SqlDialect.MySql && stored == TransmogColumnType.DateTime && data == TransmogColumnType.DateTimeOffset)
        {
            return stored; // MySQL: offset date-times are sent as UTC into DATETIME(6)
        }

        if (stored == TransmogColumnType.DateTime && data == TransmogColumnType.Date)
        {
            return stored; // a date is its midnight
        }

        if (stored == TransmogColumnType.Date && data == TransmogColumnType.DateTime)
        {
            return data;
        }

        int a = Rank(stored), b = Rank(data);
        return a > 0 && b > 0 ? (a >= b ? stored : data) : TransmogColumnType.String;
    }

    private static int Rank(TransmogColumnType type) => type switch
    {
        TransmogColumnType.Int64 => 1,
        TransmogColumnType.Double => 2,
        TransmogColumnType.Decimal => 3,
        _ => 0,
    };

    private static string TextType(Dialect dialect, TransmogColumnType from, int maxLength, bool widthsKnown) => dialect.Kind switch
    {
        SqlDialect.PostgreSql => "text",
        SqlDialect.DuckDb => "VARCHAR",
        SqlDialect.Sqlite => "TEXT",
        SqlDialect.MySql => from == TransmogColumnType.Json ? "LONGTEXT" : MySqlDialect.TextType(Math.Max(maxLength, 32), widthsKnown),
        _ => !widthsKnown || maxLength > 4000 ? "NVARCHAR(MAX)" : Dialect.Invariant($"NVARCHAR({SqlServerDialect.Width(Math.Max(maxLength, 32))})"),
    };

    /// <summary>What a database column holds, in the loader's types; <c>null</c> for a type the loader does not write itself.</summary>
    internal static TransmogColumnType? FamilyOf(Dialect dialect, DbColumn column)
    {
        if (column.JsonChecked)
        {
            return TransmogColumnType.Json;
        }

        string type = column.Type.Trim().ToLowerInvariant();
        if (dialect.Kind == SqlDialect.MySql && type.StartsWith("tinyint(1)", StringComparison.Ordinal))
        {
            return TransmogColumnType.Boolean;
        }

        int paren = type.IndexOf('(', StringComparison.Ordinal);
        string bare = (paren >= 0 ? type[..paren] : type).Replace(" unsigned", string.Empty, StringComparison.Ordinal).Trim();
        if (dialect.Kind == SqlDialect.Sqlite)
        {
            return bare switch
            {
                "integer" or "int" or "bigint" => TransmogColumnType.Int64,
                "real" or "double" or "float" => TransmogColumnType.Double,
                "text" or "" => TransmogColumnType.String,
                _ => null,
            };
        }

        if (bare is "timestamptz" or "datetimeoffset" || (bare.StartsWith("timestamp", StringComparison.Ordinal) && type.Contains("with time zone", StringComparison.Ordinal)))
        {
            return TransmogColumnType.DateTimeOffset;
        }

        if (bare.StartsWith("timestamp", StringComparison.Ordinal) || bare.StartsWith("datetime", StringComparison.Ordinal))
        {
            return TransmogColumnType.DateTime;
        }

        if (bare == "date")
        {
            return TransmogColumnType.Date;
        }

        return bare switch
        {
            "bigint" or "integer" or "int" or "smallint" or "mediumint" or "tinyint" or "int8" or "int4" => TransmogColumnType.Int64,
            "numeric" or "decimal" => TransmogColumnType.Decimal,
            "double precision" or "double" or "float" or "real" or "float8" => TransmogColumnType.Double,
            "boolean" or "bool" or "bit" => TransmogColumnType.Boolean,
            "text" or "varchar" or "character varying" or "character" or "char" or "nvarchar" or "nchar" or "tinytext" or "mediumtext" or "longtext" or "ntext" => TransmogColumnType.String,
            "json" or "jsonb" => TransmogColumnType.Json,
            "uuid" or "uniqueidentifier" => TransmogColumnType.Guid,
            _ => null,
        };
    }

    /// <summary>
    /// Merge: the child tables in the database below the main table — the data's own, and tables of the entity the
    /// data lacks today (named <c>main_…</c>, holding the parent id column; their parent is the longest table name
    /// they extend) — children before parents.
    /// </summary>
    private static void PlanNested(Dialect dialect, IReadOnlyList<TableNames> names, Dictionary<string, List<DbColumn>> catalog, TransmogOptions flatten, LoadPlan plan)
    {
        TableNames main = names[0];
        if (!catalog.ContainsKey(main.Name))
        {
            return;
        }

        var nested = new Dictionary<string, NestedTable>(dialect.IdentifierComparer);
        foreach (TableNames table in names.Skip(1))
        {
            if (catalog.ContainsKey(table.Name) && TransmogDdl.ParentOf(names, table) is { } parent && table.ParentOrdinal >= 0)
            {
                nested[table.Name] = new NestedTable(table.Name, table.Quoted, table.QuotedColumns[table.IdOrdinal], table.QuotedColumns[table.ParentOrdinal], parent.Name);
            }
        }

        string idColumn = Naming.Fit(flatten.IdField, dialect);
        string parentColumn = Naming.Fit(flatten.ParentField, dialect);
        var known = new List<string>(catalog.Keys);
        foreach ((string name, List<DbColumn> columns) in catalog)
        {
            if (nested.ContainsKey(name) || !name.StartsWith(main.Name + "_", StringComparison.Ordinal)
                || !columns.Any(c => c.Name == parentColumn) || !columns.Any(c => c.Name == idColumn))
            {
                continue;
            }

            string? parent = known.Where(k => k.Length < name.Length && name.StartsWith(k + "_", StringComparison.Ordinal)).MaxBy(k => k.Length);
            if (parent is not null)
            {
                nested[name] = new NestedTable(name, dialect.Quote(name), dialect.Quote(idColumn), dialect.Quote(parentColumn), parent);
            }
        }

        // Each table's ancestors up to the main table; tables whose chain does not reach it are another entity's.
        var chains = new List<(NestedTable Table, List<NestedTable> Chain)>();
        foreach (NestedTable table in nested.Values)
        {
            var chain = new List<NestedTable>();
            string parent = table.Parent;
            while (nested.TryGetValue(parent, out NestedTable? up) && chain.Count < nested.Count)
            {
                chain.Add(up);
                parent = up.Parent;
            }

            if (dialect.IdentifierComparer.Equals(parent, main.Name))
            {
                chains.Add((table, chain));
            }
        }

        plan.Nested.AddRange(chains.OrderByDescending(c => c.Chain.Count).ThenBy(c => c.Table.Name, StringComparer.Ordinal));
    }
}
