namespace Transmog.Data.Output;

/// <summary>
/// Output files written under temporary names and given their final names together only when every one is
/// complete; on failure they are deleted, so no half-written output ever looks complete. Files may be added and
/// dropped from several threads.
/// </summary>
internal sealed class PendingFiles : IDisposable
{
    private readonly List<(string Temporary, string Final)> _files = [];
    private bool _committed;

    /// <summary>A temporary path beside <paramref name="finalPath"/>, registered for commit.</summary>
    public string Add(string finalPath)
    {
        string directory = Path.GetDirectoryName(finalPath)!;
        string temporary = Path.Combine(directory, "." + Path.GetFileName(finalPath) + "." + Guid.NewGuid().ToString("N")[..8] + ".partial");
        lock (_files)
        {
            _files.Add((temporary, finalPath));
        }

        Rows.TemporaryFiles.Add(temporary);
        return temporary;
    }

    /// <summary>
    /// Deletes the temporary files that earlier attempts at <paramref name="finalPath"/> left when they were killed
    /// (a shard's task rerun after <c>kill -9</c>): they are hidden and never look complete, but they take space.
    /// </summary>
    public static void DeleteAbandoned(string finalPath)
    {
        string directory = Path.GetDirectoryName(finalPath)!;
        foreach (string abandoned in Directory.EnumerateFiles(directory, "." + Path.GetFileName(finalPath) + ".*.partial"))
        {
            TryDelete(abandoned);
        }
    }

    /// <summary>Forgets and deletes one pending file (an empty table).</summary>
    public void Drop(string temporary)
    {
        lock (_files)
        {
            _files.RemoveAll(f => f.Temporary == temporary);
        }

        TryDelete(temporary);
    }

    /// <summary>Gives every file its final name; returns the final paths.</summary>
    public IReadOnlyList<string> Commit()
    {
        var paths = new List<string>(_files.Count);
        foreach ((string temporary, string final) in _files)
        {
            File.Move(temporary, final, overwrite: true);
            Rows.TemporaryFiles.Remove(temporary);
            paths.Add(final);
        }

        _committed = true;
        return paths;
    }

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        foreach ((string temporary, string _) in _files)
        {
            TryDelete(temporary);
        }
    }

    private static void TryDelete(string path)
    {
        Rows.TemporaryFiles.Remove(path);
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the file is named .partial and hidden, so it never looks complete.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
