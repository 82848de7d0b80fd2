using System.Globalization;
using System.Text;

namespace Transmog.Data.Loading;

/// <summary>What the DDL of one table needs to know beyond the table: observed widths, the widths of key columns.</summary>
/// <param name="WidthsKnown">Whether <see cref="TransmogColumn.MaxLength"/> covers every value (an exact scan); otherwise widths are unbounded.</param>
/// <param name="KeyLength">The longest text of any id, parent id or root id column of the schema (UTF-8 bytes).</param>
internal readonly record struct TypeContext(bool WidthsKnown, int KeyLength);

/// <summary>One SQL dialect: identifier rules and quoting, type mapping, DDL.</summary>
internal abstract class Dialect
{
    public static readonly Dialect SqlServer = new SqlServerDialect();
    public static readonly Dialect PostgreSql = new PostgreSqlDialect();
    public static readonly Dialect MySql = new MySqlDialect();
    public static readonly Dialect Sqlite = new SqliteDialect();
    public static readonly Dialect DuckDb = new DuckDbDialect();

    public abstract SqlDialect Kind { get; }

    /// <summary>The longest identifier, in <see cref="LengthInBytes"/> units (UTF-8 bytes or characters).</summary>
    public virtual int MaxIdentifierLength => int.MaxValue;

    public virtual bool LengthInBytes => false;

    public virtual bool RefusesTrailingSpace => false;

    /// <summary>How the database compares identifiers (quoted ones included).</summary>
    public virtual StringComparer IdentifierComparer => StringComparer.OrdinalIgnoreCase;

    /// <summary>Whether CREATE/DROP TABLE take part in a transaction (MySQL commits implicitly).</summary>
    public virtual bool TransactionalDdl => true;

    /// <summary>
    /// Whether a table the load creates gets its primary and foreign keys after its rows (<see cref="AddKeys"/>): one
    /// index build by sorting instead of an index insert per row (PostgreSQL: a third of a 100 MB load's server time).
    /// Not DuckDB: its appender into a table without the key, then ALTER TABLE ... ADD PRIMARY KEY, took 4.8 s against
    /// 4.25 s with the key declared (100 MB, customers).
    /// </summary>
    /// <param name="foreignKeys">Whether the tables get foreign keys too.</param>
    public virtual bool DefersKeys(bool foreignKeys) => false;

    public static Dialect Of(SqlDialect dialect) => dialect switch
    {
        SqlDialect.SqlServer => SqlServer,
        SqlDialect.PostgreSql => PostgreSql,
        SqlDialect.MySql => MySql,
        SqlDialect.Sqlite => Sqlite,
        SqlDialect.DuckDb => DuckDb,
        _ => throw new ArgumentException($"There is no SQL dialect {dialect}."),
    };

    public virtual bool AllowsInIdentifier(Rune rune) => rune.Value != 0 && rune != Rune.ReplacementChar;

    public abstract string Quote(string identifier);

    public abstract string TypeOf(TransmogColumn column, TypeContext context);

    /// <summary>Whether the column is the run's UTC timestamp (a date-time column of the data is a local date-time).</summary>
    protected static bool IsRunTimestamp(TransmogColumn column) => column.Role == TransmogColumnRole.Timestamp;

    protected static bool IsKey(TransmogColumn column) =>
        column.Role is TransmogColumnRole.Id or TransmogColumnRole.ParentId or TransmogColumnRole.RootId;

    protected static string Wrap(string identifier, char open, char close) =>
        open + identifier.Replace(close.ToString(), new string(close, 2), StringComparison.Ordinal) + close;

