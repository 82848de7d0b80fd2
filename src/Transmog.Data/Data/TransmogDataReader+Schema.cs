using System.Collections.ObjectModel;
using System.Data;
using System.Data.Common;

namespace Transmog.Data;

public sealed partial class TransmogDataReader : IDbColumnSchemaGenerator
{
    /// <inheritdoc />
    public ReadOnlyCollection<DbColumn> GetColumnSchema()
    {
        var columns = new DbColumn[FieldCount];
        for (int i = 0; i < columns.Length; i++)
        {
            columns[i] = new TransmogDbColumn(_table.Table, _table.Table.Columns[i]);
        }

        return new ReadOnlyCollection<DbColumn>(columns);
    }

    /// <inheritdoc />
    public override DataTable GetSchemaTable()
    {
        var table = new DataTable("SchemaTable") { Locale = System.Globalization.CultureInfo.InvariantCulture };
        DataColumnCollection c = table.Columns;
        c.Add(SchemaTableColumn.ColumnName, typeof(string));
        c.Add(SchemaTableColumn.ColumnOrdinal, typeof(int));
        c.Add(SchemaTableColumn.ColumnSize, typeof(int));
        c.Add(SchemaTableColumn.NumericPrecision, typeof(short));
        c.Add(SchemaTableColumn.NumericScale, typeof(short));
        c.Add(SchemaTableColumn.DataType, typeof(Type));
        c.Add(SchemaTableColumn.ProviderType, typeof(int));
        c.Add(SchemaTableColumn.IsLong, typeof(bool));
        c.Add(SchemaTableColumn.AllowDBNull, typeof(bool));
        c.Add(SchemaTableOptionalColumn.IsReadOnly, typeof(bool));
        c.Add(SchemaTableOptionalColumn.IsRowVersion, typeof(bool));
        c.Add(SchemaTableColumn.IsUnique, typeof(bool));
        c.Add(SchemaTableColumn.IsKey, typeof(bool));
        c.Add(SchemaTableOptionalColumn.IsAutoIncrement, typeof(bool));
        c.Add(SchemaTableOptionalColumn.IsHidden, typeof(bool));
        c.Add(SchemaTableColumn.BaseSchemaName, typeof(string));
        c.Add(SchemaTableColumn.BaseTableName, typeof(string));
        c.Add(SchemaTableColumn.BaseColumnName, typeof(string));
        c.Add(SchemaTableColumn.IsAliased, typeof(bool));
        c.Add(SchemaTableColumn.IsExpression, typeof(bool));
        c.Add("DataTypeName", typeof(string));
        foreach (DbColumn column in GetColumnSchema())
        {
            DataRow row = table.NewRow();
            row[SchemaTableColumn.ColumnName] = column.ColumnName;
            row[SchemaTableColumn.ColumnOrdinal] = column.ColumnOrdinal ?? 0;
            row[SchemaTableColumn.ColumnSize] = column.ColumnSize ?? -1;
            row[SchemaTableColumn.NumericPrecision] = (object?)(short?)column.NumericPrecision ?? DBNull.Value;
            row[SchemaTableColumn.NumericScale] = (object?)(short?)column.NumericScale ?? DBNull.Value;
            row[SchemaTableColumn.DataType] = column.DataType;
            row[SchemaTableColumn.ProviderType] = (int)((TransmogDbColumn)column).Column.Type;
            row[SchemaTableColumn.IsLong] = column.IsLong ?? false;
            row[SchemaTableColumn.AllowDBNull] = column.AllowDBNull ?? true;
            row[SchemaTableOptionalColumn.IsReadOnly] = true;
            row[SchemaTableOptionalColumn.IsRowVersion] = false;
            row[SchemaTableColumn.IsUnique] = column.IsUnique ?? false;
            row[SchemaTableColumn.IsKey] = column.IsKey ?? false;
            row[SchemaTableOptionalColumn.IsAutoIncrement] = false;
            row[SchemaTableOptionalColumn.IsHidden] = false;
            row[SchemaTableColumn.BaseSchemaName] = DBNull.Value;
            row[SchemaTableColumn.BaseTableName] = column.BaseTableName;
            row[SchemaTableColumn.BaseColumnName] = column.BaseColumnName;
            row[SchemaTableColumn.IsAliased] = false;
            row[SchemaTableColumn.IsExpression] = false;
            row["DataTypeName"] = column.DataTypeName;
            table.Rows.Add(row);
        }

        return table;
    }
}

/// <summary>A column of a flattened table as ADO.NET's <see cref="DbColumn"/>.</summary>
internal sealed class TransmogDbColumn : DbColumn
{
    internal TransmogDbColumn(TransmogTable table, TransmogColumn column)
    {
        Column = column;
        ColumnName = column.Name;
        ColumnOrdinal = column.Ordinal;
        DataType = column.ClrType;
        DataTypeName = column.DataTypeName;
        AllowDBNull = column.AllowNull;
        IsKey = column.Role == TransmogColumnRole.Id;
        IsUnique = column.Role == TransmogColumnRole.Id;
        IsReadOnly = true;
        IsAutoIncrement = false;
        IsAliased = false;
        IsExpression = false;
        IsHidden = false;
        IsIdentity = false;
        BaseTableName = table.Name;
        BaseColumnName = column.Name;
        ColumnSize = column.Type switch
        {
            TransmogColumnType.String or TransmogColumnType.Json => column.MaxLength > 0 ? column.MaxLength : -1,
            TransmogColumnType.Guid => 16,
            TransmogColumnType.Int64 or TransmogColumnType.Double or TransmogColumnType.DateTime or TransmogColumnType.Date => 8,
            TransmogColumnType.DateTimeOffset => 10,
            TransmogColumnType.Decimal => 16,
            TransmogColumnType.Boolean => 1,
            _ => -1,
        };
        IsLong = column.Type is TransmogColumnType.String or TransmogColumnType.Json && (column.MaxLength == 0 || column.MaxLength > 8000);
        if (column.Type == TransmogColumnType.Decimal)
        {
            NumericPrecision = 29;
        }
        else if (column.Type == TransmogColumnType.Double)
        {
            NumericPrecision = 15;
        }
        else if (column.Type == TransmogColumnType.Int64)
        {
            NumericPrecision = 19;
            NumericScale = 0;
        }
    }

    /// <summary>The flattened column.</summary>
    public TransmogColumn Column { get; }
}
