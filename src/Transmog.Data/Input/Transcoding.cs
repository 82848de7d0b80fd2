using System.IO.Compression;
using System.Text;

namespace Transmog.Data.Input;

/// <summary>
/// UTF-16 (LE, BE) and UTF-32 (LE, BE) inputs that start with a byte order mark are transcoded to UTF-8 on the fly,
/// in bounded buffers; a UTF-8 input (with or without its BOM) passes through untouched. Invalid sequences (a lone
/// surrogate, an odd trailing byte) are an input error, not replacement characters.
/// </summary>
/// <remarks>
/// The reader sees the UTF-8 text: line numbers are those of the file (a line is a line in any encoding), while
/// columns and byte offsets count the bytes of the UTF-8 text the input was transcoded to (for ASCII text: half the
/// UTF-16 offset after its 2-byte BOM, a quarter of the UTF-32 one after its 4-byte BOM).
/// </remarks>
internal static class Transcoding
{
    /// <summary>The input as UTF-8; the encoding is recognised at the first read (so that a failure there is an input error).</summary>
    public static Stream Wrap(Stream decompressed) => new SniffingStream(decompressed);

    private static Stream Open(Stream decompressed)
    {
        byte[] head = Decompression.Peek(decompressed, 4);
        (Encoding? encoding, int bom, string kind) = head switch
        {
            [0xFF, 0xFE, 0x00, 0x00, ..] => (new UTF32Encoding(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true), 4, "UTF-32 LE"),
            [0x00, 0x00, 0xFE, 0xFF, ..] => (new UTF32Encoding(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true), 4, "UTF-32 BE"),
            [0xFF, 0xFE, ..] => (new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), 2, "UTF-16 LE"),
            [0xFE, 0xFF, ..] => ((Encoding?)new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), 2, "UTF-16 BE"),
            _ => (null, 0, "UTF-8"),
        };

        if (encoding is null)
        {
            return new PrefixedStream(head, decompressed);
        }

        Stream text = new PrefixedStream(head[bom..], decompressed);
        Stream utf8 = Encoding.CreateTranscodingStream(text, encoding, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true), leaveOpen: false);
        return new DecodingGuardStream(utf8, kind);
    }

    /// <summary>Peeks at the first bytes on the first read and reads on through UTF-8 or a transcoding.</summary>
    private sealed class SniffingStream(Stream decompressed) : ReadOnlyInputStream
    {
        private Stream? _text;

        public override int Read(Span<byte> buffer) => (_text ??= Open(decompressed)).Read(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                (_text ?? decompressed).Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>
/// A failure of a decoding layer (zstd, Brotli, a transcoding) surfaced as <see cref="InputDecodingException"/>, so
/// that the reader reports it as an input error naming the layer and the position reached.
/// </summary>
internal sealed class DecodingGuardStream(Stream inner, string kind) : ReadOnlyInputStream
{
    public override int Read(Span<byte> buffer)
    {
        try
        {
            return inner.Read(buffer);
        }
        catch (InputDecodingException)
        {
            throw;
        }
        catch (Exception ex) when (ex is InvalidDataException or DecoderFallbackException or EndOfStreamException or ZstdSharp.ZstdException or ArgumentException)
        {
            string message = ex switch
            {
                EndOfStreamException => "truncated: the input ends inside a frame",
                DecoderFallbackException => "invalid " + kind + " text (an unpaired surrogate or an incomplete last character)",
                _ => ex.Message,
            };
            throw new InputDecodingException(kind, message, ex);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>An input's compression or encoding layer found the data invalid.</summary>
internal sealed class InputDecodingException(string kind, string message, Exception? inner) : IOException(message, inner)
{
    /// <summary>The layer: zstd, Brotli, UTF-16 LE...</summary>
    public string Kind { get; } = kind;
}

/// <summary>
/// A Brotli stream whose end is checked: <see cref="BrotliDecoder"/> must report the end of the compressed data
/// before its source ends, so a truncated file is an error rather than silently shorter data.
/// </summary>
internal sealed class VerifiedBrotliStream(Stream raw) : ReadOnlyInputStream
{
    private readonly byte[] _input = new byte[64 * 1024];
    private BrotliDecoder _decoder;
    private int _start;
    private int _end;
    private bool _rawEnded;
    private bool _done;

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (!_done)
        {
            if (_start == _end && !_rawEnded)
            {
                _start = 0;
                _end = raw.Read(_input);
                _rawEnded = _end == 0;
            }

            System.Buffers.OperationStatus status = _decoder.Decompress(_input.AsSpan(_start, _end - _start), buffer, out int consumed, out int written);
            _start += consumed;
            switch (status)
            {
                case System.Buffers.OperationStatus.Done:
                    _done = true;
                    if (_start < _end || raw.Read(_input) > 0)
                    {
                        throw new InvalidDataException("unexpected data after the end of the compressed stream.");
                    }

                    return written;
                case System.Buffers.OperationStatus.InvalidData:
                    throw new InvalidDataException("corrupt compressed data.");
                case System.Buffers.OperationStatus.NeedMoreData when _rawEnded && _start == _end:
                    throw new InvalidDataException("truncated: the input ends before the compressed stream does.");
            }

            if (written > 0)
            {
                return written;
            }
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder.Dispose();
            raw.Dispose();
        }

        base.Dispose(disposing);
    }
}
