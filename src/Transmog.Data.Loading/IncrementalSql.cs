using System.Globalization;
using System.Text;

namespace Transmog.Data.Loading;

/// <summary>
/// The SQL of incremental loads, per dialect: stage and skip tables, adding and widening columns, the checks that a
/// widening loses nothing, the set-based insert of an append (whole records skipped) and the upsert of a merge
/// (<c>ON CONFLICT</c>, <c>ON DUPLICATE KEY UPDATE</c>, <c>MERGE</c>), and the deletion of replaced records' nested rows.
/// </summary>
internal static class IncrementalSql
{
    /// <summary>The name of the temporary table the rows of table <paramref name="index"/> are copied into first.</summary>
    public static string StageName(int index) => "transmog_stage_" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The name of the temporary table of the ids of table <paramref name="index"/> an append skips.</summary>
    public static string SkipName(int index) => "transmog_skip_" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>How a statement refers to a temporary table created by <see cref="CreateTempAs"/>.</summary>
    public static string TempReference(Dialect dialect, string name) => dialect.Kind switch
    {
        SqlDialect.Sqlite => "temp." + dialect.Quote(name),
        SqlDialect.DuckDb => "temp.main." + dialect.Quote(name),
        SqlDialect.SqlServer => dialect.Quote("#" + name),
        _ => dialect.Quote(name),
    };

    /// <summary>Statements that create temporary table <paramref name="name"/> from <c>SELECT select FROM from</c> (dropped at commit or by <see cref="DropTemp"/>).</summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="name">The temporary table's name.</param>
    /// <param name="select">The select list.</param>
    /// <param name="from">The FROM clause and what follows it.</param>
    /// <param name="indexed">MySQL: a column to index (MariaDB runs a correlated NOT EXISTS as a lookup per row; the other databases hash-join).</param>
    public static IEnumerable<string> CreateTempAs(Dialect dialect, string name, string select, string from, string? indexed = null)
    {
        string quoted = dialect.Quote(name);
        switch (dialect.Kind)
        {
            case SqlDialect.PostgreSql:
                yield return $"CREATE TEMP TABLE {quoted} ON COMMIT DROP AS SELECT {select} FROM {from}";
                break;
            case SqlDialect.MySql:
                // A temporary table outlives a rolled-back transaction on its session: drop a leftover first.
                yield return $"DROP TEMPORARY TABLE IF EXISTS {quoted}";
                yield return $"CREATE TEMPORARY TABLE {quoted} {(indexed is null ? string.Empty : $"(INDEX ({indexed})) ")}AS SELECT {select} FROM {from}";
                break;
            case SqlDialect.SqlServer:
                yield return $"SELECT {select} INTO {TempReference(dialect, name)} FROM {from}";
                break;
            case SqlDialect.DuckDb:
                yield return $"CREATE OR REPLACE TEMP TABLE {quoted} AS SELECT {select} FROM {from}";
                break;
            default:
                yield return $"DROP TABLE IF EXISTS {TempReference(dialect, name)}";
                yield return $"CREATE TEMP TABLE {quoted} AS SELECT {select} FROM {from}";
                break;
        }
    }

    /// <summary>The statements that create the (empty) stage of a table: its columns and database types, in the data's order.</summary>
    public static IEnumerable<string> CreateStage(Dialect dialect, TableNames target, int index) =>
        CreateTempAs(dialect, StageName(index), string.Join(", ", target.QuotedColumns),
            target.Quoted + (dialect.Kind == SqlDialect.SqlServer ? " WHERE 1 = 0" : " LIMIT 0"));

    /// <summary>Drops a temporary table (none for PostgreSQL: ON COMMIT DROP).</summary>
    public static string? DropTemp(Dialect dialect, string name) => dialect.Kind switch
    {
        SqlDialect.PostgreSql => null,
        SqlDialect.MySql => "DROP TEMPORARY TABLE IF EXISTS " + dialect.Quote(name),
        _ => "DROP TABLE IF EXISTS " + TempReference(dialect, name),
    };

    /// <summary>Adds a nullable column (MySQL: a clause of one <c>ALTER TABLE</c> per table).</summary>
    public static string AddColumn(Dialect dialect, TableNames table, string quotedColumn, string type) => dialect.Kind switch
    {
        SqlDialect.MySql => $"ADD COLUMN {quotedColumn} {type} NULL",
        SqlDialect.SqlServer => $"ALTER TABLE {table.Quoted} ADD {quotedColumn} {type} NULL",
        _ => $"ALTER TABLE {table.Quoted} ADD COLUMN {quotedColumn} {type}",
    };

