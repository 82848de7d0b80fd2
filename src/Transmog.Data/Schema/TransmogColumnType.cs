namespace Transmog.Data;

/// <summary>The type of a column, as inferred from the data or given in an explicit schema.</summary>
public enum TransmogColumnType
{
    /// <summary>Text (<see cref="string"/>); also where mixed types widen to, and numbers too large for any numeric type (their exact text).</summary>
    String = 0,

    /// <summary>Integers that fit <see cref="long"/>.</summary>
    Int64 = 1,

    /// <summary>Integers beyond <see cref="long"/>, or real numbers under <see cref="TransmogColumnType.Decimal"/>.</summary>
    Decimal = 2,

    /// <summary>Numbers with a fraction or exponent.</summary>
    Double = 3,

    /// <summary><c>true</c>/<c>false</c>.</summary>
    Boolean = 4,

    /// <summary>
    /// A date-time without offset (CLR type <see cref="System.DateTime"/>, data type name <c>timestamp</c>): strings
    /// such as <c>2024-03-01T10:20:30.123456</c> (<see cref="System.DateTimeKind.Unspecified"/>), and the run's UTC timestamp.
    /// </summary>
    DateTime = 5,

    /// <summary>Generated ids.</summary>
    Guid = 6,

    /// <summary>Compact JSON text of kept arrays and subtrees (CLR type <see cref="string"/>, data type name <c>json</c>).</summary>
    Json = 7,

    /// <summary>
    /// A calendar date such as <c>2024-03-01</c> (CLR type <see cref="System.DateTime"/> at midnight,
    /// <see cref="System.DateTimeKind.Unspecified"/>, as SqlBulkCopy and most consumers take it; also served as
    /// <see cref="System.DateOnly"/> by <c>GetFieldValue</c>; data type name <c>date</c>).
    /// </summary>
    Date = 8,

    /// <summary>
    /// A date-time with a UTC offset such as <c>2024-03-01T10:20:30Z</c> or <c>...+01:00</c> (CLR type
    /// <see cref="System.DateTimeOffset"/>, data type name <c>timestamptz</c>).
    /// </summary>
    DateTimeOffset = 9,
}

/// <summary>What a column holds.</summary>
public enum TransmogColumnRole
{
    /// <summary>A value from the input.</summary>
    Data = 0,

    /// <summary>The row's id (<see cref="TransmogOptions.IdField"/>).</summary>
    Id = 1,

    /// <summary>The id of the row that holds the array (<see cref="TransmogOptions.ParentField"/>).</summary>
    ParentId = 2,

    /// <summary>The item's position in its array (<c>_array_index</c>).</summary>
    ArrayIndex = 3,

    /// <summary>The root record's id (<c>_root_id</c>).</summary>
    RootId = 4,

    /// <summary>The run's timestamp (<see cref="TransmogOptions.TimeField"/>).</summary>
    Timestamp = 5,

    /// <summary>The file a main-table row came from (<see cref="TransmogOptions.SourceFileField"/>).</summary>
    SourceFile = 6,

    /// <summary>The member name of a record taken from an object map (<see cref="TransmogOptions.KeyField"/>).</summary>
    Key = 7,
}
