using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Transmog.Data.Input;
using Transmog.Data.Rows;
using Transmog.Data.Schema;

namespace Transmog.Data.Flattening;

/// <summary>
/// Turns one record into rows straight from its tokens (one <see cref="Utf8JsonReader"/> pass, no document):
/// nested objects into columns named by their path, arrays into child tables or JSON text by
/// <see cref="ArrayMode"/>, ids and metadata on every row. Rows go into each table's <see cref="TableModel.Rows"/>
/// uncommitted; the caller commits them when the whole record succeeded.
/// </summary>
/// <remarks>
/// Where the rules need to look ahead (is an object empty? does an array hold an object? a natural id that comes
/// after the arrays), a copy of the reader struct reads ahead and the real reader stays where it was. A document is
/// parsed only for Python-compatible hash ids and to name the JSON path of an error.
/// </remarks>
internal sealed partial class RecordFlattener
{
    private readonly TransmogOptions _options;
    private readonly TableRegistry _registry;
    private readonly IdFactory _ids;
    private readonly bool _natural;
    private readonly bool _checkDecimal;
    private readonly bool _inferDates;
    private readonly bool _hashIds;
    private readonly bool _positionIds;
    private readonly byte[] _idFieldUtf8;
    private readonly string[] _reservedMain;
    private readonly string[] _reservedChild;
    private readonly JsonReaderOptions _readerOptions;
    private readonly JsonDocumentOptions _documentOptions;

    // The kinds and lengths the current record's values add to their columns, applied when the record is accepted.
    private (ColumnModel Column, ValueKinds Kinds, int Length)[] _pending = new (ColumnModel, ValueKinds, int)[64];
    private int _pendingCount;

    private readonly DiscoveryGate? _gate;
    private TableTarget?[] _targets = new TableTarget?[4];
    private Func<TableModel, RowBuffer> _rowsFor = t => t.Rows;
    private long _binding;
    private long _chunk;
    private int _cacheBudget;

    private RawRecord _record;
    private long _recordStamp;
    private bool _recordIsValidUtf8;