    /// <summary>Changes a column's type in place, converting the rows (MySQL: a clause; SQLite cannot: its tables are rebuilt).</summary>
    public static string AlterColumn(Dialect dialect, TableNames table, string quotedColumn, string type) => dialect.Kind switch
    {
        SqlDialect.PostgreSql => $"ALTER TABLE {table.Quoted} ALTER COLUMN {quotedColumn} TYPE {type} USING {quotedColumn}::{type}",
        SqlDialect.MySql => $"MODIFY COLUMN {quotedColumn} {type} NULL",
        SqlDialect.SqlServer => $"ALTER TABLE {table.Quoted} ALTER COLUMN {quotedColumn} {type} NULL",
        SqlDialect.DuckDb => $"ALTER TABLE {table.Quoted} ALTER COLUMN {quotedColumn} SET DATA TYPE {type}",
        _ => throw new InvalidOperationException("SQLite changes column types by rebuilding the table."),
    };

    /// <summary>
    /// A query counting the rows whose value would not survive a widening of <paramref name="from"/> to
    /// <paramref name="to"/> (database type <paramref name="newType"/>); <c>null</c> when every value survives.
    /// </summary>
    public static string? LossCheck(Dialect dialect, string quotedTable, string quotedColumn, TransmogColumnType from, TransmogColumnType to, string newType)
    {
        string c = quotedColumn;
        if (from == TransmogColumnType.Int64 && to == TransmogColumnType.Double)
        {
            // Doubles hold integers exactly up to 2^53.
            return $"SELECT COUNT(*) FROM {quotedTable} WHERE {c} > 9007199254740992 OR {c} < -9007199254740992";
        }

        if (from != TransmogColumnType.Double || (to != TransmogColumnType.Decimal && to != TransmogColumnType.String))
        {
            return null;
        }

        // Doubles to decimal or text: every value must come back as the same double.
        string back = dialect.Kind switch
        {
            SqlDialect.PostgreSql => $"CAST(CAST({c} AS {newType}) AS double precision)",
            SqlDialect.MySql => to == TransmogColumnType.String ? $"CAST({c} AS CHAR)" : $"CAST({c} AS DECIMAL(65,30))",
            SqlDialect.DuckDb => $"CAST(TRY_CAST({c} AS {newType}) AS DOUBLE)",
            SqlDialect.SqlServer => $"CAST(TRY_CAST({c} AS {newType}) AS FLOAT)",
            _ => $"CAST(CAST({c} AS TEXT) AS REAL)",
        };
        return $"SELECT COUNT(*) FROM {quotedTable} WHERE {c} IS NOT NULL AND ({back} IS NULL OR {back} <> {c})";
    }

    /// <summary>
    /// Append: the ids of the stage's rows to skip — main table: the records already there; child table: the rows whose
    /// parent row was skipped (so a re-delivered record is skipped whole, with all its nested rows).
    /// </summary>
    public static IEnumerable<string> CreateSkip(Dialect dialect, TableNames table, int index, TableNames? parent, int parentIndex)
    {
        string id = table.QuotedColumns[table.IdOrdinal];
        string stage = TempReference(dialect, StageName(index)) + " s";
        string where = parent is null
            ? $"EXISTS (SELECT 1 FROM {table.Quoted} x WHERE x.{id} = s.{id})"
            : $"EXISTS (SELECT 1 FROM {TempReference(dialect, SkipName(parentIndex))} k WHERE k.{parent.QuotedColumns[parent.IdOrdinal]} = s.{table.QuotedColumns[table.ParentOrdinal]})";
        return CreateTempAs(dialect, SkipName(index), "s." + id, stage + " WHERE " + where, id);
    }

    /// <summary>Append: inserts the stage's rows but those of skipped records and those whose id is already there.</summary>
    public static string InsertSkipping(Dialect dialect, TableNames table, int index)
    {
        string id = table.QuotedColumns[table.IdOrdinal];
        string columns = string.Join(", ", table.QuotedColumns);
        string select = $"SELECT {string.Join(", ", table.QuotedColumns.Select(c => "s." + c))} FROM {TempReference(dialect, StageName(index))} s " +
            $"WHERE NOT EXISTS (SELECT 1 FROM {TempReference(dialect, SkipName(index))} k WHERE k.{id} = s.{id})";
        return dialect.Kind switch
        {
            SqlDialect.MySql => $"INSERT IGNORE INTO {table.Quoted} ({columns}) {select}",
            SqlDialect.DuckDb => $"INSERT OR IGNORE INTO {table.Quoted} ({columns}) {select}",
            SqlDialect.SqlServer => $"INSERT INTO {table.Quoted} ({columns}) {select} AND NOT EXISTS (SELECT 1 FROM {table.Quoted} x WHERE x.{id} = s.{id})",
            _ => $"INSERT INTO {table.Quoted} ({columns}) {select} ON CONFLICT DO NOTHING",
        };
    }

