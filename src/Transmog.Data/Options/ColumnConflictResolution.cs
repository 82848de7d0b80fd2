namespace Transmog.Data;

/// <summary>
/// What happens when two different paths of one record produce the same column name,
/// as <c>{"a_b":1,"a":{"b":2}}</c> does with the default separator.
/// </summary>
public enum ColumnConflictResolution
{
    /// <summary>Stop with an error that names both paths (the default: no value is ever lost silently).</summary>
    Error = 0,

    /// <summary>
    /// The value met last in document order wins and the earlier one is dropped, as Python transmog does.
    /// Opt-in only, since it loses data.
    /// </summary>
    LastWins = 1,
}
