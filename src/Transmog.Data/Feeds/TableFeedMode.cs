namespace Transmog.Data.Feeds;

/// <summary>Where a table's rows go during the data pass.</summary>
internal enum TableFeedMode
{
    /// <summary>Not wanted: dropped at once.</summary>
    Discard = 0,

    /// <summary>Served to a reader while the pass runs.</summary>
    Live = 1,

    /// <summary>Kept in a temporary spill file for a reader that comes later.</summary>
    Spill = 2,

    /// <summary>Kept in memory (the in-memory result of small inputs).</summary>
    Memory = 3,
}
