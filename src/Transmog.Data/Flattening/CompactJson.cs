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
}
