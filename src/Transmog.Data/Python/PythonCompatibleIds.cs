using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Transmog.Data.Python;

/// <summary>
/// Deterministic record ids identical to Python transmog's (2.x, <c>core/flattener.py</c>): for
/// <c>id_generation="hash"</c> Python computes
/// <c>uuid5(TRANSMOG_NAMESPACE, json.dumps(record, sort_keys=True, ensure_ascii=False).strip().lower())</c> over the
/// record exactly as parsed (before flattening, without any metadata field); for a field list it hashes the dict
/// <c>{f: record.get(f)}</c> in the same way (see <see cref="PythonJsonText"/>).
/// </summary>
/// <remarks>
/// <c>str.lower()</c> is Python's full Unicode lower-casing: the simple mapping for every code point except
/// U+0130 (İ → <c>i</c> + U+0307) and the Greek capital sigma, which becomes final ς when it ends a word (the Unicode
/// Final_Sigma context, which CPython implements) and σ otherwise. Case data comes from the .NET runtime's Unicode
/// tables, so characters assigned in Unicode versions newer than the Python that produced an id may differ.
/// </remarks>
internal static class PythonCompatibleIds
{
    /// <summary>Returns Python transmog's <c>"hash"</c> id of a root record.</summary>
    /// <param name="record">The record as parsed (normally a JSON object; a scalar is hashed as Python's <c>str()</c> of it).</param>
    /// <returns>The UUIDv5.</returns>
    /// <exception cref="FormatException">The record holds an escaped lone surrogate or invalid UTF-8.</exception>
    public static Guid ForRecord(JsonElement record)
    {
        var text = new PooledByteBuffer(512);
        try
        {
            if (record.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                PythonJsonText.WriteUtf8(record, ref text);
            }
            else
            {
                PythonJsonText.WritePythonStrUtf8(record, ref text);
            }

            return HashNormalized(text.WrittenSpan);
        }
        finally
        {
            text.Dispose();
        }
    }

    /// <summary>Returns Python transmog's composite id (<c>id_generation=[fields...]</c>) of a root record.</summary>
    /// <param name="record">The record; must be a JSON object.</param>
    /// <param name="fields">The id fields; order does not matter, a missing field counts as <c>null</c>.</param>
    /// <returns>The UUIDv5.</returns>
    /// <exception cref="FormatException">A chosen value holds an escaped lone surrogate or invalid UTF-8.</exception>
    public static Guid ForFields(JsonElement record, IReadOnlyList<string> fields)
    {
        var text = new PooledByteBuffer(256);
        try
        {
            PythonJsonText.WriteCompositeUtf8(record, fields, ref text);
            return HashNormalized(text.WrittenSpan);
        }
        finally
        {
            text.Dispose();
        }
    }

    /// <summary>Returns Python's <c>text.lower()</c>.</summary>
    /// <param name="text">The text; it must be well-formed UTF-16.</param>
    /// <returns>The lower-cased text.</returns>
    public static string PythonLower(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        var lowered = new PooledByteBuffer(utf8.Length + 8);
        try
        {
            PythonLowerUtf8(utf8, ref lowered);
            return Encoding.UTF8.GetString(lowered.WrittenSpan);
        }
        finally
        {
            lowered.Dispose();
        }
    }

