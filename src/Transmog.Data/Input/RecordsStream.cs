using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Transmog.Data.Input;

/// <summary>
/// Presents already-parsed records as JSON Lines bytes, one compact record per line, so that they take the same
/// path (positions, errors, rejects) as any other input.
/// </summary>
internal sealed class RecordsStream(IEnumerator<JsonElement> records) : ReadOnlyInputStream
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = false,
    };

    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private int _pendingPosition;
    private bool _done;

    public override int Read(Span<byte> buffer)
    {
        while (_pendingPosition == _pending.WrittenCount)
        {
            if (_done || !records.MoveNext())
            {
                _done = true;
                return 0;
            }

            _pending.ResetWrittenCount();
            _pendingPosition = 0;
            using (var writer = new Utf8JsonWriter(_pending, WriterOptions))
            {
                records.Current.WriteTo(writer);
            }

            _pending.Write("\n"u8);
        }

        int n = Math.Min(buffer.Length, _pending.WrittenCount - _pendingPosition);
        _pending.WrittenSpan.Slice(_pendingPosition, n).CopyTo(buffer);
        _pendingPosition += n;
        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            records.Dispose();
        }

        base.Dispose(disposing);
    }
}
