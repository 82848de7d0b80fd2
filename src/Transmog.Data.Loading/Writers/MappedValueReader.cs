using System.Collections;
using System.Data.Common;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// The reader's current table as a bulk copy should see it: each value that <see cref="GetValue"/> and
/// <see cref="GetValues"/> serve passes through <paramref name="map"/> (ordinal, value) first; <paramref name="fieldType"/>
/// says the CLR type of a column after the mapping. Used where the driver reads values boxed (MySqlBulkCopy, SqlBulkCopy).
/// </summary>
internal sealed class MappedValueReader(TransmogDataReader inner, Func<int, object, object> map, Func<int, Type>? fieldType = null) : DbDataReader
{
    /// <summary>For MySqlBulkCopy: ids as their 36-character text, the form of the CHAR(36) columns (it would otherwise pick a binary form from the connection's GuidFormat).</summary>
    public static MappedValueReader ForMySql(TransmogDataReader reader) =>
        new(reader, static (_, value) => value is Guid guid ? guid.ToString("D") : value, i => reader.GetFieldType(i) == typeof(Guid) ? typeof(string) : reader.GetFieldType(i));

    /// <summary>For SqlBulkCopy: decimals must fit DECIMAL(38,10) exactly (SqlBulkCopy would round the scale silently).</summary>
    public static MappedValueReader ForSqlServer(TransmogDataReader reader) =>
        new(reader, (i, value) => value is decimal d ? BulkWriter.CheckDecimal38x10(d, reader, i) : value);

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

    public override Type GetFieldType(int ordinal) => fieldType is null ? inner.GetFieldType(ordinal) : fieldType(ordinal);

    public override string GetDataTypeName(int ordinal) => inner.GetDataTypeName(ordinal);

    public override bool IsDBNull(int ordinal) => inner.IsDBNull(ordinal);

    public override object GetValue(int ordinal)
    {
        object value = inner.GetValue(ordinal);
        return value is DBNull ? value : map(ordinal, value);
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

    public override decimal GetDecimal(int ordinal) => (decimal)map(ordinal, inner.GetDecimal(ordinal));

    public override double GetDouble(int ordinal) => inner.GetDouble(ordinal);

    public override float GetFloat(int ordinal) => inner.GetFloat(ordinal);

    public override Guid GetGuid(int ordinal) => inner.GetGuid(ordinal);

    public override short GetInt16(int ordinal) => inner.GetInt16(ordinal);

    public override int GetInt32(int ordinal) => inner.GetInt32(ordinal);

    public override long GetInt64(int ordinal) => inner.GetInt64(ordinal);

    public override string GetString(int ordinal) => GetValue(ordinal) is string s ? s : inner.GetString(ordinal);

    public override TextReader GetTextReader(int ordinal) => inner.GetTextReader(ordinal);

    public override Stream GetStream(int ordinal) => inner.GetStream(ordinal);

    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);
}
