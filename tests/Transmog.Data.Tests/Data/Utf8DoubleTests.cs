using System.Globalization;
using System.Text;
using Transmog.Data.Rows;

namespace Transmog.Data.Tests.Data;

/// <summary>The reader's double parsing gives exactly what double.Parse gives, fast path or not.</summary>
public class Utf8DoubleTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("0.1")]
    [InlineData("0.3")]
    [InlineData("123.456")]
    [InlineData("-98765.4321")]
    [InlineData("999999999999999")]
    [InlineData("0.000000000000001")]
    [InlineData("9007199254740993")]
    [InlineData("0.12345678901234567")]
    [InlineData("1e300")]
    [InlineData("-2.5E-10")]
    [InlineData("1.7976931348623157e308")]
    [InlineData("4.9e-324")]
    public void Known_values_match_double_parse(string text) => AssertSame(text);

    [Fact]
    public void Random_decimals_match_double_parse_bit_for_bit()
    {
        var random = new Random(1234);
        int fast = 0;
        for (int n = 0; n < 200_000; n++)
        {
            int digits = random.Next(1, 18);
            var sb = new StringBuilder();
            if (random.Next(4) == 0)
            {
                sb.Append('-');
            }

            int point = random.Next(0, digits + 1);
            for (int i = 0; i < digits; i++)
            {
                if (i == point && i > 0)
                {
                    sb.Append('.');
                }

                sb.Append((char)('0' + (i == 0 && digits > 1 && point != 1 ? random.Next(1, 10) : random.Next(0, 10))));
            }

            string text = sb.ToString();
            AssertSame(text);
            if (Utf8Double.TryParseShort(Encoding.ASCII.GetBytes(text), out _))
            {
                fast++;
            }
        }

        Assert.True(fast > 50_000, $"the fast path took only {fast} values");
    }

    [Fact]
    public void Not_a_number_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => Utf8Double.Parse("12a"u8));
        Assert.Throws<FormatException>(() => Utf8Double.Parse(""u8));
        Assert.False(Utf8Double.TryParseShort("-"u8, out _));
        Assert.False(Utf8Double.TryParseShort("1.2.3"u8, out _));
    }

    private static void AssertSame(string text)
    {
        double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        double actual = Utf8Double.Parse(Encoding.ASCII.GetBytes(text));
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual), $"{text}: expected {expected:R}, got {actual:R}");
    }
}
