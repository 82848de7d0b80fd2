using System.Buffers;
using System.Runtime.CompilerServices;

namespace Transmog.Data.Input;

/// <summary>
/// A byte array rented from <see cref="ArrayPool{T}.Shared"/> that grows by doubling and goes back to the pool once:
/// the one rent/grow/return/dispose routine behind the library's growable byte buffers (the record reader's window,
/// row buffers, row batches, the parallel pass's chunks, Python-compatible id text). It lives in Input, the first
/// folder of the one-way flow, so that every later folder may use it.
/// </summary>
/// <remarks>
/// A mutable struct, so that reading <see cref="Bytes"/> from a buffer kept in a class's field costs exactly what a
/// <c>byte[]</c> field costs (one load, no object in between). Keep it in a non-readonly field or a local, pass it by
/// <c>ref</c>, never copy it: a copy would return the same array twice.
/// </remarks>
internal struct PooledBuffer
{
    private byte[] _bytes;

    /// <summary>Rents at least <paramref name="capacity"/> bytes.</summary>
    public PooledBuffer(int capacity)
    {
        _bytes = ArrayPool<byte>.Shared.Rent(capacity);
    }

    /// <summary>The rented array (replaced when the buffer grows; empty once returned).</summary>
    public readonly byte[] Bytes => _bytes;

    /// <summary>The bytes the buffer holds before it grows.</summary>
    public readonly int Capacity => _bytes.Length;

    /// <summary>Makes room for <paramref name="capacity"/> bytes, keeping the first <paramref name="keep"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureCapacity(int capacity, int keep)
    {
        if ((uint)capacity > (uint)_bytes.Length)
        {
            Grow(capacity, keep);
        }
    }

    /// <summary>Makes room for <paramref name="capacity"/> bytes; the contents are not kept.</summary>
    public void EnsureCapacityDiscarding(int capacity)
    {
        if (capacity > _bytes.Length)
        {
            Replace(ArrayPool<byte>.Shared.Rent(capacity));
        }
    }

    /// <summary>Gives a buffer grown beyond <paramref name="maxKept"/> back and rents <paramref name="capacity"/> bytes instead.</summary>
    public void Shrink(int maxKept, int capacity)
    {
        if (_bytes.Length > maxKept)
        {
            Replace(ArrayPool<byte>.Shared.Rent(capacity));
        }
    }

    /// <summary>Returns the array to the pool (once; later calls do nothing). The buffer is empty afterwards.</summary>
    public void Return() => Replace([]);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int capacity, int keep)
    {
        // Negative: an int overflowed on the way here.
        if ((uint)capacity > (uint)Array.MaxLength)
        {
            throw new OutOfMemoryException($"A buffer of {capacity} bytes is larger than an array can be.");
        }

        int size = (int)Math.Min(Array.MaxLength, Math.Max((long)_bytes.Length * 2, capacity));
        byte[] larger = ArrayPool<byte>.Shared.Rent(size);
        _bytes.AsSpan(0, keep).CopyTo(larger);
        Replace(larger);
    }

    private void Replace(byte[] bytes)
    {
        byte[] old = _bytes;
        _bytes = bytes;
        if (old is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(old);
        }
    }
}