    /// <summary>Whether Python's <c>str.isspace()</c> (hence <c>str.strip()</c>) treats the code point as whitespace.</summary>
    /// <param name="codePoint">The code point.</param>
    /// <returns><see langword="true"/> for whitespace, including U+001C..U+001F, which .NET does not count.</returns>
    public static bool IsPythonWhitespace(int codePoint) => codePoint switch
    {
        >= 0x09 and <= 0x0D => true,
        >= 0x1C and <= 0x20 => true,
        0x85 or 0xA0 or 0x1680 => true,
        >= 0x2000 and <= 0x200A => true,
        0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>Strips, lower-cases and hashes the UTF-8 text as <c>uuid5(NS, text.strip().lower())</c>.</summary>
    private static Guid HashNormalized(ReadOnlySpan<byte> text)
    {
        text = PythonStripUtf8(text);
        var name = new PooledByteBuffer(UuidV5.NamespaceLength + text.Length + 16);
        try
        {
            UuidV5.WriteNamespace(UuidV5.TransmogNamespace, name.GetSpan(UuidV5.NamespaceLength));
            name.Advance(UuidV5.NamespaceLength);
            PythonLowerUtf8(text, ref name);
            return UuidV5.CreateFromNamespacedName(name.WrittenSpan);
        }
        finally
        {
            name.Dispose();
        }
    }

    private static ReadOnlySpan<byte> PythonStripUtf8(ReadOnlySpan<byte> text)
    {
        while (!text.IsEmpty)
        {
            Rune.DecodeFromUtf8(text, out Rune rune, out int consumed);
            if (!IsPythonWhitespace(rune.Value))
            {
                break;
            }

            text = text[consumed..];
        }

        while (!text.IsEmpty)
        {
            Rune.DecodeLastFromUtf8(text, out Rune rune, out int consumed);
            if (!IsPythonWhitespace(rune.Value))
            {
                break;
            }

            text = text[..^consumed];
        }

        return text;
    }

    /// <summary>Appends Python's <c>lower()</c> of UTF-8 <paramref name="text"/> to <paramref name="output"/>.</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not valid UTF-8.</exception>
    private static void PythonLowerUtf8(ReadOnlySpan<byte> text, ref PooledByteBuffer output)
    {
        int i = 0;
        while (i < text.Length)
        {
            int asciiRun = text[i..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (asciiRun < 0)
            {
                asciiRun = text.Length - i;
            }

            if (asciiRun > 0)
            {
                Span<byte> destination = output.GetSpan(asciiRun);
                Ascii.ToLower(text.Slice(i, asciiRun), destination, out int written);
                output.Advance(written);
                i += asciiRun;
                continue;
            }

            if (Rune.DecodeFromUtf8(text[i..], out Rune rune, out int consumed) != System.Buffers.OperationStatus.Done)
            {
                throw new FormatException($"Invalid UTF-8 at byte {i} of the text to hash.");
            }

            switch (rune.Value)
            {
                case 0x0130:
                    // LATIN CAPITAL LETTER I WITH DOT ABOVE has a two-character full lower-case mapping.
                    output.Append("i\u0307"u8);
                    break;
                case 0x03A3:
                    output.Append(IsFinalSigma(text, i, i + consumed) ? "\u03C2"u8 : "\u03C3"u8);
                    break;
                default:
                    Span<byte> destination = output.GetSpan(4);
                    output.Advance(Rune.ToLowerInvariant(rune).EncodeToUtf8(destination));
                    break;
            }

            i += consumed;
        }
    }

    /// <summary>
    /// CPython's <c>handle_capital_sigma</c>: Σ is final when preceded by a cased letter (skipping case-ignorable
    /// characters) and not followed by one (likewise).
    /// </summary>
    private static bool IsFinalSigma(ReadOnlySpan<byte> text, int start, int end)
    {
        ReadOnlySpan<byte> before = text[..start];
        bool casedBefore = false;
        while (!before.IsEmpty)
        {
            Rune.DecodeLastFromUtf8(before, out Rune rune, out int consumed);
            before = before[..^consumed];
            if (!IsCaseIgnorable(rune.Value))
            {
                casedBefore = IsCased(rune.Value);
                break;
            }
        }

        if (!casedBefore)
        {
            return false;
        }

        ReadOnlySpan<byte> after = text[end..];
        while (!after.IsEmpty)
        {
            Rune.DecodeFromUtf8(after, out Rune rune, out int consumed);
            after = after[consumed..];
            if (!IsCaseIgnorable(rune.Value))
            {
                return !IsCased(rune.Value);
            }
        }

        return true;
    }

    /// <summary>Unicode <c>Cased</c>: Lu, Ll, Lt, plus Other_Lowercase/Other_Uppercase outside those categories.</summary>
    private static bool IsCased(int codePoint)
    {
        switch (CharUnicodeInfo.GetUnicodeCategory(codePoint))
        {
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
                return true;
        }

        // Other_Lowercase / Other_Uppercase code points that are not Lm or Mn (those are case-ignorable, which wins).
        return codePoint is 0x00AA or 0x00BA
            or (>= 0x2160 and <= 0x217F)
            or (>= 0x24B6 and <= 0x24E9)
            or (>= 0x1F130 and <= 0x1F149)
            or (>= 0x1F150 and <= 0x1F169)
            or (>= 0x1F170 and <= 0x1F189);
    }

    /// <summary>Unicode <c>Case_Ignorable</c>: Mn, Me, Cf, Lm, Sk, plus Word_Break MidLetter, MidNumLet and Single_Quote.</summary>
    private static bool IsCaseIgnorable(int codePoint)
    {
        switch (CharUnicodeInfo.GetUnicodeCategory(codePoint))
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.Format:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.ModifierSymbol:
                return true;
        }

        return codePoint is 0x0027 or 0x002E or 0x003A or 0x00B7 or 0x0387 or 0x055F or 0x05F4
            or 0x2018 or 0x2019 or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
    }
}
