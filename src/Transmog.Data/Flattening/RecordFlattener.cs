using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Transmog.Data.Feeds;
using Transmog.Data.Input;
using Transmog.Data.Schema;

namespace Transmog.Data.Flattening;

/// <summary>
/// Turns one record into rows: nested objects into columns named by their path, arrays into child tables or JSON
/// text by <see cref="ArrayMode"/>, ids and metadata on every row. Rows go into each table's
/// <see cref="TableModel.Rows"/> uncommitted; the caller commits them when the whole record succeeded.
/// </summary>
internal sealed class RecordFlattener
{
    private readonly TransmogOptions _options;
    private readonly TableRegistry _registry;
    private readonly IdFactory _ids;
    private readonly bool _natural;
    private readonly bool _checkDecimal;
    private readonly string[] _reservedMain;
    private readonly string[] _reservedChild;

    private RawRecord _record;
    private long _recordStamp;
    private JsonElement _root;

    public RecordFlattener(TransmogOptions options, TableRegistry registry, IdFactory ids)
    {
        _options = options;
        _registry = registry;
        _ids = ids;
        _natural = options.IdGeneration.Kind == IdGenerationKind.Natural;
        _checkDecimal = options.RealNumbers == RealNumberType.Decimal
            || (options.Schema?.Tables.Any(t => t.Columns.Any(c => c.Type == TransmogColumnType.Decimal)) ?? false);
        var reserved = new List<string> { options.IdField };
        if (options.TimeField is not null)
        {
            reserved.Add(options.TimeField);
        }

        _reservedMain = [.. reserved];
        reserved.Add(options.ParentField);
        if (options.IncludeArrayIndex)
        {
            reserved.Add(MetadataNames.ArrayIndex);
        }

        if (options.IncludeRootId)
        {
            reserved.Add(MetadataNames.RootId);
        }

        _reservedChild = [.. reserved];
    }

    /// <summary>The tables the current record wrote rows to (to commit or roll back).</summary>
    public List<TableModel> Touched { get; } = [];

    /// <summary>Flattens one record. Throws <see cref="TransmogInputException"/> for a record that cannot be flattened without loss.</summary>
    public void Flatten(JsonElement root, in RawRecord record)
    {
        _record = record;
        _root = root;
        _recordStamp = ++_registry.RecordStamp;
        Touched.Clear();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new TransmogInputException($"Expected JSON object, got {Describe(root.ValueKind)}", record.Position);
        }

        if (root.GetPropertyCount() == 0)
        {
            // An empty object produces no row (as in Python transmog).
            return;
        }

