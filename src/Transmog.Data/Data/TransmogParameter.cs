using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Transmog.Data;

/// <summary>A command parameter. Table commands take none; the type exists so that generic ADO.NET code works.</summary>
internal sealed class TransmogParameter : DbParameter
{
    /// <inheritdoc />
    public override DbType DbType { get; set; } = DbType.String;

    /// <inheritdoc />
    public override ParameterDirection Direction { get; set; } = ParameterDirection.Input;

    /// <inheritdoc />
    public override bool IsNullable { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string ParameterName { get; set; } = string.Empty;

    /// <inheritdoc />
    public override int Size { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string SourceColumn { get; set; } = string.Empty;

    /// <inheritdoc />
    public override bool SourceColumnNullMapping { get; set; }

    /// <inheritdoc />
    public override object? Value { get; set; }

    /// <inheritdoc />
    public override void ResetDbType() => DbType = DbType.String;
}

/// <summary>The parameters of a <see cref="TransmogCommand"/>.</summary>
internal sealed class TransmogParameterCollection : DbParameterCollection
{
    private readonly List<DbParameter> _items = [];

    /// <inheritdoc />
    public override int Count => _items.Count;

    /// <inheritdoc />
    public override object SyncRoot => _items;

    /// <inheritdoc />
    public override int Add(object value)
    {
        _items.Add(Cast(value));
        return _items.Count - 1;
    }

    /// <inheritdoc />
    public override void AddRange(Array values)
    {
        foreach (object value in values)
        {
            Add(value);
        }
    }

    /// <inheritdoc />
    public override void Clear() => _items.Clear();

    /// <inheritdoc />
    public override bool Contains(object value) => value is DbParameter p && _items.Contains(p);

    /// <inheritdoc />
    public override bool Contains(string value) => IndexOf(value) >= 0;

    /// <inheritdoc />
    public override void CopyTo(Array array, int index) => ((System.Collections.ICollection)_items).CopyTo(array, index);

    /// <inheritdoc />
    public override System.Collections.IEnumerator GetEnumerator() => _items.GetEnumerator();

    /// <inheritdoc />
    public override int IndexOf(object value) => value is DbParameter p ? _items.IndexOf(p) : -1;

    /// <inheritdoc />
    public override int IndexOf(string parameterName) => _items.FindIndex(p => string.Equals(p.ParameterName, parameterName, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public override void Insert(int index, object value) => _items.Insert(index, Cast(value));

    /// <inheritdoc />
    public override void Remove(object value) => _items.Remove(Cast(value));

    /// <inheritdoc />
    public override void RemoveAt(int index) => _items.RemoveAt(index);

    /// <inheritdoc />
    public override void RemoveAt(string parameterName) => _items.RemoveAt(IndexOf(parameterName));

    /// <inheritdoc />
    protected override DbParameter GetParameter(int index) => _items[index];

    /// <inheritdoc />
    protected override DbParameter GetParameter(string parameterName) =>
        IndexOf(parameterName) is var i and >= 0 ? _items[i] : throw new IndexOutOfRangeException($"There is no parameter '{parameterName}'.");

    /// <inheritdoc />
    protected override void SetParameter(int index, DbParameter value) => _items[index] = value;

    /// <inheritdoc />
    protected override void SetParameter(string parameterName, DbParameter value) => _items[IndexOf(parameterName)] = value;

    private static DbParameter Cast(object value) =>
        value as DbParameter ?? throw new InvalidCastException($"A parameter must be a DbParameter, not {value?.GetType().Name ?? "null"}.");
}
