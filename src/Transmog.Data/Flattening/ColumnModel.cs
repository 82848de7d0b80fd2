using Transmog.Data.Schema;

namespace Transmog.Data.Flattening;

/// <summary>A column as the flattener knows it: its name, role, and the kinds of values seen so far.</summary>
internal sealed class ColumnModel(string name, int index, TransmogColumnRole role)
{
    public string Name { get; } = name;

    /// <summary>The column's index in rows (discovery order); the public ordinal may differ.</summary>
    public int Index { get; } = index;

    public TransmogColumnRole Role { get; } = role;

    private int _seen;
    private int _maxLength;

    /// <summary>Every kind of value seen (the union decides the type).</summary>
    public ValueKinds Seen
    {
        get => (ValueKinds)Volatile.Read(ref _seen);
        set => Volatile.Write(ref _seen, (int)value);
    }

    /// <summary>The type once the schema is fixed.</summary>
    public TransmogColumnType? FixedType { get; set; }

    /// <summary>The longest value seen, in UTF-8 bytes (an upper bound on its length in characters).</summary>
    public int MaxLength => Volatile.Read(ref _maxLength);

    /// <summary>Whether a source field produced this column (decides its place among the data columns).</summary>
    public bool SeenAsData { get; set; }

    private int _accepted;

    /// <summary>
    /// Whether an accepted record wrote this column (or a schema brought it). A column only a rejected record made
    /// (set once its record is accepted, by several flatteners at once) is left out of the table.
    /// </summary>
    public bool Accepted
    {
        get => Volatile.Read(ref _accepted) != 0;
        set => Volatile.Write(ref _accepted, value ? 1 : 0);
    }

    /// <summary>
    /// Adds kinds of values and a length to what was seen. Several flatteners may call this at once: the shared
    /// fields are written only when they change (rarely, after the first records), atomically.
    /// </summary>
    public void Widen(ValueKinds kinds, int length)
    {
        int k = (int)kinds;
        if ((Volatile.Read(ref _seen) & k) != k)
        {
            Interlocked.Or(ref _seen, k);
        }

        int current = Volatile.Read(ref _maxLength);
        while (length > current)
        {
            int seen = Interlocked.CompareExchange(ref _maxLength, length, current);
            if (seen == current)
            {
                break;
            }

            current = seen;
        }
    }
}
