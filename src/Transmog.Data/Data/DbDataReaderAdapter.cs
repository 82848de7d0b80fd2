using System.Collections;
using System.Data.Common;

namespace Transmog.Data;

/// <summary>
/// A <see cref="DbDataReader"/> that serves another reader's current result set, forwarding every member; a decorator
/// overrides only what it changes. One result set only (<see cref="NextResult"/> is false): the loader moves the inner
/// reader on to the next table itself.
/// </summary>
internal abstract class DbDataReaderAdapter(DbDataReader inner) : DbDataReader
{
    /// <summary>The reader served.</summary>
    protected DbDataReader Inner { get; } = inner;

    public override int FieldCount => Inner.FieldCount;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override int RecordsAffected => -1;

    public override bool HasRows => Inner.HasRows;

    public override bool IsClosed => Inner.IsClosed;

    public override int Depth => 0;

    public override bool Read() => Inner.Read();

    public override bool NextResult() => false;

    public override string GetName(int ordinal) => Inner.GetName(ordinal);

    public override int GetOrdinal(string name) => Inner.GetOrdinal(name);

    public override Type GetFieldType(int ordinal) => Inner.GetFieldType(ordinal);

    public override string GetDataTypeName(int ordinal) => Inner.GetDataTypeName(ordinal);

    public override bool IsDBNull(int ordinal) => Inner.IsDBNull(ordinal);

    public override object GetValue(int ordinal) => Inner.GetValue(ordinal);

    public override int GetValues(object[] values)
    {
        int count = Math.Min(values.Length, FieldCount);
        for (int i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool GetBoolean(int ordinal) => Inner.GetBoolean(ordinal);

    public override byte GetByte(int ordinal) => Inner.GetByte(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => Inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    public override char GetChar(int ordinal) => Inner.GetChar(ordinal);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => Inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    public override DateTime GetDateTime(int ordinal) => Inner.GetDateTime(ordinal);

    public override decimal GetDecimal(int ordinal) => Inner.GetDecimal(ordinal);

    public override double GetDouble(int ordinal) => Inner.GetDouble(ordinal);

    public override float GetFloat(int ordinal) => Inner.GetFloat(ordinal);

    public override Guid GetGuid(int ordinal) => Inner.GetGuid(ordinal);

    public override short GetInt16(int ordinal) => Inner.GetInt16(ordinal);

    public override int GetInt32(int ordinal) => Inner.GetInt32(ordinal);

    public override long GetInt64(int ordinal) => Inner.GetInt64(ordinal);

    public override string GetString(int ordinal) => Inner.GetString(ordinal);

    public override TextReader GetTextReader(int ordinal) => Inner.GetTextReader(ordinal);

    public override Stream GetStream(int ordinal) => Inner.GetStream(ordinal);

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);
}
