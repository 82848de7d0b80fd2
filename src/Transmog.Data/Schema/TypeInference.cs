using System.Buffers.Text;
using System.Globalization;

namespace Transmog.Data.Schema;

/// <summary>
/// Classifies JSON numbers from their text and widens a column's seen kinds into one type that loses and changes no
/// value: integer and real give real (unless an integer is too large for a double), anything and string give
/// string, numbers and booleans give string. Strings in ISO 8601 form (<see cref="IsoDateTime"/>) give a date, a
/// date-time or an offset date-time when every value of the column is one; a date and a date-time together give a
/// date-time (the date's midnight: DuckDB and pandas widen so too); an offset date-time with either, or with anything
/// else, gives string (a local time and an instant do not share a type without a guess).
/// </summary>
internal static class TypeInference
{
    private const long DoubleExactLimit = 1L << 53;

    /// <summary>Classifies a JSON number token's text.</summary>
    /// <param name="text">The number's text.</param>
    /// <param name="checkDecimal">Also flag reals that a decimal cannot hold (needed only where reals may become decimals).</param>
    public static ValueKinds ClassifyNumber(ReadOnlySpan<byte> text, bool checkDecimal = true)
    {
        bool isInteger = text.IndexOfAny((byte)'.', (byte)'e', (byte)'E') < 0;
        if (isInteger)
        {
            if (Utf8Parser.TryParse(text, out long value, out int consumed) && consumed == text.Length)
            {
                return value > DoubleExactLimit || value < -DoubleExactLimit
                    ? ValueKinds.Int64 | ValueKinds.IntegerBeyondDouble
                    : ValueKinds.Int64;
            }

            return decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? ValueKinds.BigInteger
                : ValueKinds.HugeInteger;
        }

        // Without an exponent, fewer than 300 characters are always a finite, non-underflowing double: no need to parse.
        bool surelyFinite = text.Length < 300 && text.IndexOfAny((byte)'e', (byte)'E') < 0;
        if (!surelyFinite && (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d)
            || (d == 0 && HasNonZeroDigit(text))))
        {
            // Beyond a double (1e400) or below its smallest value (1e-400 would read as 0): kept as exact text.
            return ValueKinds.HugeReal;
        }

