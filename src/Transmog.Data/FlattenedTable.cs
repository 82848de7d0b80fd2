using System.Data;
using Transmog.Data.Flattening;
using Transmog.Data.Pipeline;

namespace Transmog.Data;

/// <summary>One table of a <see cref="FlattenResult"/>: its schema and its rows, readable any number of times.</summary>
public sealed class FlattenedTable
{
    private readonly FlattenRun _run;
    private readonly TableModel _model;

    internal FlattenedTable(FlattenRun run, TableModel model, TransmogTable schema)
    {
        _run = run;
        _model = model;
        Schema = schema;
    }

    /// <summary>The table name.</summary>
    public string Name => _model.Name;

    /// <summary>The columns and their types.</summary>
    public TransmogTable Schema { get; }

    /// <summary>The number of rows.</summary>
    public long RowCount => _model.RowCount;

    /// <summary>A new forward-only reader over the rows.</summary>
    public TransmogDataReader CreateReader() => TransmogDataReader.Over(_run, [_model], ownsRun: false);

    /// <summary>The rows as column-name → value dictionaries (nulls left out, as Python transmog's dicts do).</summary>
    public IEnumerable<IReadOnlyDictionary<string, object>> Rows
    {
        get
        {
            using TransmogDataReader reader = CreateReader();
            while (reader.Read())
            {
                var row = new Dictionary<string, object>(reader.FieldCount, StringComparer.Ordinal);
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    if (!reader.IsDBNull(i))
                    {
                        row[reader.GetName(i)] = reader.GetValue(i);
                    }
                }

                yield return row;
            }
        }
    }

    /// <summary>The rows in a <see cref="DataTable"/> (loaded through <see cref="DataTable.Load(IDataReader)"/>).</summary>
    public DataTable ToDataTable()
    {
        var table = new DataTable(Name) { Locale = System.Globalization.CultureInfo.InvariantCulture };
        using TransmogDataReader reader = CreateReader();
        table.Load(reader);
        return table;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({RowCount} rows)";
}
