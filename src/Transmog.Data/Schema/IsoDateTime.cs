namespace Transmog.Data.Schema;

/// <summary>
/// The ISO 8601 / RFC 3339 forms that string values are typed by, read straight from UTF-8 (no allocation):
/// <list type="bullet">
/// <item><c>YYYY-MM-DD</c>: a date (<see cref="ValueKinds.Date"/>).</item>
/// <item><c>YYYY-MM-DDTHH:MM:SS[.f]</c>: a date-time without offset (<see cref="ValueKinds.DateTime"/>); <c>T</c> or one
/// space between date and time (RFC 3339 allows the space, PostgreSQL and DuckDB print it); seconds required; 1 to 6
/// fractional digits (what PostgreSQL, MySQL and Parquet microseconds hold: more digits would be lost, so such a value
/// stays text).</item>
/// <item>The same with <c>Z</c> or <c>+HH:MM</c> / <c>-HH:MM</c> (up to ±14:00): a date-time with offset
/// (<see cref="ValueKinds.DateTimeOffset"/>).</item>
/// </list>
/// Upper case <c>T</c> and <c>Z</c> only; years 0001-9999; the date must exist (no 2023-02-30), hours 00-23 (no 24:00),
/// seconds 00-59 (no leap second); an offset date-time must be an instant <see cref="System.DateTimeOffset"/> holds.
/// Anything else is a plain string.
/// </summary>
internal static class IsoDateTime
{
    /// <summary>The shortest form, <c>YYYY-MM-DD</c>.</summary>
    public const int MinLength = 10;

    /// <summary>The longest form, <c>YYYY-MM-DDTHH:MM:SS.ffffff+HH:MM</c>.</summary>
    public const int MaxLength = 32;

    /// <summary>The kind of a string value: <see cref="ValueKinds.Date"/>, <see cref="ValueKinds.DateTime"/>,
    /// <see cref="ValueKinds.DateTimeOffset"/>, or <see cref="ValueKinds.String"/> for anything else.</summary>
    /// <param name="text">The string's UTF-8 text (unescaped).</param>
    public static ValueKinds Classify(ReadOnlySpan<byte> text)
    {
        // The cheap rejection first: almost every string fails the length or the two dashes.
        if (text.Length is < MinLength or > MaxLength || text[4] != (byte)'-' || text[7] != (byte)'-')
        {
            return ValueKinds.String;
        }

        return TryParse(text, out _, out _);
    }

    /// <summary>Reads a date, date-time or offset date-time; returns its kind, or <see cref="ValueKinds.String"/> when it is none.</summary>
    /// <param name="text">The UTF-8 text.</param>
    /// <param name="value">The date (midnight) or the date-time as written (local to its offset), <see cref="DateTimeKind.Unspecified"/>.</param>
    /// <param name="offsetMinutes">The offset in minutes (0 without one).</param>
    public static ValueKinds TryParse(ReadOnlySpan<byte> text, out DateTime value, out int offsetMinutes)
    {
        value = default;
        offsetMinutes = 0;
        int n = text.Length;
        if (n is < MinLength or > MaxLength || text[4] != (byte)'-' || text[7] != (byte)'-')
        {
            return ValueKinds.String;
        }

        int year = Digits4(text);
        int month = Digits2(text, 5);
        int day = Digits2(text, 8);
        if (year <= 0 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return ValueKinds.String;
        }

        if (n == MinLength)
        {
            value = new DateTime(year, month, day);
            return ValueKinds.Date;
        }

        if (n < 19 || text[10] is not ((byte)'T' or (byte)' ') || text[13] != (byte)':' || text[16] != (byte)':')
        {
            return ValueKinds.String;
        }

        int hour = Digits2(text, 11);
        int minute = Digits2(text, 14);
        int second = Digits2(text, 17);
        if (hour is < 0 or > 23 || minute is < 0 or > 59 || second is < 0 or > 59)
        {
            return ValueKinds.String;
        }

        int i = 19;
        long fractionTicks = 0;
        if (i < n && text[i] == (byte)'.')
        {
            i++;
            int start = i;
            long fraction = 0;
            while (i < n && (uint)(text[i] - '0') <= 9)
            {
                if (i - start == 6)
                {
                    return ValueKinds.String; // a seventh digit: more than microseconds hold
                }

                fraction = (fraction * 10) + (text[i] - '0');
                i++;
            }

            int digits = i - start;
            if (digits == 0)
            {
                return ValueKinds.String;
            }

            for (int d = digits; d < 7; d++)
            {
                fraction *= 10;
            }

            fractionTicks = fraction;
        }

        DateTime local = new DateTime(year, month, day, hour, minute, second).AddTicks(fractionTicks);
        if (i == n)
        {
            value = local;
            return ValueKinds.DateTime;
        }

        int offset;
        if (text[i] == (byte)'Z' && i + 1 == n)
        {
            offset = 0;
        }
        else if (text[i] is (byte)'+' or (byte)'-' && i + 6 == n && text[i + 3] == (byte)':')
        {
            int oh = Digits2(text, i + 1);
            int om = Digits2(text, i + 4);
            if (oh is < 0 or > 14 || om is < 0 or > 59 || (oh == 14 && om > 0))
            {
                return ValueKinds.String;
            }

            offset = ((oh * 60) + om) * (text[i] == (byte)'-' ? -1 : 1);
        }
        else
        {
            return ValueKinds.String;
        }

        // The instant must be one DateTimeOffset holds (0001-01-01T00:00+01:00 is before year 1 in UTC).
        long utcTicks = local.Ticks - (offset * TimeSpan.TicksPerMinute);
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return ValueKinds.String;
        }

        value = local;
        offsetMinutes = offset;
        return ValueKinds.DateTimeOffset;
    }

    /// <summary>Two ASCII digits at <paramref name="at"/> as a number, or -1.</summary>
    private static int Digits2(ReadOnlySpan<byte> text, int at)
    {
        uint a = (uint)(text[at] - '0'), b = (uint)(text[at + 1] - '0');
        return a <= 9 && b <= 9 ? (int)((a * 10) + b) : -1;
    }

    /// <summary>The four ASCII digits of the year, or -1.</summary>
    private static int Digits4(ReadOnlySpan<byte> text)
    {
        int high = Digits2(text, 0), low = Digits2(text, 2);
        return high < 0 || low < 0 ? -1 : (high * 100) + low;
    }
}
