namespace Transmog.Data;

/// <summary>How nested arrays are turned into tables and columns.</summary>
public enum ArrayMode
{
    /// <summary>
    /// An array holding at least one object becomes a child table (primitive items of such an array become rows
    /// with a single <c>value</c> column); an array of primitives only stays in the parent row as JSON text.
    /// </summary>
    Smart = 0,

    /// <summary>Every array becomes a child table; primitive items become rows with a <c>value</c> column.</summary>
    Separate = 1,

    /// <summary>Every array stays in the parent row as its compact JSON text.</summary>
    Inline = 2,

    /// <summary>Arrays are left out of the output.</summary>
    Skip = 3,
}
