using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Transmog.Data.Rows;

namespace Transmog.Data;

public sealed partial class TransmogDataReader
{
    /// <summary>Recently decoded strings per column (<see cref="GetString"/>); reset for every result set.</summary>
    private readonly Utf8StringCache _strings = new();

    /// <inheritdoc />
    public override string GetName(int ordinal) => Column(ordinal).Name;

    /// <inheritdoc />
    public override int GetOrdinal(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int exact = _table.Table.IndexOf(name);
        if (exact >= 0)
        {
            return exact;
        }

        IReadOnlyList<TransmogColumn> columns = _table.Table.Columns;
        for (int i = 0; i < columns.Count; i++)
        {
            if (string.Equals(columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new IndexOutOfRangeException(
            $"Table '{_table.Table.Name}' has no column '{name}'. Its columns: {string.Join(", ", columns.Select(c => c.Name))}.");
    }

    /// <inheritdoc />
    public override Type GetFieldType(int ordinal) => Column(ordinal).ClrType;

    /// <inheritdoc />
    public override string GetDataTypeName(int ordinal) => Column(ordinal).DataTypeName;

    /// <inheritdoc />
    public override bool IsDBNull(int ordinal)
    {
        int index = CellIndex(ordinal);
        ref readonly CellSlot cell = ref _cells[index];
        return cell.Stamp != _rowStamp || cell.Kind == CellKind.Null;
    }

    /// <inheritdoc />
    public override object GetValue(int ordinal)
    {
        if (IsDBNull(ordinal))
        {
            return DBNull.Value;
        }

        return Column(ordinal).Type switch
        {
            TransmogColumnType.Int64 => GetInt64(ordinal),
            TransmogColumnType.Decimal => GetDecimal(ordinal),
            TransmogColumnType.Double => GetDouble(ordinal),
            TransmogColumnType.Boolean => GetBoolean(ordinal),
            TransmogColumnType.DateTime or TransmogColumnType.Date => GetDateTime(ordinal),
            TransmogColumnType.DateTimeOffset => GetDateTimeOffset(ordinal),
            TransmogColumnType.Guid => GetGuid(ordinal),
            _ => GetString(ordinal),
        };
    }

    /// <inheritdoc />
    public override int GetValues(object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int count = Math.Min(values.Length, FieldCount);
        for (int i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    /// <inheritdoc />
    public override long GetInt64(int ordinal)
    {
        ReadOnlySpan<byte> cell = Cell(ordinal, TransmogColumnType.Int64, out _);
        if (Utf8Parser.TryParse(cell, out long value, out int consumed) && consumed == cell.Length)
        {
            return value;
        }

        throw new InvalidCastException($"Column '{Column(ordinal).Name}' holds '{Encoding.UTF8.GetString(cell)}', which is not an Int64.");
    }

    /// <inheritdoc />
    public override int GetInt32(int ordinal) => checked((int)GetInt64(ordinal));

    /// <inheritdoc />
    public override short GetInt16(int ordinal) => checked((short)GetInt64(ordinal));

    /// <inheritdoc />
    public override byte GetByte(int ordinal) => checked((byte)GetInt64(ordinal));

    /// <inheritdoc />
    public override double GetDouble(int ordinal)
    {
        TransmogColumnType type = Column(ordinal).Type;
        if (type == TransmogColumnType.Int64)
        {
            return GetInt64(ordinal);
        }

        ReadOnlySpan<byte> cell = Cell(ordinal, TransmogColumnType.Double, out _);
        return Utf8Double.Parse(cell);
    }

    /// <inheritdoc />
    public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);

    /// <inheritdoc />
    public override decimal GetDecimal(int ordinal)
    {
        TransmogColumnType type = Column(ordinal).Type;
        ReadOnlySpan<byte> cell = type is TransmogColumnType.Int64 or TransmogColumnType.Double
            ? Cell(ordinal, type, out _)
            : Cell(ordinal, TransmogColumnType.Decimal, out _);
        return decimal.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public override bool GetBoolean(int ordinal)
    {
        Cell(ordinal, TransmogColumnType.Boolean, out CellKind kind);
        return kind == CellKind.True;
    }

    /// <summary>
    /// The value of a <c>timestamp</c> column (<see cref="DateTimeKind.Unspecified"/>; the run's timestamp
    /// <see cref="DateTimeKind.Utc"/>), of a <c>date</c> column (its midnight, <see cref="DateTimeKind.Unspecified"/>), or
    /// of a <c>timestamptz</c> column (its instant in UTC, <see cref="DateTimeKind.Utc"/>; the offset is in
    /// <c>GetFieldValue&lt;DateTimeOffset&gt;</c>). Read from the cell's ISO 8601 text on each call.
    /// </summary>
    /// <param name="ordinal">The column ordinal.</param>
    public override DateTime GetDateTime(int ordinal)
    {
        ReadOnlySpan<byte> cell = Cell(ordinal, TransmogColumnType.DateTime, out CellKind kind);
        if (kind == CellKind.Timestamp)
        {
            return _timestamp;
        }

        return Schema.IsoDateTime.TryParse(cell, out DateTime value, out int offsetMinutes) switch
        {
            Schema.ValueKinds.Date or Schema.ValueKinds.DateTime => value,
            Schema.ValueKinds.DateTimeOffset => DateTime.SpecifyKind(value.AddMinutes(-offsetMinutes), DateTimeKind.Utc),
            _ => throw NotTemporal(ordinal, cell),
        };
    }

    /// <summary>The value of a <c>timestamptz</c> column: the date-time as written with its offset.</summary>
    private DateTimeOffset GetDateTimeOffset(int ordinal)
    {
        ReadOnlySpan<byte> cell = Cell(ordinal, TransmogColumnType.DateTimeOffset, out _);
        return Schema.IsoDateTime.TryParse(cell, out DateTime value, out int offsetMinutes) == Schema.ValueKinds.DateTimeOffset
            ? new DateTimeOffset(value, TimeSpan.FromMinutes(offsetMinutes))
            : throw NotTemporal(ordinal, cell);
    }

    /// <summary>The value of a <c>date</c> column as a <see cref="DateOnly"/>.</summary>
    private DateOnly GetDateOnly(int ordinal)
    {
        ReadOnlySpan<byte> cell = Cell(ordinal, TransmogColumnType.Date, out _);
        return Schema.IsoDateTime.TryParse(cell, out DateTime value, out _) == Schema.ValueKinds.Date
            ? DateOnly.FromDateTime(value)
            : throw NotTemporal(ordinal, cell);
    }

    private InvalidCastException NotTemporal(int ordinal, ReadOnlySpan<byte> cell) =>
        new($"Column '{Column(ordinal).Name}' of table '{_table.Table.Name}' holds '{Encoding.UTF8.GetString(cell)}', which is not a {Column(ordinal).DataTypeName}.");

    /// <inheritdoc />
    public override Guid GetGuid(int ordinal)
    {
        ReadOnlySpan<byte> cell = Cell(ordinal, TransmogColumnType.Guid, out _);
        return new Guid(cell, bigEndian: true);
    }

    /// <inheritdoc />
    public override char GetChar(int ordinal)
    {
        string s = GetString(ordinal);
        return s.Length == 1 ? s[0] : throw new InvalidCastException($"Column '{Column(ordinal).Name}' holds '{s}', which is not one character.");
    }

    /// <summary>
    /// The value as text. Valid for <c>string</c> and <c>json</c> columns, and for <c>date</c>, <c>timestamp</c> and
    /// <c>timestamptz</c> columns (the original ISO 8601 text); for other types use the typed getter
    /// (or <see cref="GetValue"/>), since a silent conversion would hide a schema mistake.
    /// </summary>
    /// <param name="ordinal">The column ordinal.</param>
    /// <remarks>A repeated short value (up to 48 UTF-8 bytes) comes back as the same string instance from a small
    /// per-column cache of recently decoded values, instead of a new string per cell.</remarks>
    public override string GetString(int ordinal)
    {
        ReadOnlySpan<byte> cell = Cell(ordinal, TransmogColumnType.String, out CellKind kind);
        return kind is CellKind.True or CellKind.False or CellKind.Guid or CellKind.Timestamp ? TextOf(cell, kind) : _strings.Get(ordinal, cell);
    }

    /// <summary>Copies the value's UTF-8 text (string and json columns; any column's exact text) into <paramref name="destination"/>.</summary>
    /// <param name="ordinal">The column ordinal.</param>
    /// <param name="destination">Where to copy.</param>
    /// <returns>The number of bytes written, or -1 when the destination is too small.</returns>
    public int GetUtf8(int ordinal, Span<byte> destination)
    {
        CellKind kind = StoredCell(ordinal, out ReadOnlySpan<byte> cell);
        if (kind == CellKind.Null)
        {
            throw NullValue(ordinal);
        }

        if (kind == CellKind.Guid)
        {
            return new Guid(cell, bigEndian: true).TryFormat(destination, out int written) ? written : -1;
        }

        ReadOnlySpan<byte> text = kind switch
        {
            CellKind.True => "true"u8,
            CellKind.False => "false"u8,
            CellKind.Timestamp => _timestampUtf8,
            _ => cell,
        };
        return text.TryCopyTo(destination) ? text.Length : -1;
    }

    /// <summary>Whether the column is the run's UTC timestamp (<see cref="IUtf8Cells"/>).</summary>
    bool IUtf8Cells.IsUtcTimestamp(int ordinal) => Column(ordinal).Role == TransmogColumnRole.Timestamp;

    /// <summary>The cell as stored (<see cref="IUtf8Cells"/>): a writer's way to copy text without a string per cell.</summary>
    CellKind IUtf8Cells.GetCell(int ordinal, out ReadOnlySpan<byte> cell) => StoredCell(ordinal, out cell);

    /// <summary>The current row's cell as stored: its kind (<see cref="CellKind.Null"/> for null) and bytes.</summary>
    private CellKind StoredCell(int ordinal, out ReadOnlySpan<byte> cell)
    {
        int index = CellIndex(ordinal);
        ref readonly CellSlot slot = ref _cells[index];
        if (slot.Stamp != _rowStamp)
        {
            cell = default;
            return CellKind.Null;
        }

        cell = _batch.Data.AsSpan(slot.Offset, slot.Length);
        return slot.Kind;
    }

    /// <summary>The run's timestamp as UTF-8 (<see cref="IUtf8Cells"/>).</summary>
    ReadOnlySpan<byte> IUtf8Cells.TimestampUtf8 => _timestampUtf8;

    /// <inheritdoc />
    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length)
    {
        string s = GetString(ordinal);
        if (buffer is null)
        {
            return s.Length;
        }

        int start = (int)Math.Min(dataOffset, s.Length);
        int count = Math.Min(length, s.Length - start);
        s.CopyTo(start, buffer, bufferOffset, count);
        return count;
    }

    /// <summary>Copies the value's UTF-8 bytes (the exact text for numbers, the compact JSON for json columns).</summary>
    /// <inheritdoc />
    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
    {
        int index = CellIndex(ordinal);
        if (_cells[index].Stamp != _rowStamp)
        {
            throw NullValue(ordinal);
        }

        ReadOnlySpan<byte> cell = _batch.Data.AsSpan(_cells[index].Offset, _cells[index].Length);
        if (buffer is null)
        {
            return cell.Length;
        }

        int start = (int)Math.Min(dataOffset, cell.Length);
        int count = Math.Min(length, cell.Length - start);
        cell.Slice(start, count).CopyTo(buffer.AsSpan(bufferOffset));
        return count;
    }

    /// <inheritdoc />
    public override TextReader GetTextReader(int ordinal) => new StringReader(GetString(ordinal));

    /// <inheritdoc />
    public override Stream GetStream(int ordinal)
    {
        int index = CellIndex(ordinal);
        if (_cells[index].Stamp != _rowStamp)
        {
            throw NullValue(ordinal);
        }

        return new MemoryStream(_batch.Data.AsSpan(_cells[index].Offset, _cells[index].Length).ToArray(), writable: false);
    }

    /// <inheritdoc />
    public override T GetFieldValue<T>(int ordinal)
    {
        Type type = typeof(T);
        Type? underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null || !type.IsValueType)
        {
            if (IsDBNull(ordinal))
            {
                if (underlying is not null || type == typeof(object) || type == typeof(string))
                {
                    return default!;
                }

                throw NullValue(ordinal);
            }
        }

        // The typeof checks are constants per instantiation: the JIT removes the others and the boxing.
        if (typeof(T) == typeof(long) || typeof(T) == typeof(long?))
        {
            return (T)(object)GetInt64(ordinal);
        }

        if (typeof(T) == typeof(int) || typeof(T) == typeof(int?))
        {
            return (T)(object)GetInt32(ordinal);
        }

        if (typeof(T) == typeof(double) || typeof(T) == typeof(double?))
        {
            return (T)(object)GetDouble(ordinal);
        }

        if (typeof(T) == typeof(decimal) || typeof(T) == typeof(decimal?))
        {
            return (T)(object)GetDecimal(ordinal);
        }

        if (typeof(T) == typeof(bool) || typeof(T) == typeof(bool?))
        {
            return (T)(object)GetBoolean(ordinal);
        }

        if (typeof(T) == typeof(DateTime) || typeof(T) == typeof(DateTime?))
        {
            return (T)(object)GetDateTime(ordinal);
        }

        if (typeof(T) == typeof(DateTimeOffset) || typeof(T) == typeof(DateTimeOffset?))
        {
            return (T)(object)GetDateTimeOffset(ordinal);
        }

        if (typeof(T) == typeof(DateOnly) || typeof(T) == typeof(DateOnly?))
        {
            return (T)(object)GetDateOnly(ordinal);
        }

        if (typeof(T) == typeof(Guid) || typeof(T) == typeof(Guid?))
        {
            return (T)(object)GetGuid(ordinal);
        }

        if (typeof(T) == typeof(string))
        {
            return (T)(object)GetString(ordinal);
        }

        if (typeof(T) == typeof(float) || typeof(T) == typeof(float?))
        {
            return (T)(object)GetFloat(ordinal);
        }

        if (typeof(T) == typeof(short) || typeof(T) == typeof(short?))
        {
            return (T)(object)GetInt16(ordinal);
        }

        if (typeof(T) == typeof(object))
        {
            return (T)GetValue(ordinal);
        }

        throw new InvalidCastException($"Column '{Column(ordinal).Name}' ({Column(ordinal).DataTypeName}) cannot be read as {typeof(T).Name}.");
    }

    private TransmogColumn Column(int ordinal)
    {
        IReadOnlyList<TransmogColumn> columns = _table.Table.Columns;
        if ((uint)ordinal >= (uint)columns.Count)
        {
            throw new IndexOutOfRangeException($"Ordinal {ordinal} is out of range: table '{_table.Table.Name}' has {columns.Count} columns.");
        }

        return columns[ordinal];
    }

    private int CellIndex(int ordinal)
    {
        if (!_onRow)
        {
            ThrowIfClosed();
            throw new InvalidOperationException("No current row: call Read() first (and check that it returned true).");
        }

        int[] map = _table.PublicToIndex;
        if ((uint)ordinal >= (uint)map.Length)
        {
            Column(ordinal);
        }

        return map[ordinal];
    }

    /// <summary>The current cell of a column of the expected type (Json counts as String); throws on null or a wrong type.</summary>
    private ReadOnlySpan<byte> Cell(int ordinal, TransmogColumnType expected, out CellKind kind)
    {
        int index = CellIndex(ordinal);
        TransmogColumnType actual = _table.GetterTypes[ordinal];
        if (actual != expected && !Serves(expected, actual))
        {
            TransmogColumn column = _table.Table.Columns[ordinal];
            throw new InvalidCastException(
                $"Column '{column.Name}' of table '{_table.Table.Name}' is {column.DataTypeName} ({column.ClrType.Name}), not {expected}.");
        }

        ref readonly CellSlot slot = ref _cells[index];
        if (slot.Stamp != _rowStamp || slot.Kind == CellKind.Null)
        {
            throw NullValue(ordinal);
        }

        kind = slot.Kind;
        return _batch.Data.AsSpan(slot.Offset, slot.Length);
    }

    /// <summary>Getters that serve columns of another type: the text of dates; a DateTime from a date or an offset date-time.</summary>
    private static bool Serves(TransmogColumnType getter, TransmogColumnType column) => getter switch
    {
        TransmogColumnType.String => Schema.TypeInference.IsTemporal(column),
        TransmogColumnType.DateTime => column is TransmogColumnType.Date or TransmogColumnType.DateTimeOffset,
        _ => false,
    };

    private string TextOf(ReadOnlySpan<byte> cell, CellKind kind) => kind switch
    {
        CellKind.True => "true",
        CellKind.False => "false",
        CellKind.Guid => new Guid(cell, bigEndian: true).ToString(),
        CellKind.Timestamp => _timestampText,
        _ => Encoding.UTF8.GetString(cell),
    };

    private InvalidCastException NullValue(int ordinal) =>
        new($"Column '{Column(ordinal).Name}' of table '{_table.Table.Name}' is null in this row; check IsDBNull first.");
}
