using System.Text;
using Transmog.Data.Schema;

namespace Transmog.Data.Flattening;

/// <summary>The main-table metadata that comes from where a record was found: its file, its key in an object map.</summary>
internal sealed partial class RecordFlattener
{
    // The UTF-8 of the last file name and key written: records of one file share the name's string instance.
    private string? _fileText;
    private byte[] _fileUtf8 = [];
    private string? _keyText;
    private byte[] _keyUtf8 = [];

    private static void AddInputMetadata(List<string> reserved, TransmogOptions options)
    {
        if (options.SourceFileField is not null)
        {
            reserved.Add(options.SourceFileField);
        }

        if (options.RecordsPath is not null && options.RecordsPath.Contains('*', StringComparison.Ordinal))
        {
            reserved.Add(options.KeyField);
        }
    }

    private void WriteInputMetadata(TableTarget table)
    {
        if (_options.RecordsPath is not null && _options.RecordsPath.Contains('*', StringComparison.Ordinal))
        {
            ColumnModel column = MetadataColumn(table, _options.KeyField, TransmogColumnRole.Key);
            if (_record.Key is { } key)
            {
                if (!ReferenceEquals(key, _keyText))
                {
                    _keyText = key;
                    _keyUtf8 = Encoding.UTF8.GetBytes(key);
                }

                WriteMetadataText(table, column, _keyUtf8);
            }
        }

        if (_options.SourceFileField is { } sourceField)
        {
            ColumnModel column = MetadataColumn(table, sourceField, TransmogColumnRole.SourceFile);
            if (_record.File is { } file)
            {
                if (!ReferenceEquals(file, _fileText))
                {
                    _fileText = file;
                    _fileUtf8 = Encoding.UTF8.GetBytes(file);
                }

                WriteMetadataText(table, column, _fileUtf8);
            }
        }
    }

    private void WriteMetadataText(TableTarget table, ColumnModel column, ReadOnlySpan<byte> utf8)
    {
        Accept(table.Model, column, ValueKinds.String, utf8.Length, -1);
        table.Rows.WriteCell(column.Index, Rows.CellKind.String, utf8);
    }
}
