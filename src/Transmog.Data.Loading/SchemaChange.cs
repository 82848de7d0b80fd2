namespace Transmog.Data.Loading;

/// <summary>What a load changed in an existing database (<see cref="LoadResult.Changes"/>).</summary>
public enum SchemaChangeKind
{
    /// <summary>A table the database lacked was created (a new nested array, or a first load in append or merge mode).</summary>
    CreateTable = 0,

    /// <summary>A column was added to an existing table (nullable; the rows already there hold null).</summary>
    AddColumn = 1,

    /// <summary>A column's type was widened so that it holds the new values; the rows already there were converted without loss.</summary>
    WidenColumn = 2,
}

/// <summary>One change a load made to the database's tables.</summary>
/// <param name="Kind">What was changed.</param>
/// <param name="Table">The table's name in the database.</param>
/// <param name="Column">The column's name in the database; <c>null</c> for <see cref="SchemaChangeKind.CreateTable"/>.</param>
/// <param name="OldType">The column's database type before a widening; otherwise <c>null</c>.</param>
/// <param name="NewType">The database type of the added or widened column; <c>null</c> for <see cref="SchemaChangeKind.CreateTable"/>.</param>
public sealed record SchemaChange(SchemaChangeKind Kind, string Table, string? Column, string? OldType, string? NewType)
{
    /// <summary>One line for people: <c>created table t</c>, <c>added column t.c (type)</c>, <c>widened column t.c from a to b</c>.</summary>
    public override string ToString() => Kind switch
    {
        SchemaChangeKind.CreateTable => $"created table {Table}",
        SchemaChangeKind.AddColumn => $"added column {Table}.{Column} ({NewType})",
        _ => $"widened column {Table}.{Column} from {OldType} to {NewType}",
    };
}
