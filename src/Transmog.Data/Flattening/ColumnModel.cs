using Transmog.Data.Schema;

namespace Transmog.Data.Flattening;

/// <summary>A column as the flattener knows it: its name, role, and the kinds of values seen so far.</summary>
internal sealed class ColumnModel(string name, int index, TransmogColumnRole role)
{
    public string Name { get; } = name;

    /// <summary>The column's index in rows (discovery order); the public ordinal may differ.</summary>
    public int Index { get; } = index;

    public TransmogColumnRole Role { get; } = role;

    /// <summary>Every kind of value seen (the union decides the type).</summary>
    public ValueKinds Seen { get; set; }

    /// <summary>The type once the schema is fixed.</summary>
    public TransmogColumnType? FixedType { get; set; }

    /// <summary>The longest value seen, in UTF-8 bytes (an upper bound on its length in characters).</summary>
    public int MaxLength { get; set; }

    /// <summary>Whether a source field produced this column (decides its place among the data columns).</summary>
    public bool SeenAsData { get; set; }
}
