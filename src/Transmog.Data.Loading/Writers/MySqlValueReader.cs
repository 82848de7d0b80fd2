using System.Collections;
using System.Data.Common;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// The reader's current table as <c>MySqlBulkCopy</c> should see it: ids (<see cref="Guid"/>) as their 36-character
/// text, the form of the CHAR(36) columns (MySqlBulkCopy would otherwise pick a binary form from the connection's
/// GuidFormat). Every other value passes through.
/// </summary>
internal sealed class MySqlValueReader(TransmogDataReader inner) : DbDataReader
{
    public override int FieldCount => inner.FieldCount;

    public override object this[int ordinal] => GetValue(ordinal);

    public override object this[string name] => GetValue(GetOrdinal(name));

    public override int RecordsAffected => -1;

    public override bool HasRows => inner.HasRows;

    public override bool IsClosed => inner.IsClosed;

    public override int Depth => 0;

    public override bool Read() => inner.Read();

    public override bool NextResult() => false;

    public override string GetName(int ordinal) => inner.GetName(ordinal);

    public override int GetOrdinal(string name) => inner.GetOrdinal(name);

    public override Type GetFieldType(int ordinal) => inner.GetFieldType(ordinal) == typeof(Guid) ? typeof(string) : inner.GetFieldType(ordinal);

    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);

    public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);

    public override object GetValue(int ordinal)
    {
        object value = inner.GetValue(ordinal);
        return value is Guid guid ? guid.ToString("D") : value;
    }

    public override int GetValues(object[] values)
    {
        int count = Math.Min(values.Length, FieldCount);
        for (int i = 0; i < count; i++)
        {
            values[i] = GetValue(i);
        }

        return count;
    }

    public override bool GetBoolean(int ordinal) => inner.GetBoolean(ordinal);

    public override byte GetByte(int ordinal) => inner.GetByte(ordinal);

    public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => inner.GetBytes(ordinal, dataOffset, buffer, bufferOffset, length);

    public override char GetChar(int ordinal) => inner.GetChar(ordinal);

    public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => inner.GetChars(ordinal, dataOffset, buffer, bufferOffset, length);

    public override DateTime GetDateTime(int ordinal) => inner.GetDateTime(ordinal);

    public override decimal GetDecimal(int ordinal) => inner.GetDecimal(ordinal);

    public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);

    public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);

    public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);

    public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);

    public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);

    public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);

    public override string GetString(int ordinal) => GetValue(ordinal) is string s ? s : inner.GetString(ordinal);

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);
}