        return !checkDecimal || FitsDecimal(text) ? ValueKinds.Real : ValueKinds.Real | ValueKinds.RealBeyondDecimal;
    }

    /// <summary>Whether the mantissa of a number's text has a digit other than 0.</summary>
    private static bool HasNonZeroDigit(ReadOnlySpan<byte> text)
    {
        int exponentAt = text.IndexOfAny((byte)'e', (byte)'E');
        ReadOnlySpan<byte> mantissa = exponentAt < 0 ? text : text[..exponentAt];
        return mantissa.IndexOfAnyInRange((byte)'1', (byte)'9') >= 0;
    }

    /// <summary>Whether a decimal holds the number exactly: in range, at most 28 significant digits and 28 decimals.</summary>
    private static bool FitsDecimal(ReadOnlySpan<byte> text)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value))
        {
            return false;
        }

        int significant = 0;
        bool leading = true;
        int trailingZeros = 0;
        int exponentAt = text.IndexOfAny((byte)'e', (byte)'E');
        ReadOnlySpan<byte> mantissa = exponentAt < 0 ? text : text[..exponentAt];
        foreach (byte b in mantissa)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                continue;
            }

            if (leading && b == (byte)'0')
            {
                continue;
            }

            leading = false;
            significant++;
            trailingZeros = b == (byte)'0' ? trailingZeros + 1 : 0;
        }

        if (significant - trailingZeros > 28)
        {
            return false;
        }

        // A non-zero mantissa that parsed as zero underflowed the 28 decimals.
        return value != 0m || significant == 0;
    }

    /// <summary>The column type for the kinds a column has seen.</summary>
    public static TransmogColumnType Resolve(ValueKinds seen, TransmogColumnType reals)
    {
        ValueKinds kinds = seen & ~(ValueKinds.IntegerBeyondDouble | ValueKinds.RealBeyondDecimal);
        switch (kinds)
        {
            case ValueKinds.None:
            case ValueKinds.String:
                return TransmogColumnType.String;
            case ValueKinds.Boolean:
                return TransmogColumnType.Boolean;
            case ValueKinds.Json:
                return TransmogColumnType.Json;
            case ValueKinds.Guid:
                return TransmogColumnType.Guid;
            case ValueKinds.Timestamp:
            case ValueKinds.DateTime:
            case ValueKinds.Date | ValueKinds.DateTime:
                return TransmogColumnType.DateTime;
            case ValueKinds.Date:
                return TransmogColumnType.Date;
            case ValueKinds.DateTimeOffset:
                return TransmogColumnType.DateTimeOffset;
        }

        if ((kinds & ~ValueKinds.Numbers) != 0 || (kinds & (ValueKinds.HugeInteger | ValueKinds.HugeReal)) != 0)
        {
            return TransmogColumnType.String;
        }

        if ((kinds & ValueKinds.Real) == 0)
        {
            return (kinds & ValueKinds.BigInteger) != 0 ? TransmogColumnType.Decimal : TransmogColumnType.Int64;
        }

        if (reals == TransmogColumnType.Decimal)
        {
            return (seen & ValueKinds.RealBeyondDecimal) != 0 ? TransmogColumnType.String : TransmogColumnType.Decimal;
        }

        return (kinds & ValueKinds.BigInteger) != 0 || (seen & ValueKinds.IntegerBeyondDouble) != 0
            ? TransmogColumnType.String
            : TransmogColumnType.Double;
    }

    /// <summary>Whether a value of these kinds can be served by a column of this (fixed) type without loss.</summary>
    public static bool Fits(TransmogColumnType type, ValueKinds value)
    {
        ValueKinds kind = value & ~(ValueKinds.IntegerBeyondDouble | ValueKinds.RealBeyondDecimal);
        return type switch
        {
            TransmogColumnType.String => true,
            TransmogColumnType.Json => kind == ValueKinds.Json,
            TransmogColumnType.Int64 => kind == ValueKinds.Int64,
            TransmogColumnType.Decimal => kind is ValueKinds.Int64 or ValueKinds.BigInteger
                || (kind == ValueKinds.Real && (value & ValueKinds.RealBeyondDecimal) == 0),
            TransmogColumnType.Double => kind == ValueKinds.Real
                || (kind == ValueKinds.Int64 && (value & ValueKinds.IntegerBeyondDouble) == 0),
            TransmogColumnType.Boolean => kind == ValueKinds.Boolean,
            TransmogColumnType.Guid => kind == ValueKinds.Guid,
            TransmogColumnType.DateTime => kind is ValueKinds.Timestamp or ValueKinds.DateTime or ValueKinds.Date,
            TransmogColumnType.Date => kind == ValueKinds.Date,
            TransmogColumnType.DateTimeOffset => kind == ValueKinds.DateTimeOffset,
            _ => false,
        };
    }

    /// <summary>Whether values of the type are read from ISO 8601 strings (date, date-time, offset date-time).</summary>
    public static bool IsTemporal(TransmogColumnType type) =>
        type is TransmogColumnType.Date or TransmogColumnType.DateTime or TransmogColumnType.DateTimeOffset;

    /// <summary>The kinds that a column of a fixed type stands for (used to seed an explicit schema's columns).</summary>
    public static ValueKinds KindsOf(TransmogColumnType type) => type switch
    {
        TransmogColumnType.Int64 => ValueKinds.Int64,
        TransmogColumnType.Decimal => ValueKinds.BigInteger,
        TransmogColumnType.Double => ValueKinds.Real,
        TransmogColumnType.Boolean => ValueKinds.Boolean,
        TransmogColumnType.DateTime => ValueKinds.Timestamp,
        TransmogColumnType.Date => ValueKinds.Date,
        TransmogColumnType.DateTimeOffset => ValueKinds.DateTimeOffset,
        TransmogColumnType.Guid => ValueKinds.Guid,
        TransmogColumnType.Json => ValueKinds.Json,
        _ => ValueKinds.String,
    };
}
