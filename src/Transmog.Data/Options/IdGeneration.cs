namespace Transmog.Data;

/// <summary>The kinds of <see cref="IdGeneration"/>.</summary>
internal enum IdGenerationKind
{
    /// <summary>A new UUID per row (stable across the passes of one run).</summary>
    Random = 0,

    /// <summary>The record's own <see cref="TransmogOptions.IdField"/> value.</summary>
    Natural = 1,

    /// <summary>A deterministic UUID of the record's content.</summary>
    Hash = 2,

    /// <summary>A deterministic UUID of the record's file name and byte offset.</summary>
    Position = 4,

    /// <summary>A deterministic UUID of the named fields only (a composite key).</summary>
    Fields = 3,
}

/// <summary>
/// How the <c>_id</c> of every row is produced. Root <see cref="Hash"/> and <see cref="Fields"/> ids equal Python
/// transmog's byte for byte; child ids under them derive from the parent's id, the array path and the item's
/// position, so they are unique and deterministic.
/// </summary>
public sealed class IdGeneration : IEquatable<IdGeneration>
{
    private IdGeneration(IdGenerationKind kind, IReadOnlyList<string> fields)
    {
        Kind = kind;
        FieldNames = fields;
    }

    /// <summary>A new UUID per row (the default).</summary>
    public static IdGeneration Random { get; } = new(IdGenerationKind.Random, []);

    /// <summary>
    /// The record's own <see cref="TransmogOptions.IdField"/> value is its id; a record without it is an error.
    /// Child items use their own field of that name when they have one, else a generated id.
    /// </summary>
    public static IdGeneration Natural { get; } = new(IdGenerationKind.Natural, []);

    /// <summary>A deterministic UUID of the whole record's content: re-running the same input gives the same ids.</summary>
    public static IdGeneration Hash { get; } = new(IdGenerationKind.Hash, []);

    /// <summary>
    /// A deterministic UUID of where the record is: its file's name (as given, or relative to its directory or pattern)
    /// and the byte offset of its first byte in the decompressed file. Unique even for duplicate records, and the same on
    /// every rerun and for every split into shards (<see cref="JsonInput.Shard"/>); it changes when the file is renamed
    /// or edited before the record. A stream or text input has no name (the empty name).
    /// </summary>
    public static IdGeneration Position { get; } = new(IdGenerationKind.Position, []);

    /// <summary>A deterministic UUID of the named top-level fields only; a missing field counts as <c>null</c>.</summary>
    /// <param name="fields">One or more field names of the record.</param>
    public static IdGeneration Fields(params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Length == 0)
        {
            throw new ArgumentException("IdGeneration.Fields needs at least one field name.");
        }

        foreach (string field in fields)
        {
            if (string.IsNullOrEmpty(field))
            {
                throw new ArgumentException("IdGeneration.Fields: a field name is null or empty.");
            }
        }

        return new IdGeneration(IdGenerationKind.Fields, (string[])fields.Clone());
    }

    /// <summary>
    /// Parses the CLI and connection-string spelling: <c>random</c>, <c>natural</c>, <c>hash</c>, <c>position</c>, or a comma-separated
    /// list of field names.
    /// </summary>
    /// <param name="text">The text to parse.</param>
    public static IdGeneration Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToLowerInvariant() switch
        {
            "random" or "uuid" => Random,
            "natural" => Natural,
            "hash" => Hash,
            "position" => Position,
            _ => Fields(text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)),
        };
    }

    /// <summary>Which strategy this is.</summary>
    internal IdGenerationKind Kind { get; }

    /// <summary>The fields of a <see cref="IdGenerationKind.Fields"/> strategy; empty otherwise.</summary>
    public IReadOnlyList<string> FieldNames { get; }

    /// <summary>Whether re-running the same input gives the same ids.</summary>
    /// <remarks>
    /// <see cref="Random"/> is not: every run draws new ids (the passes of one run agree), so a rerun of a shard or a
    /// re-load gives other ids, and an append of the same records adds them again.
    /// </remarks>
    public bool IsDeterministic => Kind is IdGenerationKind.Hash or IdGenerationKind.Fields or IdGenerationKind.Natural or IdGenerationKind.Position;

    /// <inheritdoc />
    public bool Equals(IdGeneration? other) =>
        other is not null && other.Kind == Kind && other.FieldNames.SequenceEqual(FieldNames, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as IdGeneration);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, FieldNames.Count);

    /// <inheritdoc />
    public override string ToString() => Kind == IdGenerationKind.Fields
        ? string.Join(",", FieldNames)
        : Kind.ToString().ToLowerInvariant();
}
