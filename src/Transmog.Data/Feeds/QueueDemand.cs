namespace Transmog.Data.Feeds;

/// <summary>
/// What the bounded queues of one pass share: how many of their readers are waiting for rows right now. The pass
/// may wait on a full queue only while no reader waits; a reader that starts to wait wakes it, and the full queue
/// overflows to its spill file instead (see <see cref="QueueFeed"/>). No timing is involved.
/// </summary>
internal sealed class QueueDemand
{
    private readonly object _lock = new();
    private int _waiting;
    private TaskCompletionSource? _signal;

    /// <summary>
    /// For the pass before it waits on a full queue: <c>null</c> when a reader is waiting for rows (the pass must not
    /// wait), else a task that completes as soon as one starts to.
    /// </summary>
    public Task? UnlessWaiting()
    {
        lock (_lock)
        {
            if (_waiting > 0)
            {
                return null;
            }

            // Continuations run on the thread that signals: a blocked pass wakes even when the pool is busy.
            _signal ??= new TaskCompletionSource();
            return _signal.Task;
        }
    }

    /// <summary>A reader found its queue empty and waits for the pass (called under that queue's lock).</summary>
    public void BeginWait()
    {
        lock (_lock)
        {
            _waiting++;
            _signal?.TrySetResult();
            _signal = null;
        }
    }

    /// <summary>The reader has rows again, or stopped waiting (called under that queue's lock).</summary>
    public void EndWait()
    {
        lock (_lock)
        {
            _waiting--;
        }
    }
}
