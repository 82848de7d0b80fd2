namespace Transmog.Data.Pipeline;

/// <summary>
/// Where a run's rejected records go: kept in a list (for readers and results), handed on (a rejects file), or both.
/// A pass that re-reads the input for the first data pass starts the list afresh, since it reports every reject again.
/// </summary>
internal sealed class RejectSink
{
    private readonly List<RejectedRecord>? _kept;
    private readonly Action<RejectedRecord>? _forward;

    /// <param name="keep">Keep the records in <see cref="Kept"/> (memory grows with the rejects).</param>
    /// <param name="forward">Also hand each record on, in input order.</param>
    public RejectSink(bool keep, Action<RejectedRecord>? forward = null)
    {
        _kept = keep ? [] : null;
        _forward = forward;
    }

    /// <summary>The records rejected so far (empty when they are not kept). Read it on the pass's thread, or take <see cref="Snapshot"/>.</summary>
    public IReadOnlyList<RejectedRecord> Kept => _kept ?? (IReadOnlyList<RejectedRecord>)[];

    /// <summary>Records rejected so far.</summary>
    public long Count { get; private set; }

    /// <summary>A copy of <see cref="Kept"/>, safe while another thread adds.</summary>
    public IReadOnlyList<RejectedRecord> Snapshot()
    {
        if (_kept is null)
        {
            return [];
        }

        lock (_kept)
        {
            return [.. _kept];
        }
    }

    public void Add(RejectedRecord reject)
    {
        if (_kept is not null)
        {
            lock (_kept)
            {
                _kept.Add(reject);
            }
        }

        Count++;
        _forward?.Invoke(reject);
    }

    /// <summary>Forgets what an earlier pass reported (the next pass reports every reject again).</summary>
    public void Reset()
    {
        if (_kept is not null)
        {
            lock (_kept)
            {
                _kept.Clear();
            }
        }

        Count = 0;
    }
}
