using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Transmog.Data.Input;

/// <summary>
/// Presents records that are not bytes yet (parsed <see cref="JsonElement"/>s, .NET objects) as JSON Lines bytes, one
/// compact record per line, written on demand, so that they take the same path (positions, errors, rejects) as any
/// other input. Nothing is held but the record at hand.
/// </summary>
/// <typeparam name="T">The records' type.</typeparam>
/// <param name="records">The records, read once.</param>
/// <param name="write">Writes one record as JSON.</param>
internal sealed class RecordsStream<T>(IEnumerator<T> records, Action<Utf8JsonWriter, T> write) : ReadOnlyInputStream
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    private readonly ArrayBufferWriter<byte> _pending = new(4096);
    private Utf8JsonWriter? _writer;
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
            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(_pending, WriterOptions);
            }
            else
            {
                _writer.Reset(_pending);
            }

            write(_writer, records.Current);
            _writer.Flush();
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
            _writer?.Dispose();
            records.Dispose();
        }

        base.Dispose(disposing);
    }
}
