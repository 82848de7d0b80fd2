namespace Transmog.Data.Flattening;

/// <summary>
/// Writes a JSON value's compact text by dropping the whitespace between tokens of its raw source text: string
/// escapes and number spellings stay exactly as in the input.
/// </summary>
internal static class CompactJson
{
    /// <summary>Copies <paramref name="raw"/> without insignificant whitespace; returns the bytes written (at most raw's length).</summary>
    public static int Write(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int written = 0;
        bool inString = false;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (inString)
            {
                destination[written++] = b;
                if (b == (byte)'\\')
                {
                    destination[written++] = raw[++i];
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }
            else
            {
                if (b == (byte)'"')
                {
                    inString = true;
                }

                destination[written++] = b;
            }
        }

        return written;
    }

    /// <summary>
    /// Like <see cref="Write"/>, and drops comments and trailing commas too (text a reader has accepted with
    /// <c>AllowComments</c> / <c>AllowTrailingCommas</c>), so that the result is plain JSON; returns the bytes written
    /// (at most raw's length). A loop of its own: the copy of plain JSON, on the hot path, stays as lean as it was.
    /// </summary>
    public static int WriteLenient(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int written = 0;
        bool inString = false;
        for (int i = 0; i < raw.Length; i++)
        {
            byte b = raw[i];
            if (inString)
            {
                destination[written++] = b;
                if (b == (byte)'\\')
                {
                    destination[written++] = raw[++i];
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                continue;
            }
            else if (b == (byte)'/')
            {
                // Outside strings a slash only starts a comment (the reader let it through): "//" to the end of
                // the line, "/*" to "*/".
                i = raw[i + 1] == (byte)'/' ? EndOfLineComment(raw, i + 2) : EndOfBlockComment(raw, i + 2);
            }
            else
            {
                if (b is (byte)']' or (byte)'}' && written > 0 && destination[written - 1] == (byte)',')
                {
                    // A trailing comma: the value before it was the last one.
                    written--;
                }
                else if (b == (byte)'"')
                {
                    inString = true;
                }

                destination[written++] = b;
            }
        }

        return written;
    }

    /// <summary>The index of the last byte of a "//" comment whose text starts at <paramref name="start"/>.</summary>
    private static int EndOfLineComment(ReadOnlySpan<byte> raw, int start)
    {
        int end = raw[start..].IndexOfAny((byte)'\n', (byte)'\r');
        return end < 0 ? raw.Length - 1 : start + end;
    }

    /// <summary>The index of the closing '/' of a "/*" comment whose text starts at <paramref name="start"/>.</summary>
    private static int EndOfBlockComment(ReadOnlySpan<byte> raw, int start) => start + raw[start..].IndexOf("*/"u8) + 1;
}
