using System.Security.Cryptography;
using System.Text;

namespace Transmog.Data.Loading;

/// <summary>
/// Database names for tables and columns. A JSON key is kept as it is whenever the dialect can hold it as a quoted
/// identifier; otherwise (too long: PostgreSQL 63 UTF-8 bytes, MySQL 64 characters, SQL Server 128; characters the
/// dialect refuses: NUL anywhere, characters beyond the Basic Multilingual Plane or a trailing space in MySQL) it is
/// shortened to a stable form: the name with refused characters replaced by <c>_</c>, cut to fit, then <c>_</c> and the
/// first 8 hex digits of the SHA-256 of the original name's UTF-8. Names that collide in the dialect (case-insensitively
/// everywhere but PostgreSQL) get the same hash suffix, so every name is unique and the same input always gives the
/// same names.
/// </summary>
internal static class Naming
{
    public static string Hash8(string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)), 0, 4);

    /// <summary>The name as the dialect can hold it (see the class remarks).</summary>
    public static string Fit(string name, Dialect dialect) => IsValid(name, dialect) ? name : Shorten(name, name, dialect);

    /// <summary>Shortens <paramref name="name"/> with a hash suffix taken from <paramref name="hashOf"/>.</summary>
    public static string Shorten(string name, string hashOf, Dialect dialect)
    {
        string suffix = "_" + Hash8(hashOf);
        var kept = new StringBuilder(name.Length);
        foreach (Rune rune in name.EnumerateRunes())
        {
            kept.Append(dialect.AllowsInIdentifier(rune) ? rune.ToString() : "_");
        }

        string stem = kept.ToString().TrimEnd(' ');
        while (stem.Length > 0 && Length(stem + suffix, dialect) > dialect.MaxIdentifierLength)
        {
            int cut = stem.Length - 1;
            if (cut > 0 && char.IsLowSurrogate(stem[cut]))
            {
                cut--;
            }

            stem = stem[..cut].TrimEnd(' ');
        }

        return stem + suffix;
    }

    public static bool IsValid(string name, Dialect dialect)
    {
        if (name.Length == 0 || Length(name, dialect) > dialect.MaxIdentifierLength || (dialect.RefusesTrailingSpace && name.EndsWith(' ')))
        {
            return false;
        }

        foreach (Rune rune in name.EnumerateRunes())
        {
            if (!dialect.AllowsInIdentifier(rune))
            {
                return false;
            }
        }

        return !HasLoneSurrogate(name);
    }

    private static bool HasLoneSurrogate(string name)
    {
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(name[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static int Length(string name, Dialect dialect) => dialect.LengthInBytes ? Encoding.UTF8.GetByteCount(name) : name.EnumerateRunes().Count();

    /// <summary>Hands out names unique under the dialect's comparison of identifiers.</summary>
    public sealed class UniqueNames(Dialect dialect)
    {
        private readonly HashSet<string> _used = new(dialect.IdentifierComparer);

        /// <summary>Marks a name as taken (one the database already holds); false if it was already.</summary>
        public bool Reserve(string name) => _used.Add(name);

        public string Add(string name)
        {
            string candidate = Fit(name, dialect);
            if (_used.Add(candidate))
            {
                return candidate;
            }

            candidate = Shorten(name, name, dialect);
            for (int n = 2; !_used.Add(candidate); n++)
            {
                candidate = Shorten(name, name + "#" + n, dialect);
            }

            return candidate;
        }
    }
}

/// <summary>The database names of one table: the table's and its columns', raw and quoted.</summary>
internal sealed class TableNames
{
    public TableNames(TransmogTable table, string name, string[] columns, Dialect dialect)
    {
        Table = table;
        Name = name;
        Columns = columns;
        Quoted = dialect.Quote(name);
        QuotedColumns = [.. columns.Select(dialect.Quote)];
    }

    public TransmogTable Table { get; }

    public string Name { get; }

    public string Quoted { get; }

    public string[] Columns { get; }

    public string[] QuotedColumns { get; }

    public int IdOrdinal => Table.Columns.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Role == TransmogColumnRole.Id, (null!, -1)).Item2;

    public int ParentOrdinal => Table.Columns.Select((c, i) => (c, i)).FirstOrDefault(x => x.c.Role == TransmogColumnRole.ParentId, (null!, -1)).Item2;

    /// <summary>Maps every table of a schema to database names (tables unique in the schema, columns unique per table).</summary>
    public static IReadOnlyList<TableNames> For(IReadOnlyList<TransmogTable> tables, Dialect dialect)
    {
        var tableNames = new Naming.UniqueNames(dialect);
        var result = new List<TableNames>(tables.Count);
        foreach (TransmogTable table in tables)
        {
            var columnNames = new Naming.UniqueNames(dialect);
            string[] columns = [.. table.Columns.Select(c => columnNames.Add(c.Name))];
            result.Add(new TableNames(table, tableNames.Add(table.Name), columns, dialect));
        }

        return result;
    }
}
