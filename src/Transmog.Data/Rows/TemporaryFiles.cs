namespace Transmog.Data.Rows;

/// <summary>
/// The temporary files of this process that are alive (spill files, files written under a temporary name): what an
/// interrupted command line deletes when its run cannot stop in time by itself (a read blocked on a pipe that sends
/// nothing does not see cancellation, and the process then exits without running any <c>finally</c>).
/// </summary>
internal static class TemporaryFiles
{
    private static readonly HashSet<string> Paths = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates a new temporary file <c>transmog-{kind}-{guid}{extension}</c> in <paramref name="directory"/> (the
    /// system temp directory when <c>null</c>), deleted when its stream closes, and registers it; the caller
    /// <see cref="Remove"/>s it when done.
    /// </summary>
    /// <exception cref="TransmogException">The file cannot be created; the message says it is for <paramref name="purpose"/>.</exception>
    public static (string Path, FileStream Stream) Create(string? directory, string kind, string extension, FileShare share, string purpose)
    {
        string dir = directory ?? System.IO.Path.GetTempPath();
        string path = System.IO.Path.Combine(dir, "transmog-" + kind + "-" + Guid.NewGuid().ToString("N") + extension);
        try
        {
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, share, 1 << 16, FileOptions.DeleteOnClose);
            Add(path);
            return (path, stream);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TransmogException($"Cannot create {purpose} in '{dir}': {ex.Message}", ex);
        }
    }

    public static void Add(string path)
    {
        lock (Paths)
        {
            Paths.Add(path);
        }
    }

    public static void Remove(string path)
    {
        lock (Paths)
        {
            Paths.Remove(path);
        }
    }

    /// <summary>Deletes every registered file that still exists (best effort: an open file on Windows stays).</summary>
    public static void DeleteAll()
    {
        string[] paths;
        lock (Paths)
        {
            paths = [.. Paths];
            Paths.Clear();
        }

        foreach (string path in paths)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done on the way out.
            }
        }
    }
}
