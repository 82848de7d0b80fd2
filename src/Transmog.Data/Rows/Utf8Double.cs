using System.Globalization;

namespace Transmog.Data.Rows;

/// <summary>
/// Parses the exact number text a cell holds as a <see cref="double"/>, the same value <see cref="double.Parse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?)"/>
/// gives, faster for the common short decimals.
/// </summary>
/// <remarks>
/// The fast path is Clinger's: with at most 15 digits and no exponent, the digits are an integer below 2^53 and the
/// power of ten at most 10^15, both exact doubles, so one IEEE division rounds the quotient correctly. Anything else
/// (more digits, an exponent) goes to <see cref="double.Parse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?)"/>.
/// </remarks>
internal static class Utf8Double
{
    private const int MaxFastDigits = 15;

    private static ReadOnlySpan<double> PowersOf10 =>
        [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    /// <summary>The value of JSON number text.</summary>
    /// <exception cref="FormatException">The text is not a number.</exception>
    public static double Parse(ReadOnlySpan<byte> text) =>
        TryParseShort(text, out double value) ? value : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The fast path: <c>-?digits(.digits)?</c> with at most 15 digits.</summary>
    internal static bool TryParseShort(ReadOnlySpan<byte> text, out double value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (text.Length > MaxFastDigits + 2)
        {
            return false;
        }

        if (i < text.Length && text[i] == (byte)'-')
        {
            negative = true;
            i++;
        }

        ulong digits = 0;
        int count = 0;
        int fraction = -1;
        for (; i < text.Length; i++)
        {
            uint d = (uint)(text[i] - '0');
            if (d <= 9)
            {
                digits = (digits * 10) + d;
                count++;
                if (fraction >= 0)
                {
                    fraction++;
                }
            }
            else if (text[i] == (byte)'.' && fraction < 0)
            {
                fraction = 0;
            }
            else
            {
                return false;
            }
        }

        if (count == 0 || count > MaxFastDigits)
        {
            return false;
        }

        double result = digits;
        if (fraction > 0)
        {
            result /= PowersOf10[fraction];
        }

        value = negative ? -result : result;
        return true;
    }
}
