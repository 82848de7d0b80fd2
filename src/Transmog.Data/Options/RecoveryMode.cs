namespace Transmog.Data;

/// <summary>What happens when a record cannot be read or flattened.</summary>
public enum RecoveryMode
{
    /// <summary>The first bad record stops the run with a <see cref="TransmogException"/>.</summary>
    Strict = 0,

    /// <summary>
    /// Each bad record, with its position, error and raw text, goes to the rejects sink
    /// (<see cref="FlattenResult.Rejects"/> in memory, a <c>_rejects.jsonl</c> file for file output); the run goes on.
    /// </summary>
    Skip = 1,
}
