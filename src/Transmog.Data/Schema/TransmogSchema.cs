using Transmog.Data.Flattening;
using Transmog.Data.Schema;

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

    /// <summary>The type real numbers resolved to (<see cref="TransmogOptions.RealNumbers"/> of the run that made it): merges resolve kinds with it.</summary>
    internal TransmogColumnType RealNumbers { get; init; } = TransmogColumnType.Double;

    /// <summary>The shard of the input this schema was read from (<c>schema --shard K/N</c>), if any: merges put shards in order.</summary>
    internal SchemaShard? Shard { get; init; }

    /// <summary>This schema marked as read from shard <paramref name="index"/> of <paramref name="count"/> (for <c>schema --shard K/N --save</c>).</summary>
    internal TransmogSchema WithShard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        return new TransmogSchema(Tables) { RealNumbers = RealNumbers, Shard = new SchemaShard(index, count) };
    }

    /// <summary>
    /// Writes this schema to a schema file (a documented, versioned JSON format that may be edited by hand; see the
    /// README's "Schema files"), atomically: under a temporary name, then renamed over <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ArgumentException">The schema is not usable (see <see cref="Validate"/>).</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Validate();
        SchemaFile.Save(this, path);
    }

    /// <summary>Reads a schema file written by <see cref="Save"/> (or by hand); for <see cref="TransmogOptions.Schema"/>.</summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The schema, validated.</returns>
    /// <exception cref="ArgumentException">The file is not a valid schema file (the message names the file and the problem).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static TransmogSchema Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return SchemaFile.Load(path);
    }

    /// <summary>
    /// Merges the schemas of parts of one input (shards, or days) into the schema the whole input gives: schemas
    /// that carry a shard index are taken in its order (otherwise in the order given); tables are matched by their
    /// chain of arrays from the main table (not by name) and named as the flattener names them, in that order;
    /// columns are united in that order (data columns first, metadata columns after them, as the flattener places
    /// them); types are widened from the union of the kinds of values each column saw; row counts are summed.
    /// </summary>
    /// <param name="schemas">The schemas; all of the same entity.</param>
    /// <returns>The merged schema.</returns>
    /// <exception cref="ArgumentException">There are none, or they do not fit together (another entity, real-number type or shard count; a shard twice or missing).</exception>
    public static TransmogSchema Merge(IEnumerable<TransmogSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        return SchemaMerge.Merge([.. schemas]);
    }

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