    /// <summary>The number of ids that appear more than once among the stage's rows.</summary>
    public static string CountDuplicates(Dialect dialect, TableNames table, int index)
    {
        string id = table.QuotedColumns[table.IdOrdinal];
        return $"SELECT COUNT(*) FROM (SELECT {id} FROM {TempReference(dialect, StageName(index))} GROUP BY {id} HAVING COUNT(*) > 1) d";
    }

    /// <summary>Merge: the stage's rows whose id is already in the table (the records to replace).</summary>
    public static string CountExisting(Dialect dialect, TableNames table, int index)
    {
        string id = table.QuotedColumns[table.IdOrdinal];
        return $"SELECT COUNT(*) FROM {TempReference(dialect, StageName(index))} s WHERE EXISTS (SELECT 1 FROM {table.Quoted} x WHERE x.{id} = s.{id})";
    }

    /// <summary>
    /// Merge: inserts the stage's rows, replacing every column of a row whose id is there already (columns the data
    /// lacks become null: a record is replaced as a whole) — the database's own upsert.
    /// </summary>
    public static string Upsert(Dialect dialect, TableNames table, int index, IReadOnlyList<string> otherColumns)
    {
        int idOrdinal = table.IdOrdinal;
        string id = table.QuotedColumns[idOrdinal];
        string columns = string.Join(", ", table.QuotedColumns);
        string stage = TempReference(dialect, StageName(index));
        var updated = new List<(string Column, string? Value)>();
        for (int i = 0; i < table.QuotedColumns.Length; i++)
        {
            if (i != idOrdinal)
            {
                updated.Add((table.QuotedColumns[i], table.QuotedColumns[i]));
            }
        }

        updated.AddRange(otherColumns.Select(c => (dialect.Quote(c), (string?)null)));
        string select = $"SELECT {columns} FROM {stage}";
        switch (dialect.Kind)
        {
            case SqlDialect.MySql:
                return $"INSERT INTO {table.Quoted} ({columns}) {select} ON DUPLICATE KEY UPDATE " +
                    (updated.Count == 0 ? $"{id} = {id}" : string.Join(", ", updated.Select(u => $"{u.Column} = {(u.Value is null ? "NULL" : $"VALUES({u.Value})")}")));
            case SqlDialect.SqlServer:
                var merge = new StringBuilder();
                merge.Append("MERGE INTO ").Append(table.Quoted).Append(" WITH (HOLDLOCK) AS t\nUSING ").Append(stage).Append(" AS s\nON t.").Append(id).Append(" = s.").Append(id).Append('\n');
                if (updated.Count > 0)
                {
                    merge.Append("WHEN MATCHED THEN UPDATE SET ").AppendJoin(", ", updated.Select(u => $"t.{u.Column} = {(u.Value is null ? "NULL" : "s." + u.Value)}")).Append('\n');
                }

                merge.Append("WHEN NOT MATCHED THEN INSERT (").Append(columns).Append(") VALUES (").AppendJoin(", ", table.QuotedColumns.Select(c => "s." + c)).Append(");");
                return merge.ToString();
            default:
                // SQLite needs a WHERE before ON CONFLICT in INSERT ... SELECT (a parsing ambiguity).
                string where = dialect.Kind == SqlDialect.Sqlite ? " WHERE true" : string.Empty;
                return $"INSERT INTO {table.Quoted} ({columns}) {select}{where} ON CONFLICT ({id}) " +
                    (updated.Count == 0 ? "DO NOTHING" : "DO UPDATE SET " + string.Join(", ", updated.Select(u => $"{u.Column} = {(u.Value is null ? "NULL" : "excluded." + u.Value)}")));
        }
    }

    /// <summary>
    /// Merge: deletes the rows of <paramref name="table"/> below the records of the main table's stage: its parent
    /// ids are those of <paramref name="chain"/>[0] below <paramref name="chain"/>[1] ... below the stage's ids.
    /// </summary>
    /// <param name="dialect">The dialect.</param>
    /// <param name="table">The table to delete from, with its id and parent id columns (quoted).</param>
    /// <param name="chain">Its ancestors from its parent up to the child of the main table (empty for a child of the main table).</param>
    /// <param name="mainId">The main table's id column (quoted).</param>
    public static string DeleteBelow(Dialect dialect, NestedTable table, IReadOnlyList<NestedTable> chain, string mainId)
    {
        string set = $"SELECT {mainId} FROM {TempReference(dialect, StageName(0))}";
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            set = $"SELECT {chain[i].Id} FROM {chain[i].Quoted} WHERE {chain[i].ParentId} IN ({set})";
        }

        return $"DELETE FROM {table.Quoted} WHERE {table.ParentId} IN ({set})";
    }
}

/// <summary>A child table in the database below the main table: its quoted name, id and parent id columns, and its parent's name.</summary>
internal sealed record NestedTable(string Name, string Quoted, string Id, string ParentId, string Parent);