    /// <summary>The CREATE TABLE statement (without a terminating semicolon).</summary>
    /// <param name="table">The table.</param>
    /// <param name="parent">Its parent table, for the foreign key.</param>
    /// <param name="foreignKey">Whether the table gets a foreign key to its parent.</param>
    /// <param name="ifNotExists">Whether to add IF NOT EXISTS.</param>
    /// <param name="context">Widths for the types.</param>
    /// <param name="keys">Whether the keys are declared here; <c>false</c> when <see cref="AddKeys"/> adds them after the rows.</param>
    public virtual string CreateTable(TableNames table, TableNames? parent, bool foreignKey, bool ifNotExists, TypeContext context, bool keys = true)
    {
        var sql = new StringBuilder();
        sql.Append("CREATE TABLE ");
        if (ifNotExists)
        {
            sql.Append("IF NOT EXISTS ");
        }

        sql.Append(table.Quoted).Append(" (\n");
        IReadOnlyList<TransmogColumn> columns = table.Table.Columns;
        for (int i = 0; i < columns.Count; i++)
        {
            sql.Append("  ").Append(table.QuotedColumns[i]).Append(' ').Append(TypeOf(columns[i], context));
            sql.Append(columns[i].Role == TransmogColumnRole.Id ? " NOT NULL" : NullSuffix);
            sql.Append(",\n");
        }

        int id = table.IdOrdinal;
        if (keys && id >= 0)
        {
            sql.Append("  PRIMARY KEY (").Append(table.QuotedColumns[id]).Append("),\n");
        }

        int parentColumn = table.ParentOrdinal;
        if (keys && foreignKey && parent is not null && parentColumn >= 0 && parent.IdOrdinal >= 0)
        {
            sql.Append("  FOREIGN KEY (").Append(table.QuotedColumns[parentColumn]).Append(") REFERENCES ")
                .Append(parent.Quoted).Append(" (").Append(parent.QuotedColumns[parent.IdOrdinal]).Append("),\n");
        }

        sql.Length -= 2;
        sql.Append('\n').Append(')').Append(TableSuffix);
        return sql.ToString();
    }

    /// <summary>
    /// The statements that give a table created without keys (<see cref="DefersKeys(bool)"/>) the primary key and foreign key
    /// <see cref="CreateTable"/> would have declared, under the same default constraint names.
    /// </summary>
    public IEnumerable<string> AddKeys(TableNames table, TableNames? parent, bool foreignKey)
    {
        int id = table.IdOrdinal;
        if (id >= 0)
        {
            yield return "ALTER TABLE " + table.Quoted + " ADD PRIMARY KEY (" + table.QuotedColumns[id] + ")";
        }

        int parentColumn = table.ParentOrdinal;
        if (foreignKey && parent is not null && parentColumn >= 0 && parent.IdOrdinal >= 0)
        {
            yield return "ALTER TABLE " + table.Quoted + " ADD FOREIGN KEY (" + table.QuotedColumns[parentColumn] + ") REFERENCES "
                + parent.Quoted + " (" + parent.QuotedColumns[parent.IdOrdinal] + ")";
        }
    }

    protected virtual string NullSuffix => string.Empty;

    protected virtual string TableSuffix => string.Empty;

    public virtual string DropTable(TableNames table) => "DROP TABLE IF EXISTS " + table.Quoted;

    /// <summary>The SQL expression for the current schema, for information_schema look-ups.</summary>
    public virtual string CurrentSchema => "current_schema()";

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

internal sealed class PostgreSqlDialect : Dialect
{
    public override SqlDialect Kind => SqlDialect.PostgreSql;

    public override bool DefersKeys(bool foreignKeys) => true;

    public override int MaxIdentifierLength => 63;

    public override bool LengthInBytes => true;

    public override StringComparer IdentifierComparer => StringComparer.Ordinal;

    public override string Quote(string identifier) => Wrap(identifier, '"', '"');

    public override string TypeOf(TransmogColumn column, TypeContext context) => column.Type switch
    {
        TransmogColumnType.Int64 => "bigint",
        TransmogColumnType.Decimal => "numeric",
        TransmogColumnType.Double => "double precision",
        TransmogColumnType.Boolean => "boolean",
        TransmogColumnType.DateTime when IsRunTimestamp(column) => "timestamp(6) with time zone",
        TransmogColumnType.DateTime => "timestamp(6) without time zone",
        TransmogColumnType.Date => "date",
        TransmogColumnType.DateTimeOffset => "timestamp(6) with time zone",
        TransmogColumnType.Guid => "uuid",
        TransmogColumnType.Json => "jsonb",
        _ => "text",
    };
}

internal sealed class MySqlDialect : Dialect
{
    /// <summary>MySQL's limit on the summed width of a row's columns, less a margin.</summary>
    private const int RowBudget = 65_000;

