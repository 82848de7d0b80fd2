using Transmog.Data.Rows;

namespace Transmog.Data.Flattening;

/// <summary>A row's id as it is written into cells: a generated UUID, or a natural value's kind and bytes.</summary>
internal readonly struct RowId
{
    private readonly byte[]? _natural;

    public RowId(Guid guid)
    {
        Guid = guid;
        Kind = CellKind.Guid;
    }

    public RowId(CellKind kind, byte[] natural)
    {
        Kind = kind;
        _natural = natural;
    }

    public CellKind Kind { get; }

    public Guid Guid { get; }

    /// <summary>The bytes that identify the id (the UUID's RFC 4122 bytes, or the natural value's text).</summary>
    public void CopyTo(Span<byte> destination, out int written)
    {
        if (_natural is null)
        {
            Guid.TryWriteBytes(destination, bigEndian: true, out written);
            return;
        }

        _natural.CopyTo(destination);
        written = _natural.Length;
    }

    public int Length => _natural?.Length ?? 16;
}
