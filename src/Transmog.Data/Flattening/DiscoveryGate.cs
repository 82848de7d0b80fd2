namespace Transmog.Data.Flattening;

/// <summary>
/// Keeps the schema growing in input order while chunks of records are flattened in parallel: a flattener may add
/// a table or a column only once every earlier chunk is flattened, so tables and columns come out in the order
/// one flattener reading the input from the start would have found them.
/// </summary>
/// <remarks>
/// The oldest chunk in flight never waits, and chunks are taken in order, so some flattener can always go on: the
/// gate cannot deadlock. After the first records new columns are rare, and so are waits.
/// All members are called holding the registry's <see cref="TableRegistry.SyncRoot"/>, except <see cref="Done"/>
/// and <see cref="Stop"/>, which take it.
/// </remarks>
internal sealed class DiscoveryGate(object syncRoot)
{
    private readonly HashSet<long> _doneAhead = [];
    private long _doneThrough = -1;
    private bool _stopped;

    /// <summary>Waits (holding the lock, which the wait releases) until every chunk before <paramref name="chunk"/> is flattened.</summary>
    /// <exception cref="OperationCanceledException">The pass stopped while waiting.</exception>
    public void WaitForTurn(long chunk)
    {
        while (_doneThrough < chunk - 1)
        {
            if (_stopped)
            {
                throw new OperationCanceledException("The flatten pass stopped.");
            }

            Monitor.Wait(syncRoot);
        }
    }

    /// <summary>A chunk is flattened (successfully or not).</summary>
    public void Done(long chunk)
    {
        lock (syncRoot)
        {
            _doneAhead.Add(chunk);
            while (_doneAhead.Remove(_doneThrough + 1))
            {
                _doneThrough++;
            }

            Monitor.PulseAll(syncRoot);
        }
    }

    /// <summary>Wakes every waiter to give up (the pass is being disposed).</summary>
    public void Stop()
    {
        lock (syncRoot)
        {
            _stopped = true;
            Monitor.PulseAll(syncRoot);
        }
    }
}