    public override SqlDialect Kind => SqlDialect.MySql;

    public override int MaxIdentifierLength => 64;

    public override bool RefusesTrailingSpace => true;

    public override bool TransactionalDdl => false;

    public override string CurrentSchema => "DATABASE()";

    // MySQL identifiers hold the Basic Multilingual Plane only, never NUL.
    public override bool AllowsInIdentifier(Rune rune) => base.AllowsInIdentifier(rune) && rune.IsBmp;

    public override string Quote(string identifier) => Wrap(identifier, '`', '`');

    protected override string TableSuffix => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

    /// <summary>Key columns of text: wide enough for the schema's longest key, within InnoDB's 3072-byte index limit.</summary>
    public static int KeyWidth(TypeContext context) => context.KeyLength <= 255 ? 255 : 768;

    public override string TypeOf(TransmogColumn column, TypeContext context) => column.Type switch
    {
        TransmogColumnType.Int64 => "BIGINT",
        TransmogColumnType.Decimal => "DECIMAL(65,30)",
        TransmogColumnType.Double => "DOUBLE",
        TransmogColumnType.Boolean => "BOOLEAN",
        TransmogColumnType.DateTime or TransmogColumnType.DateTimeOffset => "DATETIME(6)",
        TransmogColumnType.Date => "DATE",
        TransmogColumnType.Guid => "CHAR(36) CHARACTER SET ascii COLLATE ascii_bin",
        TransmogColumnType.Json => "JSON",
        _ when IsKey(column) => Invariant($"VARCHAR({KeyWidth(context)})"),
        _ => TextType(column.MaxLength, context.WidthsKnown),
    };

    internal static string TextType(int maxLength, bool known)
    {
        if (!known)
        {
            return "LONGTEXT";
        }

        if (maxLength is > 0 and <= 255)
        {
            return Invariant($"VARCHAR({VarcharWidth(maxLength)})");
        }

        return maxLength switch
        {
            0 => "TEXT",
            <= 65_535 => "TEXT",
            <= 16_777_215 => "MEDIUMTEXT",
            _ => "LONGTEXT",
        };
    }

    private static int VarcharWidth(int maxLength) => maxLength switch
    {
        <= 64 => 64,
        <= 128 => 128,
        _ => 255,
    };

    public override string CreateTable(TableNames table, TableNames? parent, bool foreignKey, bool ifNotExists, TypeContext context, bool keys = true)
    {
        // Keep VARCHARs within the row-size limit (utf8mb4: 4 bytes per character): the widest become TEXT.
        IReadOnlyList<TransmogColumn> columns = table.Table.Columns;
        var overrides = new Dictionary<int, string>();
        int total = 0;
        var varchars = new List<(int Ordinal, int Width)>();
        for (int i = 0; i < columns.Count; i++)
        {
            string type = TypeOf(columns[i], context);
            if (type.StartsWith("VARCHAR(", StringComparison.Ordinal))
            {
                int width = int.Parse(type.AsSpan(8, type.Length - 9), CultureInfo.InvariantCulture);
                total += (width * 4) + 2;
                if (!IsKey(columns[i]))
                {
                    varchars.Add((i, width));
                }
            }
            else
            {
                total += type.StartsWith("CHAR(36)", StringComparison.Ordinal) ? 36 : type == "DECIMAL(65,30)" ? 30 : 12;
            }
        }

        foreach ((int ordinal, int width) in varchars.OrderByDescending(v => v.Width))
        {
            if (total <= RowBudget)
            {
                break;
            }

            overrides[ordinal] = "TEXT";
            total -= (width * 4) + 2 - 12;
        }

        string sql = base.CreateTable(table, parent, foreignKey, ifNotExists, context, keys);
        if (overrides.Count == 0)
        {
            return sql;
        }

        // Rewrite the overridden column lines (each line is "  `name` TYPE").
        string[] lines = sql.Split('\n');
        foreach ((int ordinal, string type) in overrides)
        {
            string line = lines[ordinal + 1];
            int at = line.LastIndexOf(" VARCHAR(", StringComparison.Ordinal);
            int end = line.IndexOf(')', at);
            lines[ordinal + 1] = line[..(at + 1)] + type + line[(end + 1)..];
        }

        return string.Join('\n', lines);
    }
}

internal sealed class SqlServerDialect : Dialect
{
    public override SqlDialect Kind => SqlDialect.SqlServer;

