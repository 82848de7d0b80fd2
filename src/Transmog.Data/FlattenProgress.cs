namespace Transmog.Data;

/// <summary>What a run is doing when it reports <see cref="FlattenProgress"/>.</summary>
public enum FlattenPhase
{
    /// <summary>An exact schema scan that keeps no rows (the data follow in another pass).</summary>
    Scan = 0,

    /// <summary>Flattening records into rows.</summary>
    Flatten = 1,

    /// <summary>Writing a table's file (reported as each file is finished).</summary>
    Write = 2,

    /// <summary>The run is complete.</summary>
    Done = 3,
}

/// <summary>How far a run has come; reported through <see cref="IProgress{T}"/> every few thousand records.</summary>
/// <param name="Phase">What is being done.</param>
/// <param name="Records">Records read in this phase.</param>
/// <param name="BytesRead">Decompressed input bytes read in this phase.</param>
/// <param name="TotalBytes">The input's stored size, when known (compressed size for gzip).</param>
/// <param name="Rejected">Records rejected so far.</param>
public readonly record struct FlattenProgress(FlattenPhase Phase, long Records, long BytesRead, long? TotalBytes, long Rejected);
