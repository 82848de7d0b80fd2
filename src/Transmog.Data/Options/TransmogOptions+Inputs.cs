namespace Transmog.Data;

public sealed partial record TransmogOptions
{
    private readonly string? _sourceFileField;

    /// <summary>
    /// The main-table column that holds the file each record came from: for several files
    /// (<see cref="JsonInput.FromFiles"/>) the path relative to the directory or pattern it was found by, <c>/</c>
    /// separated, or as named for a file named explicitly; for a single file (<see cref="JsonInput.FromFile"/>, a
    /// shard of it) its path as given. For streams, text, bytes and records the cell is null. <c>null</c> (the
    /// default) leaves the column out.
    /// </summary>
    public string? SourceFileField
    {
        get => _sourceFileField;
        init => _sourceFileField = value is null ? null : RequireName(nameof(SourceFileField), value);
    }

    private readonly string _keyField = "_key";
    private readonly string? _recordsPath;

    /// <summary>
    /// Where the records are inside an envelope: dot-separated keys to the array of records (<c>statuses</c>,
    /// <c>data.items</c>); a <c>*</c> segment takes every member of an object map (<c>plugins.*</c>, or <c>*</c> for
    /// a root object map) and keeps the member's name in <see cref="KeyField"/>. The rest of the document is skipped
    /// token by token and never held. <c>null</c> (the default): the records are the input's top-level values.
    /// </summary>
    /// <remarks>
    /// An option rather than a property of the input: it says what a record is, as the other options do, so it travels
    /// with them to every entry point (readers, the ADO.NET connection string, the loaders, the CLI) and applies to
    /// each file of a several-file input alike. A path that matches nothing is an input error naming the path.
    /// </remarks>
    public string? RecordsPath
    {
        get => _recordsPath;
        init => _recordsPath = value is null ? null : Input.RecordsPath.Parse(value).Text;
    }

    /// <summary>The main-table column holding the member name of a record taken from an object map by a <c>*</c> in <see cref="RecordsPath"/>. Default <c>_key</c>.</summary>
    public string KeyField { get => _keyField; init => _keyField = RequireName(nameof(KeyField), value); }

    private void AddInputMetadataNames(List<(string Option, string Name)> names)
    {
        if (SourceFileField is not null)
        {
            names.Add((nameof(SourceFileField), SourceFileField));
        }

        if (RecordsPath is not null && RecordsPath.Contains('*', StringComparison.Ordinal))
        {
            names.Add((nameof(KeyField), KeyField));
        }
    }
}
