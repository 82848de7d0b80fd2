namespace Transmog.Data;

/// <summary>The tables of one input: the main table first, then child tables in the order first seen.</summary>
public sealed class TransmogSchema
{
    /// <summary>Creates a schema (for an explicit schema: the tables and columns to produce).</summary>
    /// <param name="tables">The tables, main table first.</param>
    public TransmogSchema(IEnumerable<TransmogTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        Tables = tables.ToArray();
    }

    /// <summary>The tables, main table first.</summary>
    public IReadOnlyList<TransmogTable> Tables { get; }

    /// <summary>The table with this name (exact, then ignoring case), or <c>null</c>.</summary>
    /// <param name="name">The table name.</param>
    public TransmogTable? Find(string name)
    {
        foreach (TransmogTable t in Tables)
        {
            if (string.Equals(t.Name, name, StringComparison.Ordinal))
            {
                return t;
            }
        }

        foreach (TransmogTable t in Tables)
        {
            if (string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return t;
            }
        }

        return null;
    }

    /// <summary>The table with this name (exact, then ignoring case); otherwise an error that lists the tables.</summary>
    /// <param name="name">The table name.</param>
    /// <exception cref="ArgumentException">There is no such table.</exception>
    internal TransmogTable Require(string name) =>
        Find(name) ?? throw new ArgumentException(NoSuchTable(name, Tables.Select(t => t.Name)));

    /// <summary>The message for a table name that is not there.</summary>
    internal static string NoSuchTable(string name, IEnumerable<string> tables) =>
        $"There is no table '{name}'. The tables: {string.Join(", ", tables)}.";

    /// <summary>Checks the schema is usable: at least one table, unique table names, parents that exist.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public void Validate()
    {
        if (Tables.Count == 0)
        {
            throw new ArgumentException("An explicit schema needs at least the main table.");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (TransmogTable t in Tables)
        {
            if (!names.Add(t.Name))
            {
                throw new ArgumentException($"The schema has two tables named '{t.Name}'.");
            }

            if (t.ParentName is not null && !names.Contains(t.ParentName))
            {
                throw new ArgumentException($"Table '{t.Name}' names parent '{t.ParentName}', which is not listed before it.");
            }
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(", ", Tables);
}
