namespace Transmog.Data;

/// <summary>How far a run has come; reported through <see cref="IProgress{T}"/> every few thousand records.</summary>
/// <param name="Phase">What is being done: <c>scan</c> (schema scan), <c>flatten</c>, <c>write</c>, <c>done</c>.</param>
/// <param name="Records">Records read in this phase.</param>
/// <param name="BytesRead">Decompressed input bytes read in this phase.</param>
/// <param name="TotalBytes">The input's stored size, when known (compressed size for gzip).</param>
/// <param name="Rejected">Records rejected so far.</param>
public readonly record struct FlattenProgress(string Phase, long Records, long BytesRead, long? TotalBytes, long Rejected);
