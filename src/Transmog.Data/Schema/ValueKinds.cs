namespace Transmog.Data.Schema;

/// <summary>The kinds of values a column has seen; the column type is derived from their union.</summary>
[Flags]
internal enum ValueKinds : ushort
{
    None = 0,
    Boolean = 1 << 0,

    /// <summary>An integer that fits <see cref="long"/>.</summary>
    Int64 = 1 << 1,

    /// <summary>An integer beyond <see cref="long"/> that fits <see cref="decimal"/>.</summary>
    BigInteger = 1 << 2,

    /// <summary>An integer beyond <see cref="decimal"/>: only its text is exact.</summary>
    HugeInteger = 1 << 3,

    /// <summary>A number with a fraction or exponent that is a finite <see cref="double"/>.</summary>
    Real = 1 << 4,

    /// <summary>A number with a fraction or exponent beyond <see cref="double"/>: only its text is exact.</summary>
    HugeReal = 1 << 5,
    String = 1 << 6,
    Json = 1 << 7,
    Guid = 1 << 8,

    /// <summary>The run's timestamp (a metadata column's value, never a source value).</summary>
    Timestamp = 1 << 9,

    /// <summary>Flag: an <see cref="Int64"/> whose magnitude is beyond 2^53, so a double cannot hold it exactly.</summary>
    IntegerBeyondDouble = 1 << 10,

    /// <summary>Flag: a <see cref="Real"/> that a decimal cannot hold exactly.</summary>
    RealBeyondDecimal = 1 << 11,

    /// <summary>A string that is an ISO 8601 date, <c>2024-03-01</c> (<see cref="IsoDateTime"/>).</summary>
    Date = 1 << 12,

    /// <summary>A string that is an ISO 8601 date-time without offset, <c>2024-03-01T10:20:30.5</c>.</summary>
    DateTime = 1 << 13,

    /// <summary>A string that is an ISO 8601 date-time with an offset, <c>2024-03-01T10:20:30Z</c>, <c>...+01:00</c>.</summary>
    DateTimeOffset = 1 << 14,

    Temporal = Date | DateTime | DateTimeOffset,

    Numbers = Int64 | BigInteger | HugeInteger | Real | HugeReal,
}
