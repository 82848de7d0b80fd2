using Transmog.Data.Schema;

namespace Transmog.Data;

/// <summary>One column of a flattened table.</summary>
public sealed class TransmogColumn
{
    /// <summary>Creates a column description (for an explicit schema, the ordinal is assigned by its table).</summary>
    /// <param name="name">The column name.</param>
    /// <param name="type">The column type.</param>
    /// <param name="role">What the column holds.</param>
    public TransmogColumn(string name, TransmogColumnType type, TransmogColumnRole role = TransmogColumnRole.Data)
        : this(name, type, role, ordinal: -1, maxLength: 0)
    {
    }

    internal TransmogColumn(string name, TransmogColumnType type, TransmogColumnRole role, int ordinal, int maxLength,
        ValueKinds? seen = null, bool fromInput = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Type = type;
        Role = role;
        Ordinal = ordinal;
        MaxLength = maxLength;
        Seen = seen ?? TypeInference.KindsOf(type);
        FromInput = fromInput;
    }

    /// <summary>The column name.</summary>
    public string Name { get; }

    /// <summary>The column type.</summary>
    public TransmogColumnType Type { get; }

    /// <summary>What the column holds.</summary>
    public TransmogColumnRole Role { get; }

    /// <summary>The 0-based position in its table; -1 for a column not (yet) placed in a table.</summary>
    public int Ordinal { get; }

    /// <summary>Whether the column can hold nulls (every column but the id can).</summary>
    public bool AllowNull => Role != TransmogColumnRole.Id;

    /// <summary>The longest value seen, in characters of its text, when the schema was scanned; 0 if unknown.</summary>
    public int MaxLength { get; }

    /// <summary>
    /// The kinds of values the column saw when the schema was scanned (the union its type was resolved from), so that
    /// schemas of parts of an input merge into the schema of the whole; for a column made by hand, the kinds its type stands for.
    /// </summary>
    internal ValueKinds Seen { get; }

    /// <summary>
    /// Whether a metadata column (a natural id) also came from a field of the input: it is then placed among the data
    /// columns, in first-seen order, not after them.
    /// </summary>
    internal bool FromInput { get; }

    /// <summary>The CLR type of the column's values.</summary>
    public Type ClrType => Type switch
    {
        TransmogColumnType.Int64 => typeof(long),
        TransmogColumnType.Decimal => typeof(decimal),
        TransmogColumnType.Double => typeof(double),
        TransmogColumnType.Boolean => typeof(bool),
        TransmogColumnType.DateTime or TransmogColumnType.Date => typeof(DateTime),
        TransmogColumnType.DateTimeOffset => typeof(DateTimeOffset),
        TransmogColumnType.Guid => typeof(Guid),
        _ => typeof(string),
    };

    /// <summary>The data type name reported by readers: <c>string</c>, <c>int64</c>, <c>decimal</c>, <c>double</c>, <c>boolean</c>, <c>timestamp</c>, <c>date</c>, <c>timestamptz</c>, <c>uuid</c>, <c>json</c>.</summary>
    public string DataTypeName => Type switch
    {
        TransmogColumnType.Int64 => "int64",
        TransmogColumnType.Decimal => "decimal",
        TransmogColumnType.Double => "double",
        TransmogColumnType.Boolean => "boolean",
        TransmogColumnType.DateTime => "timestamp",
        TransmogColumnType.Date => "date",
        TransmogColumnType.DateTimeOffset => "timestamptz",
        TransmogColumnType.Guid => "uuid",
        TransmogColumnType.Json => "json",
        _ => "string",
    };

    /// <inheritdoc />
    public override string ToString() => $"{Name} {DataTypeName}";

    /// <summary>This column at another position (a table places the columns it is given; it never changes them).</summary>
    internal TransmogColumn AtOrdinal(int ordinal) => ordinal == Ordinal ? this : new TransmogColumn(Name, Type, Role, ordinal, MaxLength, Seen, FromInput);
}