    public override int MaxIdentifierLength => 128;

    public override string CurrentSchema => "SCHEMA_NAME()";

    public override string Quote(string identifier) => Wrap(identifier, '[', ']');

    protected override string NullSuffix => " NULL";

    /// <summary>Text keys: within the 900-byte index key limit, compared by code point (binary collation).</summary>
    public override string TypeOf(TransmogColumn column, TypeContext context) => column.Type switch
    {
        TransmogColumnType.Int64 => "BIGINT",
        TransmogColumnType.Decimal => "DECIMAL(38,10)",
        TransmogColumnType.Double => "FLOAT",
        TransmogColumnType.Boolean => "BIT",
        TransmogColumnType.DateTime => "DATETIME2(6)",
        TransmogColumnType.Date => "DATE",
        TransmogColumnType.DateTimeOffset => "DATETIMEOFFSET(6)",
        TransmogColumnType.Guid => "UNIQUEIDENTIFIER",
        TransmogColumnType.Json => "NVARCHAR(MAX)",
        _ when IsKey(column) => "NVARCHAR(450) COLLATE Latin1_General_100_BIN2",
        _ => !context.WidthsKnown || column.MaxLength is 0 or > 4000 ? "NVARCHAR(MAX)" : Invariant($"NVARCHAR({Width(column.MaxLength)})"),
    };

    internal static int Width(int maxLength) => maxLength switch
    {
        <= 64 => 64,
        <= 128 => 128,
        <= 256 => 256,
        <= 512 => 512,
        <= 1024 => 1024,
        <= 2048 => 2048,
        _ => 4000,
    };

    public override string DropTable(TableNames table) => "DROP TABLE IF EXISTS " + table.Quoted;

    public override string CreateTable(TableNames table, TableNames? parent, bool foreignKey, bool ifNotExists, TypeContext context, bool keys = true)
    {
        string create = base.CreateTable(table, parent, foreignKey, false, context, keys);
        return ifNotExists
            ? "IF OBJECT_ID(N'" + table.Quoted.Replace("'", "''", StringComparison.Ordinal) + "', N'U') IS NULL\n" + create
            : create;
    }
}

internal sealed class SqliteDialect : Dialect
{
    public override SqlDialect Kind => SqlDialect.Sqlite;

    public override string Quote(string identifier) => Wrap(identifier, '"', '"');

    // STRICT: values are stored with the declared type, never converted by affinity.
    protected override string TableSuffix => " STRICT";

    /// <summary>
    /// Decimals, timestamps, ids and JSON as TEXT: exact (SQLite has no decimal, timestamp or uuid type). Dates and
    /// date-times of the data are their ISO 8601 text as the input wrote it (SQLite's date functions read it).
    /// </summary>
    public override string TypeOf(TransmogColumn column, TypeContext context) => column.Type switch
    {
        TransmogColumnType.Int64 or TransmogColumnType.Boolean => "INTEGER",
        TransmogColumnType.Double => "REAL",
        _ => "TEXT",
    };
}

internal sealed class DuckDbDialect : Dialect
{
    public override SqlDialect Kind => SqlDialect.DuckDb;

    public override string Quote(string identifier) => Wrap(identifier, '"', '"');

    public override string TypeOf(TransmogColumn column, TypeContext context) => column.Type switch
    {
        TransmogColumnType.Int64 => "BIGINT",
        TransmogColumnType.Decimal => "DECIMAL(38,10)",
        TransmogColumnType.Double => "DOUBLE",
        TransmogColumnType.Boolean => "BOOLEAN",
        TransmogColumnType.DateTime => "TIMESTAMP",
        TransmogColumnType.Date => "DATE",
        TransmogColumnType.DateTimeOffset => "TIMESTAMPTZ",
        TransmogColumnType.Guid => "UUID",
        TransmogColumnType.Json => "JSON",
        _ => "VARCHAR",
    };
}
