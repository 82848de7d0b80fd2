using System.Buffers;
using System.Text;

namespace Transmog.Data.Loading.Writers;

/// <summary>
/// A table's values as the types of the database columns they go into, where an existing column is wider than the
/// data (an integer into a real column, anything into a text column): integers as doubles (exact up to 2^53, an error
/// beyond), numbers as decimals (parsed from their exact text), any value as its exact text (numbers as written in the
/// JSON, booleans <c>true</c>/<c>false</c>). Other columns pass through.
/// </summary>
internal sealed class TargetTypeReader : DbDataReaderAdapter
{
    private const long ExactInDouble = 1L << 53;
    private readonly TransmogDataReader _reader;
    private readonly TransmogColumnType[] _from;
    private readonly TransmogColumnType[] _to;
    private byte[] _text = ArrayPool<byte>.Shared.Rent(256);

    public TargetTypeReader(TransmogDataReader reader, TransmogColumnType[] types)
        : base(reader)
    {
        _reader = reader;
        _to = types;
        _from = [.. reader.Table.Columns.Select(c => c.Type)];
    }

    private static Type ClrOf(TransmogColumnType type) => type switch
    {
        TransmogColumnType.Int64 => typeof(long),
        TransmogColumnType.Decimal => typeof(decimal),
        TransmogColumnType.Double => typeof(double),
        TransmogColumnType.Boolean => typeof(bool),
        TransmogColumnType.DateTime or TransmogColumnType.Date => typeof(DateTime),
        TransmogColumnType.DateTimeOffset => typeof(DateTimeOffset),
        TransmogColumnType.Guid => typeof(Guid),
        _ => typeof(string),
    };

    public override Type GetFieldType(int ordinal) => ClrOf(_to[ordinal]);

    public override string GetDataTypeName(int ordinal) => _from[ordinal] == _to[ordinal] ? Inner.GetDataTypeName(ordinal) : ClrOf(_to[ordinal]).Name;

    public override object GetValue(int ordinal)
    {
        if (_from[ordinal] == _to[ordinal] || Inner.IsDBNull(ordinal))
        {
            return Inner.GetValue(ordinal);
        }

        return _to[ordinal] switch
        {
            TransmogColumnType.Int64 => GetInt64(ordinal),
            TransmogColumnType.Double => GetDouble(ordinal),
            TransmogColumnType.Decimal => GetDecimal(ordinal),
            TransmogColumnType.String or TransmogColumnType.Json => GetString(ordinal),
            TransmogColumnType.DateTime => GetDateTime(ordinal),
            _ => Inner.GetValue(ordinal),
        };
    }

    public override long GetInt64(int ordinal) =>
        _from[ordinal] == TransmogColumnType.Boolean ? (Inner.GetBoolean(ordinal) ? 1L : 0L) : Inner.GetInt64(ordinal);

    public override double GetDouble(int ordinal)
    {
        if (_from[ordinal] != TransmogColumnType.Int64)
        {
            return Inner.GetDouble(ordinal);
        }

        long value = Inner.GetInt64(ordinal);
        if (value > ExactInDouble || value < -ExactInDouble)
        {
            throw new TransmogException(
                $"Column '{Inner.GetName(ordinal)}' of table '{_reader.Table.Name}' holds {value}, which its database column (a double) cannot hold exactly.");
        }

        return value;
    }

    public override string GetString(int ordinal)
    {
        if (_from[ordinal] is TransmogColumnType.String or TransmogColumnType.Json or TransmogColumnType.Date or TransmogColumnType.DateTime or TransmogColumnType.DateTimeOffset)
        {
            return Inner.GetString(ordinal);
        }

        int length;
        while ((length = _reader.GetUtf8(ordinal, _text)) < 0)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(_text.Length * 2);
            ArrayPool<byte>.Shared.Return(_text);
            _text = larger;
        }

        return Encoding.UTF8.GetString(_text, 0, length);
    }

    public override TextReader GetTextReader(int ordinal) => new StringReader(GetString(ordinal));

    protected override void Dispose(bool disposing)
    {
        if (disposing && _text.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_text);
            _text = [];
        }

        base.Dispose(disposing);
    }
}