    /// <param name="options">The run's options.</param>
    /// <param name="registry">The run's tables (shared with other flatteners when <paramref name="gate"/> is given).</param>
    /// <param name="ids">The run's id factory.</param>
    /// <param name="documentOptions">How records are parsed.</param>
    /// <param name="gate">When flatteners work in parallel: orders their additions to the schema.</param>
    public RecordFlattener(TransmogOptions options, TableRegistry registry, IdFactory ids, JsonDocumentOptions documentOptions, DiscoveryGate? gate = null)
    {
        _options = options;
        _gate = gate;
        _cacheBudget = options.CacheSize;
        _registry = registry;
        _ids = ids;
        _natural = options.IdGeneration.Kind == IdGenerationKind.Natural;
        _hashIds = options.IdGeneration.Kind is IdGenerationKind.Hash or IdGenerationKind.Fields;
        _positionIds = options.IdGeneration.Kind == IdGenerationKind.Position;
        _checkDecimal = options.RealNumbers == TransmogColumnType.Decimal
            || (options.Schema?.Tables.Any(t => t.Columns.Any(c => c.Type == TransmogColumnType.Decimal)) ?? false);
        _inferDates = options.InferDates && !options.StringifyValues;
        _idFieldUtf8 = Encoding.UTF8.GetBytes(options.IdField);
        _documentOptions = documentOptions;
        _readerOptions = new JsonReaderOptions
        {
            AllowTrailingCommas = documentOptions.AllowTrailingCommas,
            CommentHandling = documentOptions.CommentHandling,
            MaxDepth = documentOptions.MaxDepth,
        };
        var reserved = new List<string> { options.IdField };
        if (options.TimeField is not null)
        {
            reserved.Add(options.TimeField);
        }

        AddInputMetadata(reserved, options);

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

    /// <summary>The tables the current record wrote rows to (to commit or roll back their <see cref="TableTarget.Rows"/>).</summary>
    public List<TableTarget> Touched { get; } = [];

    /// <summary>Forgets the rows the current record wrote (it failed, or is rejected).</summary>
    public void RollBackRecord()
    {
        foreach (TableTarget t in Touched)
        {
            t.Rows.Rollback();
        }

        Touched.Clear();
        _pendingCount = 0;
    }

    /// <summary>
    /// From now on, writes a table's rows into the buffer <paramref name="rowsFor"/> gives (asked once per table),
    /// as part of chunk number <paramref name="chunk"/> (the order in which parallel flatteners may grow the schema).
    /// Without a call, rows go into each table's own <see cref="TableModel.Rows"/>.
    /// </summary>
    public void Bind(Func<TableModel, RowBuffer> rowsFor, long chunk)
    {
        _rowsFor = rowsFor;
        _chunk = chunk;
        _binding++;
    }

    /// <summary>
    /// Flattens one record. Throws <see cref="TransmogInputException"/> for a record that is not valid JSON or cannot
    /// be flattened without loss.
    /// </summary>
    public void Flatten(in RawRecord record)
    {
        _record = record;
        _recordStamp++;
        Touched.Clear();
        _pendingCount = 0;
        ReadOnlySpan<byte> json = record.Utf8.Span;

        // One vectorized check of the whole record spares a check per string; only a record that fails it is
        // checked string by string, to name the bad one.
        _recordIsValidUtf8 = Utf8.IsValid(json);
        var reader = new Utf8JsonReader(json, isFinalBlock: true, new JsonReaderState(_readerOptions));
        try
        {
            if (!reader.Read())
            {
                throw new TransmogInputException("Expected JSON object, got nothing", record.Position);
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new TransmogInputException($"Expected JSON object, got {RecordReader.Describe(reader.TokenType)}", record.Position);
            }

            if (IsEmpty(reader))
            {
                // An empty object produces no row (as in Python transmog).
                reader.Skip();
            }
            else
            {
                RowId id = _natural ? NaturalRootId(reader) : new RowId(RootId(record));
                FlattenRow(Target(_registry.Main), ref reader, id, parentId: default, rootId: id, arrayIndex: -1, depth: 0, hasParent: false);
            }

            if (reader.Read())
            {
                throw ErrorAt(reader.TokenStartIndex, "Unexpected content after the record's object");
            }

            ApplyPending();
        }
        catch (JsonException ex)
        {
            throw RecordParser.SyntaxError(ex, record);
        }
    }

    private Guid RootId(in RawRecord record)
    {
        if (_positionIds)
        {
            return IdFactory.Position(record.File ?? _ids.SourceName, record.ByteOffset);
        }

        if (!_hashIds)
        {
            return _ids.Root(default, record.Number);
        }

        using JsonDocument document = JsonDocument.Parse(record.Utf8, _documentOptions);
        return _ids.Root(document.RootElement, record.Number);
    }

    private RowId NaturalRootId(Utf8JsonReader reader)
    {
        if (!FindOwnId(reader, out RowId id, out long at))
        {
            if (at < 0)
            {
                throw new TransmogInputException(
                    $"Strategy 'natural' requires field '{_options.IdField}' in record, but it was not found",
                    _record.Position);
            }

            throw ErrorAt(at, $"Strategy 'natural' requires a non-empty scalar '{_options.IdField}', but found {DescribeAt(at)}");
        }

        return id;
    }

    /// <summary>
    /// Reads ahead (on a copy of the reader, at an object's start) for the object's own id field.
    /// </summary>
    /// <param name="reader">A copy positioned at StartObject.</param>
    /// <param name="id">The natural id, when the field holds a usable value.</param>
    /// <param name="at">Where the field's value starts, or -1 when there is no such field.</param>
    private bool FindOwnId(Utf8JsonReader reader, out RowId id, out long at)
    {
        id = default;
        at = -1;
        int depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            bool match = reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals(_idFieldUtf8);
            reader.Read();
            if (match)
            {
                at = reader.TokenStartIndex;
                RowId? natural = NaturalId(ref reader);
                if (natural is { } value)
                {
                    id = value;
                    return true;
                }

                return false;
            }

            reader.Skip();
        }

        return false;
    }

