using Transmog.Data.Input;

namespace Transmog.Data.Tests.Input;

public class PooledBufferTests
{
    [Fact]
    public void Growing_keeps_the_bytes_asked_for_and_at_least_doubles()
    {
        var buffer = new PooledBuffer(100);
        int first = buffer.Capacity;
        Assert.InRange(first, 100, int.MaxValue);
        for (int i = 0; i < first; i++)
        {
            buffer.Bytes[i] = (byte)(i % 253);
        }

        buffer.EnsureCapacity(first, first);
        Assert.Equal(first, buffer.Capacity);

        buffer.EnsureCapacity(first + 1, first);
        Assert.InRange(buffer.Capacity, 2 * first, int.MaxValue);
        for (int i = 0; i < first; i++)
        {
            Assert.Equal((byte)(i % 253), buffer.Bytes[i]);
        }

        buffer.EnsureCapacity(10 * buffer.Capacity, 0);
        Assert.InRange(buffer.Capacity, 10 * 2 * first, int.MaxValue);
        buffer.Return();
    }

    [Fact]
    public void Discarding_growth_shrinking_and_return()
    {
        var buffer = new PooledBuffer(16);
        buffer.EnsureCapacityDiscarding(8);
        Assert.InRange(buffer.Capacity, 16, 1024);
        buffer.EnsureCapacityDiscarding(5000);
        Assert.InRange(buffer.Capacity, 5000, int.MaxValue);

        buffer.Shrink(maxKept: 1 << 20, capacity: 16);
        Assert.InRange(buffer.Capacity, 5000, int.MaxValue);
        buffer.Shrink(maxKept: 1024, capacity: 16);
        Assert.InRange(buffer.Capacity, 16, 1024);

        buffer.Return();
        Assert.Equal(0, buffer.Capacity);
        Assert.Empty(buffer.Bytes);

        // Returning twice gives nothing back twice.
        buffer.Return();
        Assert.Equal(0, buffer.Capacity);
    }

    [Fact]
    public void A_size_beyond_an_array_is_refused()
    {
        var buffer = new PooledBuffer(16);
        try
        {
            Assert.Throws<OutOfMemoryException>(() => buffer.EnsureCapacity(-5, 0));
        }
        finally
        {
            buffer.Return();
        }
    }
}
