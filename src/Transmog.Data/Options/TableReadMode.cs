namespace Transmog.Data;

/// <summary>How the tables of one input are read by <see cref="TransmogTableSet"/>; every mode keeps memory bounded.</summary>
public enum TableReadMode
{
    /// <summary>
    /// One table after another (parent first suits foreign keys and one transaction): the table read first is
    /// served while the input is parsed, the others' rows wait in compact temporary spill files (deleted on
    /// dispose). Works for every input. The default.
    /// </summary>
    Sequential = 0,

    /// <summary>
    /// One table after another, each re-reading the input (no spill files): for inputs that can be reopened.
    /// Ids are the same on every pass.
    /// </summary>
    Rescan = 1,

    /// <summary>
    /// All tables at once, each read on its own thread (one bulk copy per table): rows cross threads in bounded
    /// queues of <see cref="TransmogOptions.BatchSize"/>-row batches; a full queue whose reader has not started (or
    /// has stalled) spills to a temporary file instead of blocking, so it never deadlocks.
    /// </summary>
    Concurrent = 2,
}