        RowId id = _natural ? NaturalRootId(root) : new RowId(_ids.Root(root, record.Number));
        FlattenRow(_registry.Main, root, id, parentId: default, rootId: id, arrayIndex: -1, depth: 0, hasParent: false);
    }

    private RowId NaturalRootId(JsonElement root)
    {
        if (!root.TryGetProperty(_options.IdField, out JsonElement value))
        {
            throw new TransmogInputException(
                $"Strategy 'natural' requires field '{_options.IdField}' in record, but it was not found",
                _record.Position);
        }

        return NaturalId(value) ?? throw ErrorAt(value,
            $"Strategy 'natural' requires a non-empty scalar '{_options.IdField}', but found {Describe(value)}");
    }

    private static RowId? NaturalId(JsonElement value)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value);
        switch (value.ValueKind)
        {
            case JsonValueKind.String when raw.Length > 2:
                return new RowId(CellKind.String, Encoding.UTF8.GetBytes(value.GetString()!));
            case JsonValueKind.Number:
                return new RowId(CellKind.Number, raw.ToArray());
            case JsonValueKind.True:
                return new RowId(CellKind.True, []);
            case JsonValueKind.False:
                return new RowId(CellKind.False, []);
            default:
                return null;
        }
    }

    private void FlattenRow(TableModel table, JsonElement obj, in RowId id, in RowId parentId, in RowId rootId, long arrayIndex, int depth, bool hasParent)
    {
        RowBuffer rows = table.Rows;
        Touch(table);
        rows.BeginRow();
        table.RowGeneration++;
        bool idWritten = FlattenObject(table, table.Root, obj, depth, id, rootId);
        WriteMetadata(table, id, parentId, rootId, arrayIndex, hasParent, idWritten);
        rows.EndRow();
    }

    private void WriteMetadata(TableModel table, in RowId id, in RowId parentId, in RowId rootId, long arrayIndex, bool hasParent, bool idWritten)
    {
        if (!idWritten)
        {
            WriteId(table, _options.IdField, TransmogColumnRole.Id, id);
        }

        if (hasParent)
        {
            WriteId(table, _options.ParentField, TransmogColumnRole.ParentId, parentId);
            if (_options.IncludeArrayIndex)
            {
                ColumnModel column = MetadataColumn(table, MetadataNames.ArrayIndex, TransmogColumnRole.ArrayIndex);
                Span<byte> text = stackalloc byte[20];
                Utf8Formatter.TryFormat(arrayIndex, text, out int length);
                Accept(table, column, ValueKinds.Int64, length);
                table.Rows.WriteCell(column.Index, CellKind.Number, text[..length]);
            }

            if (_options.IncludeRootId)
            {
                WriteId(table, MetadataNames.RootId, TransmogColumnRole.RootId, rootId);
            }
        }

        if (_options.TimeField is not null)
        {
            ColumnModel column = MetadataColumn(table, _options.TimeField, TransmogColumnRole.Timestamp);
            Accept(table, column, ValueKinds.Timestamp, 26);
            table.Rows.WriteCell(column.Index, CellKind.Timestamp, 0);
        }
    }

    private void WriteId(TableModel table, string name, TransmogColumnRole role, in RowId id)
    {
        ColumnModel column = MetadataColumn(table, name, role);
        ValueKinds kinds = id.Kind switch
        {
            CellKind.Guid => ValueKinds.Guid,
            CellKind.String => ValueKinds.String,
            CellKind.Number => ValueKinds.None, // classified below from the text
            _ => ValueKinds.Boolean,
        };

        Span<byte> data = table.Rows.WriteCell(column.Index, id.Kind, id.Length);
        id.CopyTo(data, out _);
        if (id.Kind == CellKind.Number)
        {
            kinds = TypeInference.ClassifyNumber(data);
        }

        Accept(table, column, kinds, id.Kind == CellKind.Guid ? 36 : id.Length);
    }

    private ColumnModel MetadataColumn(TableModel table, string name, TransmogColumnRole role)
    {
        ColumnModel? column = table.Find(name);
        if (column is null)
        {
            if (table.Frozen)
            {
                throw DriftError(table, name, $"Column '{name}' of table '{table.Name}' is not in the schema", _root);
            }

            column = table.Add(name, role);
        }

        return column;
    }

    private void Touch(TableModel table)
    {
        if (table.TouchedByRecord != _recordStamp)
        {
            table.TouchedByRecord = _recordStamp;
            Touched.Add(table);
        }
    }

    /// <summary>Flattens an object's members into the current row of <paramref name="table"/>; returns whether a natural id was written as data.</summary>
    private bool FlattenObject(TableModel table, PathNode node, JsonElement obj, int depth, in RowId id, in RowId rootId)
    {
        bool idWritten = false;
        foreach (JsonProperty property in obj.EnumerateObject())
        {
            PathNode child = Child(table, node, property);
            JsonElement value = property.Value;
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    if (value.GetPropertyCount() == 0)
                    {
                        break;
                    }

                    if (depth + 1 >= _options.MaxDepth)
                    {
                        // Python drops what lies below max_depth; we keep it, as JSON text under its path.
                        WriteJson(table, child, value);
                    }
                    else
                    {
                        idWritten |= FlattenObject(table, child, value, depth + 1, id, rootId);
                    }

                    break;
                case JsonValueKind.Array:
                    FlattenArray(table, child, value, depth, id, rootId);
                    break;
                default:
                    idWritten |= WriteScalar(table, child, value);
                    break;
            }
        }

        return idWritten;
    }

    private void FlattenArray(TableModel table, PathNode node, JsonElement array, int depth, in RowId id, in RowId rootId)
    {
        int length = array.GetArrayLength();
        if (length == 0)
        {
            return;
        }

        switch (_options.ArrayMode)
        {
            case ArrayMode.Skip:
                return;
            case ArrayMode.Inline:
                WriteJson(table, node, array);
                return;
            case ArrayMode.Smart:
                bool complex = false;
                foreach (JsonElement item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object)
                    {
                        complex = true;
                        break;
                    }
                }

                if (!complex)
                {
                    WriteJson(table, node, array);
                    return;
                }

                break;
        }

        TableModel? childTable = node.ChildTable ?? _registry.GetOrAddChild(table, node);
        if (childTable is null)
        {
            throw DriftError(table, table.ChildNamePrefix + "_" + node.TableNamePart,
                $"Table '{table.ChildNamePrefix}_{node.TableNamePart}' (array '{node.ColumnName}' of table '{table.Name}') is not in the schema", array);
        }

        if (_registry.CacheBudget > 0 || node.ChildTable is not null)
        {
            node.ChildTable = childTable;
        }

        long index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            FlattenItem(childTable, item, id, rootId, index, depth + 1);
            index++;
        }
    }

    private void FlattenItem(TableModel table, JsonElement item, in RowId parentId, in RowId rootId, long index, int depth)
    {
        switch (item.ValueKind)
        {
            case JsonValueKind.Object:
                if (item.GetPropertyCount() == 0)
                {
                    return;
                }

                RowId itemId = default;
                bool natural = false;
                if (_natural && item.TryGetProperty(_options.IdField, out JsonElement own) && NaturalId(own) is { } ownId)
                {
                    itemId = ownId;
                    natural = true;
                }

                if (!natural)
                {
                    itemId = new RowId(IdFactory.Child(parentId, table.NameUtf8, index));
                }

                FlattenRow(table, item, itemId, parentId, rootId, index, depth, hasParent: true);
                return;
            case JsonValueKind.Null when !_options.IncludeNulls:
                return;
        }

        // A primitive item, or an inner array: a row with one 'value' column.
        RowId id = new(IdFactory.Child(parentId, table.NameUtf8, index));
        RowBuffer rows = table.Rows;
        Touch(table);
        rows.BeginRow();
        table.RowGeneration++;
        PathNode valueNode = table.ValueNode ??= new PathNode(MetadataNames.Value, MetadataNames.Value, 1);
        if (item.ValueKind == JsonValueKind.Array)
        {
            WriteJson(table, valueNode, item);
        }
        else
        {
            WriteScalar(table, valueNode, item);
        }

        WriteMetadata(table, id, parentId, rootId, index, hasParent: true, idWritten: false);
        rows.EndRow();
    }

    /// <summary>Writes a string, number, boolean or null; returns whether it was the natural id.</summary>
    private bool WriteScalar(TableModel table, PathNode node, JsonElement value)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value);
        bool isId = _natural && node.Depth == 1 && string.Equals(node.ColumnName, _options.IdField, StringComparison.Ordinal);
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
            case JsonValueKind.String when raw.Length == 2:
                if (_options.IncludeNulls)
                {
                    Resolve(table, node, value, isId);
                }

                return false;
            case JsonValueKind.String:
                WriteString(table, node, value, raw[1..^1], isId);
                return isId;
            case JsonValueKind.Number:
                if (_options.StringifyValues)
                {
                    WriteText(table, node, value, CellKind.String, ValueKinds.String, raw, isId);
                }
                else
                {
                    WriteText(table, node, value, CellKind.Number, TypeInference.ClassifyNumber(raw, _checkDecimal), raw, isId);
                }

                return isId;
            case JsonValueKind.True:
            case JsonValueKind.False:
                bool b = value.ValueKind == JsonValueKind.True;
                if (_options.StringifyValues)
                {
                    WriteText(table, node, value, CellKind.String, ValueKinds.String, b ? "true"u8 : "false"u8, isId);
                }
                else
                {
                    WriteText(table, node, value, b ? CellKind.True : CellKind.False, ValueKinds.Boolean, default, isId);
                }

                return isId;
        }

        return false;
    }

    private void WriteString(TableModel table, PathNode node, JsonElement value, ReadOnlySpan<byte> content, bool isId)
    {
        ColumnModel column = Resolve(table, node, value, isId);
        Accept(table, column, ValueKinds.String, content.Length, value);
        RowBuffer rows = table.Rows;
        if (content.IndexOf((byte)'\\') < 0)
        {
            if (!Utf8.IsValid(content))
            {
                throw ErrorAt(value, "Invalid UTF-8 in a string");
            }

            rows.WriteCell(column.Index, CellKind.String, content);
            return;
        }

        // Escaped: unescape straight into the row (never longer than the escaped text).
        Span<byte> destination = rows.WriteCell(column.Index, CellKind.String, content.Length);
        int written;
        try
        {
            var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value));
            reader.Read();
            written = reader.CopyString(destination);
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            throw ErrorAt(value, "Invalid string: " + RecordReader.FirstSentence(ex.Message));
        }

        if (!Utf8.IsValid(destination[..written]))
        {
            throw ErrorAt(value, "Invalid UTF-8 in a string (an escaped lone surrogate?)");
        }

        rows.TrimLastCell(content.Length, written);
    }

    private void WriteText(TableModel table, PathNode node, JsonElement value, CellKind kind, ValueKinds kinds, ReadOnlySpan<byte> text, bool isId)
    {
        ColumnModel column = Resolve(table, node, value, isId);
        Accept(table, column, kinds, text.Length, value);
        table.Rows.WriteCell(column.Index, kind, text);
    }

    private void WriteJson(TableModel table, PathNode node, JsonElement value)
    {
        ColumnModel column = Resolve(table, node, value, isId: false);
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(value);
        RowBuffer rows = table.Rows;
        Span<byte> destination = rows.WriteCell(column.Index, CellKind.Json, raw.Length);
        int written;
        if (_options.AllowComments)
        {
            // Raw text may hold comments: write the value out instead of copying it.
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(raw.Length);
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                value.WriteTo(writer);
            }

            written = Math.Min(buffer.WrittenCount, raw.Length);
            buffer.WrittenSpan[..written].CopyTo(destination);
        }
        else
        {
            written = CompactJson.Write(raw, destination);
        }

        rows.TrimLastCell(raw.Length, written);
        Accept(table, column, ValueKinds.Json, written, value);
    }

    /// <summary>Finds or creates the column for a path and stamps it for the current row (a second write is a conflict).</summary>
    private ColumnModel Resolve(TableModel table, PathNode node, JsonElement value, bool isId)
    {
        ColumnModel? column = node.Column;
        if (column is null)
        {
            column = table.Find(node.ColumnName);
            if (column is null)
            {
                if (table.Frozen)
                {
                    throw DriftError(table, node.ColumnName, $"Column '{node.ColumnName}' of table '{table.Name}' is not in the schema", value);
                }

                if (table.Columns.Count >= _options.MaxColumns)
                {
                    throw ErrorAt(value, $"Table '{table.Name}' would get more than {_options.MaxColumns} columns (MaxColumns)");
                }

                column = table.Add(node.ColumnName, isId ? TransmogColumnRole.Id : TransmogColumnRole.Data);
                column.FirstPath = PathOf(value);
            }

            column.SeenAsData = true;
            node.Column = column;
        }

        if (!table.Stamp(column.Index) && _options.ColumnConflicts == ColumnConflictResolution.Error)
        {
            throw ErrorAt(value,
                $"Two paths of one record produce column '{column.Name}' of table '{table.Name}': '{FirstPathInRecord(table, column, value)}' and '{PathOf(value)}'. " +
                "Set ColumnConflicts = LastWins to keep the last value, or choose another Separator");
        }

        return column;
    }

    /// <summary>Checks a value's kinds against the column: widens it, or under a fixed schema checks it fits.</summary>
    private void Accept(TableModel table, ColumnModel column, ValueKinds kinds, int length, JsonElement value = default)
    {
        if (column.FixedType is { } type)
        {
            if (!TypeInference.Fits(type, kinds))
            {
                throw DriftError(table, column.Name,
                    $"A value of column '{column.Name}' of table '{table.Name}' does not fit its type {type}",
                    value.ValueKind == JsonValueKind.Undefined ? _root : value);
            }
        }
        else
        {
            column.Seen |= kinds;
        }

        if (length > column.MaxLength)
        {
            column.MaxLength = length;
        }
    }

    private PathNode Child(TableModel table, PathNode node, JsonProperty property)
    {
        ReadOnlySpan<byte> rawKey = JsonMarshal.GetRawUtf8PropertyName(property);
        PathNode? child = node.Find(rawKey);
        if (child is not null)
        {
            return child;
        }

        string key = property.Name;
        string columnName = node.ColumnName.Length == 0 ? key : node.ColumnName + _options.Separator + key;
        if (node.Depth == 0)
        {
            columnName = RenameReserved(table, columnName);
        }

        string part = node.TableNamePart.Length == 0 ? NameSanitizer.Sanitize(key) : node.TableNamePart + "_" + NameSanitizer.Sanitize(key);
        child = new PathNode(columnName, part, node.Depth + 1);
        if (_registry.CacheBudget > 0)
        {
            _registry.CacheBudget--;
            node.Add(rawKey, child);
        }

        return child;
    }

    /// <summary>A source field named like a metadata column is kept under <c>name_source</c>, never overwritten.</summary>
    private string RenameReserved(TableModel table, string name)
    {
        if (_natural && string.Equals(name, _options.IdField, StringComparison.Ordinal))
        {
            return name;
        }

        string[] reserved = table.Parent is null ? _reservedMain : _reservedChild;
        foreach (string r in reserved)
        {
            if (string.Equals(name, r, StringComparison.Ordinal))
            {
                return name + "_source";
            }
        }

        return name;
    }

    private TransmogException DriftError(TableModel table, string column, string reason, JsonElement at)
    {
        return new TransmogSchemaDriftException(reason, PositionOf(at), table.Name, column);
    }

    private TransmogInputException ErrorAt(JsonElement element, string reason) => new(reason, PositionOf(element));

    /// <summary>The position of an element of the current record, found from where its bytes lie in the record.</summary>
    private SourcePosition PositionOf(JsonElement element)
    {
        ReadOnlySpan<byte> record = _record.Utf8.Span;
        ReadOnlySpan<byte> raw = element.ValueKind == JsonValueKind.Undefined ? record : JsonMarshal.GetRawUtf8Value(element);
        long delta = Unsafe.ByteOffset(ref MemoryMarshal.GetReference(record), ref MemoryMarshal.GetReference(raw));
        if (delta < 0 || delta > record.Length)
        {
            return _record.Position;
        }

        ReadOnlySpan<byte> before = record[..(int)delta];
        int newlines = before.Count((byte)'\n');
        long line = _record.Line + newlines;
        long column = newlines == 0 ? _record.Column + delta : before.Length - before.LastIndexOf((byte)'\n');
        return new SourcePosition(line, column, _record.ByteOffset + delta, _record.Number, JsonPaths.Find(_root, _record.Path, (int)delta, record));
    }

    private string PathOf(JsonElement element) => PositionOf(element).JsonPath;

    /// <summary>The other path of a conflict: the first path in this record whose column name is the same.</summary>
    private string FirstPathInRecord(TableModel table, ColumnModel column, JsonElement second)
    {
        string secondPath = PathOf(second);
        string? found = JsonPaths.FirstProducing(_root, _record.Path, column.Name, _options.Separator, secondPath);
        return found ?? column.FirstPath ?? "?";
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "\"" + value.GetString() + "\"",
        JsonValueKind.Null => "null",
        _ => Describe(value.ValueKind),
    };
}
