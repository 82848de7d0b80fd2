namespace Transmog.Data.Flattening;

/// <summary>
/// One path of a table (relative to the table's row root), cached so that a key seen again resolves to its column
/// name, column and child table without building strings: the path-to-column cache that
/// <see cref="TransmogOptions.CacheSize"/> bounds.
/// </summary>
internal sealed class PathNode
{
    private PathNode?[]? _slots;
    private byte[][]? _keys;
    private int _count;

    // Records mostly repeat their keys in the same order: the slot after the last match is tried before hashing.
    private int _lastSlot = -1;
    private int[]? _nextSlot;

    public PathNode(string columnName, string tableNamePart, int depth)
    {
        ColumnName = columnName;
        TableNamePart = tableNamePart;
        Depth = depth;
    }

    /// <summary>The column name of a value at this path.</summary>
    public string ColumnName { get; }

    /// <summary>The sanitized keys from the table root joined with <c>_</c>, for naming child tables.</summary>
    public string TableNamePart { get; }

    /// <summary>The number of keys from the table root.</summary>
    public int Depth { get; }

    /// <summary>The column, once created.</summary>
    public ColumnModel? Column { get; set; }

    /// <summary>The child table of an array at this path, once created.</summary>
    public TableModel? ChildTable { get; set; }

    /// <summary>Finds a cached child by its raw (as written in the input) UTF-8 key.</summary>
    public PathNode? Find(ReadOnlySpan<byte> rawKey)
    {
        if (_slots is null)
        {
            return null;
        }

        // The key that followed the previous match last time is the likely one now.
        int predicted = _lastSlot >= 0 ? _nextSlot![_lastSlot] : -1;
        if (predicted >= 0 && _keys![predicted].AsSpan().SequenceEqual(rawKey))
        {
            _lastSlot = predicted;
            return _slots[predicted];
        }

        int mask = _slots.Length - 1;
        int i = Hash(rawKey) & mask;
        while (true)
        {
            PathNode? node = _slots[i];
            if (node is null)
            {
                return null;
            }

            if (_keys![i].AsSpan().SequenceEqual(rawKey))
            {
                if (_lastSlot >= 0)
                {
                    _nextSlot![_lastSlot] = i;
                }

                _lastSlot = i;
                return node;
            }

            i = (i + 1) & mask;
        }
    }

    /// <summary>Caches a child under its raw key.</summary>
    public void Add(ReadOnlySpan<byte> rawKey, PathNode child)
    {
        if (_slots is null || (_count + 1) * 2 > _slots.Length)
        {
            Grow();
        }

        int mask = _slots!.Length - 1;
        int i = Hash(rawKey) & mask;
        while (_slots[i] is not null)
        {
            i = (i + 1) & mask;
        }

        _slots[i] = child;
        _keys![i] = rawKey.ToArray();
        _count++;
    }

    private void Grow()
    {
        PathNode?[]? oldSlots = _slots;
        byte[][]? oldKeys = _keys;
        int size = oldSlots is null ? 8 : oldSlots.Length * 2;
        _slots = new PathNode?[size];
        _keys = new byte[size][];
        _nextSlot = new int[size];
        Array.Fill(_nextSlot, -1);
        _lastSlot = -1;
        _count = 0;
        if (oldSlots is null)
        {
            return;
        }

        for (int i = 0; i < oldSlots.Length; i++)
        {
            if (oldSlots[i] is { } node)
            {
                Add(oldKeys![i], node);
            }
        }
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = new HashCode();
        hash.AddBytes(key);
        return hash.ToHashCode() & int.MaxValue;
    }
}
