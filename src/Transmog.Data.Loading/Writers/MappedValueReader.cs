using System.Data.Common;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// A table as a bulk copy should see it: each value that <see cref="GetValue"/> and <see cref="DbDataReaderAdapter.GetValues"/>
/// serve passes through <paramref name="map"/> (ordinal, value) first; <paramref name="fieldType"/> says the CLR type of a
/// column after the mapping. Used where the driver reads values boxed (MySqlBulkCopy, SqlBulkCopy).
/// </summary>
internal sealed class MappedValueReader(DbDataReader inner, Func<int, object, object> map, Func<int, Type>? fieldType = null) : DbDataReaderAdapter(inner)
{
    /// <summary>
    /// For MySqlBulkCopy: ids as their 36-character text, the form of the CHAR(36) columns (it would otherwise pick a
    /// binary form from the connection's GuidFormat); offset date-times as their UTC date-time (MySQL's DATETIME keeps
    /// no offset); dates as <c>yyyy-MM-dd</c>.
    /// </summary>
    public static MappedValueReader ForMySql(DbDataReader reader)
    {
        bool[] dates = [.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetFieldType(i) == typeof(DateTime) && string.Equals(reader.GetDataTypeName(i), "date", StringComparison.OrdinalIgnoreCase))];
        return new(reader, (i, value) => value switch
        {
            Guid guid => guid.ToString("D"),
            DateTimeOffset offset => offset.UtcDateTime,
            DateTime date when dates[i] => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            _ => value,
        }, i => reader.GetFieldType(i) == typeof(Guid) || dates[i] ? typeof(string) : reader.GetFieldType(i) == typeof(DateTimeOffset) ? typeof(DateTime) : reader.GetFieldType(i));
    }

    /// <summary>For SqlBulkCopy: decimals must fit DECIMAL(38,10) exactly (SqlBulkCopy would round the scale silently).</summary>
    public static MappedValueReader ForSqlServer(DbDataReader reader, string table) =>
        new(reader, (i, value) => value is decimal d ? BulkWriter.CheckDecimal38x10(d, table, reader.GetName(i)) : value);

    public override Type GetFieldType(int ordinal) => fieldType is null ? Inner.GetFieldType(ordinal) : fieldType(ordinal);

    public override object GetValue(int ordinal)
    {
        object value = Inner.GetValue(ordinal);
        return value is DBNull ? value : map(ordinal, value);
    }

    public override decimal GetDecimal(int ordinal) => (decimal)map(ordinal, Inner.GetDecimal(ordinal));

    public override string GetString(int ordinal) => GetValue(ordinal) is string s ? s : Inner.GetString(ordinal);
}
