namespace Transmog.Data.Loading;

/// <summary>
/// <c>CREATE TABLE</c> statements for flattened tables, per SQL dialect: column types mapped from the inferred types,
/// a primary key on the id column, optionally a foreign key from the parent id column to the parent table's id.
/// </summary>
/// <remarks>
/// <para>Identifiers are quoted for the dialect whatever characters the JSON keys hold (quotes, backticks, brackets
/// and semicolons are escaped by doubling). A name the dialect cannot hold (PostgreSQL: over 63 UTF-8 bytes; MySQL:
/// over 64 characters, characters beyond the Basic Multilingual Plane, a trailing space; SQL Server: over 128
/// characters; any dialect: NUL) is shortened to a stable form: the name with refused characters as <c>_</c>, cut to
/// fit, then <c>_</c> and the first 8 hex digits of the SHA-256 of the original name. Names that the dialect would
/// take as equal (case-insensitively everywhere but PostgreSQL) are told apart the same way.</para>
/// <para>Types: <list type="table">
/// <listheader><term>type</term><description>SQL Server / PostgreSQL / MySQL / SQLite / DuckDB</description></listheader>
/// <item><term>String</term><description>NVARCHAR(n|MAX) / text / VARCHAR(n) up to 255, else TEXT, MEDIUMTEXT, LONGTEXT / TEXT / VARCHAR</description></item>
/// <item><term>Int64</term><description>BIGINT / bigint / BIGINT / INTEGER / BIGINT</description></item>
/// <item><term>Decimal</term><description>DECIMAL(38,10) / numeric / DECIMAL(65,30) / TEXT (exact) / DECIMAL(38,10)</description></item>
/// <item><term>Double</term><description>FLOAT / double precision / DOUBLE / REAL / DOUBLE</description></item>
/// <item><term>Boolean</term><description>BIT / boolean / BOOLEAN / INTEGER (0, 1) / BOOLEAN</description></item>
/// <item><term>DateTime (the run's timestamp)</term><description>DATETIME2(6) / timestamp(6) with time zone / DATETIME(6) / TEXT (<c>yyyy-MM-dd HH:mm:ss.ffffff</c>) / TIMESTAMP, all UTC</description></item>
/// <item><term>DateTime (the data's, no offset)</term><description>DATETIME2(6) / timestamp(6) without time zone / DATETIME(6) / TEXT (as written) / TIMESTAMP</description></item>
/// <item><term>Date</term><description>DATE / date / DATE / TEXT (as written) / DATE</description></item>
/// <item><term>DateTimeOffset</term><description>DATETIMEOFFSET(6) / timestamp(6) with time zone (the instant; PostgreSQL keeps no offset) / DATETIME(6) in UTC (the offset is not kept) / TEXT (as written) / TIMESTAMPTZ (the instant)</description></item>
/// <item><term>Guid</term><description>UNIQUEIDENTIFIER / uuid / CHAR(36) ascii / TEXT / UUID</description></item>
/// <item><term>Json</term><description>NVARCHAR(MAX) / jsonb / JSON / TEXT / JSON</description></item>
/// </list>
/// Widths (n) come from the longest value seen by an exact scan, rounded up (64, 128, 255 for MySQL; 64 to 4000 for SQL
/// Server), an upper bound since they count UTF-8 bytes; without an exact scan text is unbounded. Text id columns are VARCHAR(255) or VARCHAR(768)
/// in MySQL and NVARCHAR(450) with a binary collation in SQL Server (index key limits). MySQL tables are InnoDB,
/// utf8mb4 with the binary collation (ids compare exactly); SQLite tables are STRICT.</para>
/// </remarks>
public static class TransmogDdl
{
    /// <summary>
    /// The statements that create every table of a schema, parents before children, each ending with <c>;</c>; a table
    /// without columns is left out (when none has columns, one SQL comment saying so).
    /// </summary>
    /// <param name="schema">The tables (e.g. from <see cref="JsonFlattener.ReadSchema"/>).</param>
    /// <param name="dialect">The SQL dialect.</param>
    /// <param name="foreignKeys">Add a foreign key from each child table's parent id column to its parent's id.</param>
    public static string CreateTables(TransmogSchema schema, SqlDialect dialect, bool foreignKeys = false)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return CreateTables(schema.Tables, dialect, foreignKeys);
    }

    /// <summary>
    /// The statements that create the tables, parents before children, each ending with <c>;</c>; a table without
    /// columns is left out (when none has columns, one SQL comment saying so).
    /// </summary>
    /// <param name="tables">The tables, parents before children (as a reader or a schema lists them).</param>
    /// <param name="dialect">The SQL dialect.</param>
    /// <param name="foreignKeys">Add a foreign key from each child table's parent id column to its parent's id.</param>
    public static string CreateTables(IReadOnlyList<TransmogTable> tables, SqlDialect dialect, bool foreignKeys = false)
    {
        ArgumentNullException.ThrowIfNull(tables);
        Dialect d = Dialect.Of(dialect);

        // A table without columns (an input of no records, or only of empty objects) has nothing to create: "CREATE
        // TABLE t ()" is no valid SQL, and a load leaves such a table out too.
        TransmogTable[] creatable = [.. tables.Where(t => t.Columns.Count > 0)];
        if (creatable.Length == 0)
        {
            return "-- No table has columns (the input has no records, or only empty ones): nothing to create.\n";
        }

        IReadOnlyList<TableNames> names = TableNames.For(creatable, d);
        TypeContext context = ContextOf(creatable, widthsKnown: true);
        return string.Join("\n\n", names.Select(t => d.CreateTable(t, ParentOf(names, t), foreignKeys, false, context) + ";")) + "\n";
    }

    /// <summary>Quotes an identifier for the dialect (after shortening it if the dialect cannot hold it; see the remarks).</summary>
    /// <param name="name">The table or column name.</param>
    /// <param name="dialect">The SQL dialect.</param>
    public static string QuoteIdentifier(string name, SqlDialect dialect)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Dialect d = Dialect.Of(dialect);
        return d.Quote(Naming.Fit(name, d));
    }

    internal static TableNames? ParentOf(IReadOnlyList<TableNames> names, TableNames table) =>
        table.Table.ParentName is { } parent ? names.FirstOrDefault(n => n.Table.Name == parent) : null;

    internal static TypeContext ContextOf(IReadOnlyList<TransmogTable> tables, bool widthsKnown)
    {
        int keyLength = 0;
        foreach (TransmogTable table in tables)
        {
            foreach (TransmogColumn column in table.Columns)
            {
                if (column.Role is TransmogColumnRole.Id or TransmogColumnRole.ParentId or TransmogColumnRole.RootId)
                {
                    keyLength = Math.Max(keyLength, column.MaxLength);
                }
            }
        }

        return new TypeContext(widthsKnown, widthsKnown ? keyLength : int.MaxValue);
    }
}
