using System.Globalization;
using System.Text;

namespace Transmog.Data.Flattening;

/// <summary>Sanitizes keys into table-name parts exactly as Python transmog sanitizes array keys.</summary>
internal static class NameSanitizer
{
    /// <summary>
    /// Spaces and <c>-</c> become <c>_</c>; any other character that is not a Unicode letter, digit or <c>_</c>
    /// becomes <c>_</c> without doubling an <c>_</c> already there; leading and trailing <c>_</c> are stripped; a
    /// leading digit gets <c>col_</c>; an empty result is <c>unnamed_field</c>.
    /// </summary>
    public static string Sanitize(string name)
    {
        var result = new StringBuilder(name.Length);
        bool lastUnderscore = false;
        foreach (Rune rune in name.Replace(' ', '_').Replace('-', '_').EnumerateRunes())
        {
            if (IsAlphaNumeric(rune) || rune.Value == '_')
            {
                result.Append(rune.ToString());
                lastUnderscore = rune.Value == '_';
            }
            else if (!lastUnderscore)
            {
                result.Append('_');
                lastUnderscore = true;
            }
        }

        string sanitized = result.ToString().Trim('_');
        if (sanitized.Length > 0 && IsDigit(Rune.GetRuneAt(sanitized, 0)))
        {
            sanitized = "col_" + sanitized;
        }

        return sanitized.Length == 0 ? "unnamed_field" : sanitized;
    }

    /// <summary>Python's <c>str.isalnum()</c> for one character: letters (L*) and the numeric categories.</summary>
    private static bool IsAlphaNumeric(Rune rune)
    {
        UnicodeCategory category = Rune.GetUnicodeCategory(rune);
        return category is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
            or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;
    }

    /// <summary>Python's <c>str.isdigit()</c> for one character (approximated by the decimal-digit and other-number categories).</summary>
    private static bool IsDigit(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.OtherNumber;
}
