namespace Transmog.Data.TestSupport;

/// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
