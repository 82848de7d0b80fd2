using System.IO.Hashing;
using System.Text;

namespace Transmog.Data;

/// <summary>
/// A bounded cache, per column, of the strings <see cref="TransmogDataReader.GetString"/> recently decoded, keyed by
/// their UTF-8 bytes: a consumer that calls <c>GetString</c> for every text cell (SqlBulkCopy, Sylvan's
/// <c>CsvDataWriter</c>, Dapper) gets the same string instance back for a repeated short value (a status, a city, a
/// currency) instead of a new one per cell.
/// </summary>
/// <remarks>
/// Two-way set associative: <see cref="Slots"/> slots per column in pairs, the pair chosen by a hash of the bytes; a
/// miss fills the pair's empty slot or replaces the one used less recently (so the cache keeps recent values). Values longer than <see cref="MaxBytes"/> bytes are decoded and not
/// cached. A column whose first <see cref="Probe"/> lookups hit less than one time in eight stops using the cache for
/// the rest of the result set (unique values such as ids or notes cost one hash and one compare each, then nothing).
/// Memory: about 4 KB per text column read, allocated on its first lookup; nothing per cell but the strings of misses.
/// </remarks>
internal sealed class Utf8StringCache
{
    /// <summary>The longest value cached, in UTF-8 bytes.</summary>
    public const int MaxBytes = 48;

    /// <summary>Entries per column (a power of two).</summary>
    public const int Slots = 64;

    /// <summary>Lookups after which a column with too few hits stops using the cache.</summary>
    public const int Probe = 4096;

    private Column?[] _columns = [];

    /// <summary>Forgets every entry (a new result set: other columns).</summary>
    /// <param name="fieldCount">The columns of the new result set.</param>
    public void Reset(int fieldCount)
    {
        if (_columns.Length < fieldCount)
        {
            _columns = new Column?[fieldCount];
        }
        else
        {
            Array.Clear(_columns);
        }
    }

    /// <summary>The string of <paramref name="utf8"/>: a cached instance when this column decoded the same bytes
    /// recently, else a new one (then cached).</summary>
    /// <param name="ordinal">The column.</param>
    /// <param name="utf8">The value's UTF-8 bytes.</param>
    public string Get(int ordinal, ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxBytes || (uint)ordinal >= (uint)_columns.Length)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Column column = _columns[ordinal] ??= new Column();
        return column.Get(utf8);
    }

    /// <summary>Lookups and hits of a column so far (tests and measurements).</summary>
    internal (long Lookups, long Hits, bool Enabled) Statistics(int ordinal) =>
        (uint)ordinal < (uint)_columns.Length && _columns[ordinal] is { } c ? (c.TotalLookups, c.TotalHits, c.Enabled) : (0, 0, true);

    private sealed class Column
    {
        private readonly byte[] _bytes = new byte[Slots * MaxBytes];
        private readonly byte[] _lengths = new byte[Slots];
        private readonly string?[] _strings = new string?[Slots];
        private readonly byte[] _lastUsed = new byte[Slots / 2];

        public long TotalLookups { get; private set; }

        public long TotalHits { get; private set; }

        public bool Enabled { get; private set; } = true;

        public string Get(ReadOnlySpan<byte> utf8)
        {
            if (!Enabled)
            {
                return Encoding.UTF8.GetString(utf8);
            }

            TotalLookups++;

            // Two-way set associative: a value may sit in either slot of its set; a miss fills an empty slot or
            // replaces the one not used last.
            int set = ((int)XxHash3.HashToUInt64(utf8) & ((Slots / 2) - 1)) * 2;
            for (int slot = set; slot < set + 2; slot++)
            {
                string? cached = _strings[slot];
                if (cached is not null && _lengths[slot] == utf8.Length && utf8.SequenceEqual(_bytes.AsSpan(slot * MaxBytes, utf8.Length)))
                {
                    TotalHits++;
                    _lastUsed[set / 2] = (byte)(slot - set);
                    return cached;
                }
            }

            int victim = _strings[set] is null ? set : _strings[set + 1] is null ? set + 1 : set + 1 - _lastUsed[set / 2];
            string value = Encoding.UTF8.GetString(utf8);
            utf8.CopyTo(_bytes.AsSpan(victim * MaxBytes, MaxBytes));
            _lengths[victim] = (byte)utf8.Length;
            _strings[victim] = value;
            _lastUsed[set / 2] = (byte)(victim - set);
            if (TotalLookups == Probe && TotalHits * 8 < Probe)
            {
                Enabled = false;
            }

            return value;
        }
    }
}
