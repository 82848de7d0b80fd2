namespace Transmog.Data.Rows;

/// <summary>
/// The temporary files of this process that are alive (spill files, files written under a temporary name): what an
/// interrupted command line deletes when its run cannot stop in time by itself (a read blocked on a pipe that sends
/// nothing does not see cancellation, and the process then exits without running any <c>finally</c>).
/// </summary>
internal static class TemporaryFiles
{
    private static readonly HashSet<string> Paths = new(StringComparer.Ordinal);

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