    /// <summary>
    /// An escaped string's text. System.Text.Json throws <see cref="InvalidOperationException"/> for text it cannot
    /// decode (an escaped lone surrogate): that is bad input, reported as a format error of the id.
    /// </summary>
    private static string Unescaped(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw new FormatException("Invalid string: " + RecordReader.FirstSentence(ex.Message), ex);
        }
    }

    private static RowId? NaturalId(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String when reader.ValueSpan.Length > 0:
                return new RowId(CellKind.String, reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(Unescaped(ref reader)) : reader.ValueSpan.ToArray());
            case JsonTokenType.Number:
                return new RowId(CellKind.Number, reader.ValueSpan.ToArray());
            case JsonTokenType.True:
                return new RowId(CellKind.True, []);
            case JsonTokenType.False:
                return new RowId(CellKind.False, []);
            default:
                return null;
        }
    }

    private void FlattenRow(TableTarget table, ref Utf8JsonReader reader, in RowId id, in RowId parentId, in RowId rootId, long arrayIndex, int depth, bool hasParent)
    {
        RowBuffer rows = Touch(table);
        rows.BeginRow();
        table.RowGeneration++;
        bool idWritten = FlattenObject(table, table.Root, ref reader, depth, id, rootId);
        WriteMetadata(table, id, parentId, rootId, arrayIndex, hasParent, idWritten);
        rows.EndRow();
    }

    /// <summary>This flattener's side of a table.</summary>
    private TableTarget Target(TableModel table)
    {
        int index = table.Index;
        if (index >= _targets.Length)
        {
            Array.Resize(ref _targets, Math.Max(_targets.Length * 2, index + 1));
        }

        return _targets[index] ??= new TableTarget(table);
    }

    /// <summary>Notes that the current record writes to the table; returns where its rows go.</summary>
    private RowBuffer Touch(TableTarget table)
    {
        if (table.TouchedByRecord != _recordStamp)
        {
            table.TouchedByRecord = _recordStamp;
            Touched.Add(table);
            if (table.Binding != _binding)
            {
                table.Rows = _rowsFor(table.Model);
                table.Binding = _binding;
            }
        }

        return table.Rows;
    }

    /// <summary>
    /// Flattens the members of the object at the reader (StartObject) into the current row of
    /// <paramref name="table"/>, leaving the reader at its EndObject; returns whether a natural id was written as data.
    /// </summary>
    private bool FlattenObject(TableTarget table, PathNode node, ref Utf8JsonReader reader, int depth, in RowId id, in RowId rootId)
    {
        bool idWritten = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            PathNode child = Child(table, node, ref reader);
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    if (depth + 1 < _options.MaxDepth)
                    {
                        // An empty object needs no test: it has no member to flatten.
                        idWritten |= FlattenObject(table, child, ref reader, depth + 1, id, rootId);
                    }
                    else if (IsEmpty(reader))
                    {
                        reader.Skip();
                    }
                    else
                    {
                        // Python drops what lies below max_depth; we keep it, as JSON text under its path.
                        WriteJson(table, child, ref reader);
                    }

                    break;
                case JsonTokenType.StartArray:
                    FlattenArray(table, child, ref reader, depth, id, rootId);
                    break;
                default:
                    idWritten |= WriteScalar(table, child, ref reader);
                    break;
            }
        }

        return idWritten;
    }

    private void FlattenArray(TableTarget table, PathNode node, ref Utf8JsonReader reader, int depth, in RowId id, in RowId rootId)
    {
        if (IsEmpty(reader))
        {
            reader.Skip();
            return;
        }

        switch (_options.ArrayMode)
        {
            case ArrayMode.Skip:
                reader.Skip();
                return;
            case ArrayMode.Inline:
                WriteJson(table, node, ref reader);
                return;
            case ArrayMode.Smart when !HoldsObject(in reader):
                WriteJson(table, node, ref reader);
                return;
        }

        if (depth + 1 >= _options.MaxDepth)
        {
            // Items would sit below MaxDepth: the whole array is kept as JSON text, as deeper objects are.
            WriteJson(table, node, ref reader);
            return;
        }

        long arrayStart = reader.TokenStartIndex;
        TableModel childTable = node.ChildTable ?? ChildTable(table.Model, node, arrayStart);
        if (_cacheBudget > 0 || node.ChildTable is not null)
        {
            node.ChildTable = childTable;
        }

        TableTarget child = Target(childTable);
        long index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            FlattenItem(child, ref reader, id, rootId, index, depth + 1);
            index++;
        }
    }

    /// <summary>The child table of the array at <paramref name="node"/>, added to the schema if new (in input order).</summary>
    private TableModel ChildTable(TableModel table, PathNode node, long arrayStart)
    {
        TableModel? childTable;
        lock (_registry.SyncRoot)
        {
            childTable = _registry.FindChild(table, node);
            if (childTable is null && !_registry.Frozen)
            {
                _gate?.WaitForTurn(_chunk);
                childTable = _registry.GetOrAddChild(table, node);
            }
        }

        if (childTable is null && !_registry.Frozen)
        {
            throw ErrorAt(arrayStart, $"The input would need more than {_options.MaxTables} tables (MaxTables)");
        }

        if (childTable is null)
        {
            throw DriftError(table, table.ChildNamePrefix + "_" + node.TableNamePart,
                $"Table '{table.ChildNamePrefix}_{node.TableNamePart}' (array '{node.ColumnName}' of table '{table.Name}') is not in the schema", arrayStart);
        }

        return childTable;
    }

    /// <summary>One array item at the reader; leaves the reader on the item's last token.</summary>
    private void FlattenItem(TableTarget table, ref Utf8JsonReader reader, in RowId parentId, in RowId rootId, long index, int depth)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                if (!_options.IncludeNulls && IsEmpty(reader))
                {
                    // As in Python transmog 2.0.4: an empty object item makes a row (of metadata only) only with IncludeNulls.
                    reader.Skip();
                    return;
                }

                RowId itemId = _natural && FindOwnId(reader, out RowId own, out _)
                    ? own
                    : new RowId(IdFactory.Child(parentId, table.Model.NameUtf8, index));
                FlattenRow(table, ref reader, itemId, parentId, rootId, index, depth, hasParent: true);
                return;
            case JsonTokenType.Null when !_options.IncludeNulls:
            case JsonTokenType.String when !_options.IncludeNulls && reader.ValueSpan.Length == 0:
                // A null or "" primitive item makes no row unless IncludeNulls (as in Python transmog 2.0.4).
                return;
        }

        // A primitive item, or an inner array: a row with one 'value' column.
        RowId id = new(IdFactory.Child(parentId, table.Model.NameUtf8, index));
        RowBuffer rows = Touch(table);
        rows.BeginRow();
        table.RowGeneration++;
        PathNode valueNode = table.ValueNode ??= new PathNode(MetadataNames.Value, MetadataNames.Value, 1);
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            // An inner array is kept as its JSON text, an empty one too: "[]" (as in Python transmog 2.0.4).
            WriteJson(table, valueNode, ref reader);
        }
        else
        {
            WriteScalar(table, valueNode, ref reader);
        }

        WriteMetadata(table, id, parentId, rootId, index, hasParent: true, idWritten: false);
        rows.EndRow();
    }

    /// <summary>Writes the string, number, boolean or null at the reader; returns whether it was the natural id.</summary>
    private bool WriteScalar(TableTarget table, PathNode node, ref Utf8JsonReader reader)
    {
        bool isId = _natural && node.Depth == 1 && string.Equals(node.ColumnName, _options.IdField, StringComparison.Ordinal);
        ReadOnlySpan<byte> value = reader.ValueSpan;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
            case JsonTokenType.String when value.Length == 0:
                if (_options.IncludeNulls)
                {
                    Resolve(table, node, reader.TokenStartIndex, isId);
                }

                return false;
            case JsonTokenType.String:
                WriteString(table, node, ref reader, isId);
                return isId;
            case JsonTokenType.Number:
                if (_options.StringifyValues)
                {
                    WriteText(table, node, reader.TokenStartIndex, CellKind.String, ValueKinds.String, value, isId);
                }
                else
                {
                    WriteText(table, node, reader.TokenStartIndex, CellKind.Number, TypeInference.ClassifyNumber(value, _checkDecimal), value, isId);
                }

                return isId;
            case JsonTokenType.True:
            case JsonTokenType.False:
                bool b = reader.TokenType == JsonTokenType.True;
                if (_options.StringifyValues)
                {
                    WriteText(table, node, reader.TokenStartIndex, CellKind.String, ValueKinds.String, b ? "true"u8 : "false"u8, isId);
                }
                else
                {
                    WriteText(table, node, reader.TokenStartIndex, b ? CellKind.True : CellKind.False, ValueKinds.Boolean, default, isId);
                }

                return isId;
        }

        return false;
    }

    private void WriteString(TableTarget table, PathNode node, ref Utf8JsonReader reader, bool isId)
    {
        long at = reader.TokenStartIndex;
        ReadOnlySpan<byte> content = reader.ValueSpan;
        ColumnModel column = Resolve(table, node, at, isId);

        // Dates are looked for while the column's type is open (inference) or where a fixed type is one of them.
        bool dates = !isId && (column.FixedType is { } type ? TypeInference.IsTemporal(type) : _inferDates);
        RowBuffer rows = table.Rows;
        if (!reader.ValueIsEscaped)
        {
            Accept(table.Model, column, dates ? IsoDateTime.Classify(content) : ValueKinds.String, content.Length, at);
            if (!_recordIsValidUtf8 && !Utf8.IsValid(content))
            {
                throw ErrorAt(at, "Invalid UTF-8 in a string");
            }

            rows.WriteCell(column.Index, CellKind.String, content);
            return;
        }

        if (!dates)
        {
            Accept(table.Model, column, ValueKinds.String, content.Length, at);
        }

        // Escaped: unescape straight into the row (never longer than the escaped text).
        Span<byte> destination = rows.WriteCell(column.Index, CellKind.String, content.Length);
        int written;
        try
        {
            written = reader.CopyString(destination);
        }
        catch (InvalidOperationException ex)
        {
            throw ErrorAt(at, "Invalid string: " + RecordReader.FirstSentence(ex.Message));
        }

        if (!Utf8.IsValid(destination[..written]))
        {
            throw ErrorAt(at, "Invalid UTF-8 in a string (an escaped lone surrogate?)");
        }

        if (dates)
        {
            // Classified once unescaped (a failed check leaves the record, and its half-written row, to the caller).
            Accept(table.Model, column, IsoDateTime.Classify(destination[..written]), content.Length, at);
        }

        rows.TrimLastCell(content.Length, written);
    }

    private void WriteText(TableTarget table, PathNode node, long at, CellKind kind, ValueKinds kinds, ReadOnlySpan<byte> text, bool isId)
    {
        ColumnModel column = Resolve(table, node, at, isId);
        Accept(table.Model, column, kinds, text.Length, at);
        table.Rows.WriteCell(column.Index, kind, text);
    }

    /// <summary>Writes the object or array at the reader as compact JSON text, leaving the reader at its end.</summary>
    private void WriteJson(TableTarget table, PathNode node, ref Utf8JsonReader reader)
    {
        long start = reader.TokenStartIndex;
        ColumnModel column = Resolve(table, node, start, isId: false);
        reader.Skip();
        ReadOnlySpan<byte> raw = _record.Utf8.Span[(int)start..(int)reader.BytesConsumed];
        RowBuffer rows = table.Rows;
        Span<byte> destination = rows.WriteCell(column.Index, CellKind.Json, raw.Length);
        // The raw text as it is, less whitespace (and comments and trailing commas where allowed): never longer.
        int written = _options.AllowComments || _options.AllowTrailingCommas
            ? CompactJson.WriteLenient(raw, destination)
            : CompactJson.Write(raw, destination);
        rows.TrimLastCell(raw.Length, written);
        Accept(table.Model, column, ValueKinds.Json, written, start);
    }

    private void WriteMetadata(TableTarget table, in RowId id, in RowId parentId, in RowId rootId, long arrayIndex, bool hasParent, bool idWritten)
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
                Accept(table.Model, column, ValueKinds.Int64, length, -1);
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
            Accept(table.Model, column, ValueKinds.Timestamp, 26, -1);
            table.Rows.WriteCell(column.Index, CellKind.Timestamp, 0);
        }

        if (!hasParent)
        {
            WriteInputMetadata(table);
        }
    }

    private void WriteId(TableTarget table, string name, TransmogColumnRole role, in RowId id)
    {
        ColumnModel column = MetadataColumn(table, name, role);
        Span<byte> data = table.Rows.WriteCell(column.Index, id.Kind, id.Length);
        id.CopyTo(data, out _);
        ValueKinds kinds = id.Kind switch
        {
            CellKind.Guid => ValueKinds.Guid,
            CellKind.String => ValueKinds.String,
            CellKind.Number => TypeInference.ClassifyNumber(data, _checkDecimal),
            _ => ValueKinds.Boolean,
        };
        Accept(table.Model, column, kinds, id.Kind == CellKind.Guid ? 36 : id.Length, -1);
    }

    private ColumnModel MetadataColumn(TableTarget target, string name, TransmogColumnRole role)
    {
        // Metadata columns are looked up on every row: cached on the table by role.
        TableModel table = target.Model;
        if (table.MetadataColumn(role) is { } cached)
        {
            return cached;
        }

        lock (_registry.SyncRoot)
        {
            ColumnModel? column = table.Find(name);
            if (column is null)
            {
                if (table.Frozen)
                {
                    throw DriftError(table, name, $"Column '{name}' of table '{table.Name}' is not in the schema", -1);
                }

                _gate?.WaitForTurn(_chunk);
                column = table.Find(name) ?? table.Add(name, role);
            }

            table.SetMetadataColumn(role, column);
            return column;
        }
    }

    /// <summary>Finds or creates the column for a path and stamps it for the current row (a second write is a conflict).</summary>
    private ColumnModel Resolve(TableTarget target, PathNode node, long at, bool isId)
    {
        ColumnModel column = node.Column ?? Column(target.Model, node, at, isId);
        if (!column.Accepted)
        {
            // A null kept by IncludeNulls writes no kind: the column still counts once its record is accepted.
            Pend(column, ValueKinds.None, 0);
        }

        if (!target.Stamp(column.Index) && !_options.LastWriteWins)
        {
            TableModel table = target.Model;
            string second = PathAt(at);
            string first = FirstPathProducing(column.Name, second) ?? "?";
            throw ErrorAt(at,
                $"Two paths of one record produce column '{column.Name}' of table '{table.Name}': '{first}' and '{second}'. " +
                "Set LastWriteWins to keep the last value, or choose another Separator");
        }

        return column;
    }

    /// <summary>The column of a path this flattener has not resolved before: found in the schema, or added in input order.</summary>
    private ColumnModel Column(TableModel table, PathNode node, long at, bool isId)
    {
        ColumnModel? column;
        lock (_registry.SyncRoot)
        {
            column = table.Find(node.ColumnName);
            if (column is null)
            {
                if (table.Frozen)
                {
                    throw DriftError(table, node.ColumnName, $"Column '{node.ColumnName}' of table '{table.Name}' is not in the schema", at);
                }

                _gate?.WaitForTurn(_chunk);
                column = table.Find(node.ColumnName);
                if (column is null)
                {
                    if (table.Columns.Count >= _options.MaxColumns)
                    {
                        throw ErrorAt(at, $"Table '{table.Name}' would get more than {_options.MaxColumns} columns (MaxColumns)");
                    }

                    column = table.Add(node.ColumnName, isId ? TransmogColumnRole.Id : TransmogColumnRole.Data);
                }
            }

            column.SeenAsData = true;
        }

        node.Column = column;
        return column;
    }

    /// <summary>Checks a value's kinds against the column: widens it, or under a fixed schema checks it fits.</summary>
    private void Accept(TableModel table, ColumnModel column, ValueKinds kinds, int length, long at)
    {
        if (column.FixedType is { } type)
        {
            if (!TypeInference.Fits(type, kinds))
            {
                throw DriftError(table, column.Name, $"A value of column '{column.Name}' of table '{table.Name}' does not fit its type {type}", at);
            }

            kinds = ValueKinds.None;
        }

        // What a value adds to its column counts only once its record is accepted: a record rejected later (a
        // duplicate key, a path collision, invalid UTF-8 further on) must not widen a type. Most values add nothing.
        if ((column.Seen & kinds) == kinds && length <= column.MaxLength && column.Accepted)
        {
            return;
        }

        Pend(column, kinds, length);
    }

    private void Pend(ColumnModel column, ValueKinds kinds, int length)
    {
        if (_pendingCount == _pending.Length)
        {
            Array.Resize(ref _pending, _pending.Length * 2);
        }

        _pending[_pendingCount++] = (column, kinds, length);
    }

    /// <summary>Applies what the accepted record's values add to their columns.</summary>
    private void ApplyPending()
    {
        for (int i = 0; i < _pendingCount; i++)
        {
            (ColumnModel column, ValueKinds kinds, int length) = _pending[i];
            column.Widen(kinds, length);
            if (!column.Accepted)
            {
                column.Accepted = true;
            }
        }

        _pendingCount = 0;
    }

    private PathNode Child(TableTarget table, PathNode node, ref Utf8JsonReader reader)
    {
        ReadOnlySpan<byte> rawKey = reader.ValueSpan;
        PathNode? child = node.Find(rawKey);
        if (child is not null)
        {
            return child;
        }

        string key;
        try
        {
            key = reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw ErrorAt(reader.TokenStartIndex, "Invalid key: " + RecordReader.FirstSentence(ex.Message));
        }

        string columnName = node.ColumnName.Length == 0 ? key : node.ColumnName + _options.Separator + key;
        if (columnName.Length == 0)
        {
            // A column needs a name: an empty key at a row's root is named as Python names an empty table key.
            columnName = "unnamed_field";
        }
        if (node.Depth == 0)
        {
            columnName = RenameReserved(table.Model, columnName);
        }

        string part = node.TableNamePart.Length == 0 ? NameSanitizer.Sanitize(key) : node.TableNamePart + "_" + NameSanitizer.Sanitize(key);
        child = new PathNode(columnName, part, node.Depth + 1);
        if (_cacheBudget > 0)
        {
            _cacheBudget--;
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

    /// <summary>Whether the object or array at the reader is empty: the next byte that is not whitespace closes it.</summary>
    private bool IsEmpty(in Utf8JsonReader reader)
    {
        if (!_options.AllowComments)
        {
            ReadOnlySpan<byte> rest = _record.Utf8.Span[(int)reader.BytesConsumed..];
            int next = rest.IndexOfAnyExcept(" \t\r\n"u8);
            return next >= 0 && rest[next] is (byte)'}' or (byte)']';
        }

        // A comment may come first: read ahead on a copy of the reader.
        return IsEmptyReadingAhead(reader);
    }

    private static bool IsEmptyReadingAhead(Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray;
    }

    /// <summary>Whether the array at the reader holds at least one object (reads ahead on a copy).</summary>
    private bool HoldsObject(in Utf8JsonReader reader)
    {
        if (!_options.AllowComments)
        {
            // Most arrays of objects say so at their first byte: no need to read ahead.
            ReadOnlySpan<byte> rest = _record.Utf8.Span[(int)reader.BytesConsumed..];
            int next = rest.IndexOfAnyExcept(" \t\r\n"u8);
            if (next >= 0 && rest[next] == (byte)'{')
            {
                return true;
            }
        }

        return HoldsObjectReadingAhead(reader);
    }

    private static bool HoldsObjectReadingAhead(Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.StartObject)
            {
                return true;
            }

            reader.Skip();
        }

        return false;
    }

    private TransmogException DriftError(TableModel table, string column, string reason, long at) =>
        new TransmogSchemaDriftException(reason, PositionAt(at), table.Name, column);

    private TransmogInputException ErrorAt(long at, string reason) => new(reason, PositionAt(at));

    /// <summary>The position of a byte of the current record (-1: the record itself), with its JSON path.</summary>
    private SourcePosition PositionAt(long at)
    {
        if (at < 0)
        {
            return _record.Position;
        }

        ReadOnlySpan<byte> before = _record.Utf8.Span[..(int)at];
        int newlines = before.Count((byte)'\n');
        long line = _record.Line + newlines;
        long column = newlines == 0 ? _record.Column + at : before.Length - before.LastIndexOf((byte)'\n');
        return new SourcePosition(line, column, _record.ByteOffset + at, _record.Number, PathAt(at)) { File = _record.File };
    }

    /// <summary>The JSON path of the value starting at a byte of the record (error path only: parses the record).</summary>
    private string PathAt(long at)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(_record.Utf8, _documentOptions);
            return JsonPaths.Find(document.RootElement, _record.Path, (int)at, _record.Utf8.Span);
        }
        catch (JsonException)
        {
            return _record.Path;
        }
    }

    /// <summary>The other path of a conflict: the first path in this record whose column name is the same.</summary>
    private string? FirstPathProducing(string columnName, string except)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(_record.Utf8, _documentOptions);
            return JsonPaths.FirstProducing(document.RootElement, _record.Path, columnName, _options.Separator, except);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string DescribeString(ref Utf8JsonReader reader)
    {
        try
        {
            return "\"" + reader.GetString() + "\"";
        }
        catch (InvalidOperationException)
        {
            // Text that cannot be decoded is described, not decoded.
            return "a string";
        }
    }

    private string DescribeAt(long at)
    {
        var reader = new Utf8JsonReader(_record.Utf8.Span[(int)at..], new JsonReaderOptions { AllowMultipleValues = true });
        reader.Read();
        return reader.TokenType switch
        {
            JsonTokenType.String => DescribeString(ref reader),
            _ => RecordReader.Describe(reader.TokenType),
        };
    }
}
