using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Transmog.Data.Schema;

/// <summary>The shard of an input a schema was read from: task <see cref="Index"/> (0-based) of <see cref="Count"/>.</summary>
internal readonly record struct SchemaShard(int Index, int Count);

/// <summary>
/// The schema file: a versioned JSON document that users may read and edit (README, "Schema files").
/// <code>
/// { "format": "transmog-schema", "version": 1, "entity": "orders", "realNumbers": "double",
///   "shard": { "index": 0, "count": 4 },
///   "tables": [
///     { "name": "orders", "rows": 120, "columns": [
///         { "name": "price", "type": "double", "seen": ["int64", "real"], "maxLength": 7 },
///         { "name": "_id", "type": "guid", "role": "id" } ] },
///     { "name": "orders_items", "parent": "orders", "array": "items", "rows": 300, "columns": [ ... ] } ] }
/// </code>
/// Names of types, roles and value kinds are the enum names in kebab case (<c>date-time</c>, <c>parent-id</c>,
/// <c>big-integer</c>), read in any case, with or without the dashes. Reading allows comments and trailing commas;
/// a property this version does not know is an error (a misspelt key is never ignored), except <c>comment</c>.
/// </summary>
internal static class SchemaFile
{
    public const string Format = "transmog-schema";
    public const int Version = 1;

    // Relaxed escaping keeps names readable in the file (it is never embedded in HTML).
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the file under a temporary name beside it, then renames it over <paramref name="path"/>.</summary>
    public static void Save(TransmogSchema schema, string path)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Write(schema).Span);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The file's text as UTF-8: the header's properties one per line, then each table on a line, each of its columns on one line.</summary>
    public static ReadOnlyMemory<byte> Write(TransmogSchema schema)
    {
        var text = new StringBuilder();
        text.Append("{\n");
        text.Append("  \"format\": ").Append(Compact(w => w.WriteStringValue(Format))).Append(",\n");
        text.Append("  \"version\": ").Append(Version.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(",\n");
        text.Append("  \"entity\": ").Append(Compact(w => w.WriteStringValue(schema.Tables[0].Name))).Append(",\n");
        text.Append("  \"realNumbers\": ").Append(Compact(w => w.WriteStringValue(Kebab(schema.RealNumbers.ToString())))).Append(",\n");
        if (schema.Shard is { } shard)
        {
            text.Append("  \"shard\": ").Append(Compact(w =>
            {
                w.WriteStartObject();
                w.WriteNumber("index", shard.Index);
                w.WriteNumber("count", shard.Count);
                w.WriteEndObject();
            })).Append(",\n");
        }

        text.Append("  \"tables\": [\n");
        for (int t = 0; t < schema.Tables.Count; t++)
        {
            TransmogTable table = schema.Tables[t];
            string header = Compact(w =>
            {
                w.WriteStartObject();
                w.WriteString("name", table.Name);
                if (table.ParentName is { } parent)
                {
                    w.WriteString("parent", parent);
                }

                if (table.ArrayName is { } array)
                {
                    w.WriteString("array", array);
                }

                if (table.RowCount is { } rows)
                {
                    w.WriteNumber("rows", rows);
                }

                w.WriteEndObject();
            });
            text.Append("    ").Append(header.AsSpan(0, header.Length - 1)).Append(", \"columns\": [");
            for (int c = 0; c < table.Columns.Count; c++)
            {
                text.Append(c == 0 ? "\n" : ",\n").Append("      ").Append(WriteColumn(table.Columns[c]));
            }

            text.Append(table.Columns.Count == 0 ? "]}" : "\n    ]}").Append(t == schema.Tables.Count - 1 ? "\n" : ",\n");
        }

        text.Append("  ]\n}\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>One value as compact JSON text (non-ASCII kept as it is, for editing).</summary>
    private static string Compact(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string WriteColumn(TransmogColumn column) => Compact(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("name", column.Name);
        writer.WriteString("type", Kebab(column.Type.ToString()));
        if (column.Role != TransmogColumnRole.Data)
        {
            writer.WriteString("role", Kebab(column.Role.ToString()));
        }

        if (column.FromInput)
        {
            writer.WriteBoolean("fromInput", true);
        }

        writer.WriteStartArray("seen");
        foreach (ValueKinds kind in SingleKinds)
        {
            if ((column.Seen & kind) != 0)
            {
                writer.WriteStringValue(Kebab(kind.ToString()));
            }
        }

        writer.WriteEndArray();
        if (column.MaxLength > 0)
        {
            writer.WriteNumber("maxLength", column.MaxLength);
        }

        writer.WriteEndObject();
    });

    /// <summary>Reads and validates a schema file.</summary>
    /// <exception cref="ArgumentException">It is not a valid schema file: the message names the file, the table and column, and the problem.</exception>
    public static TransmogSchema Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw new ArgumentException($"Schema file '{path}' does not exist.");
        }
        catch (DirectoryNotFoundException)
        {
            throw new ArgumentException($"Schema file '{path}' does not exist.");
        }

        return Read(bytes, path);
    }

    /// <summary>Reads and validates a schema file's text; <paramref name="path"/> names it in errors.</summary>
    public static TransmogSchema Read(ReadOnlyMemory<byte> utf8, string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"Schema file '{path}' is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement);
            }
            catch (SchemaFileException ex)
            {
                throw new ArgumentException($"Schema file '{path}': {ex.Message}");
            }
            catch (ArgumentException ex)
            {
                // The tables' and the schema's own checks (two columns of one name, a parent not listed before).
                throw new ArgumentException($"Schema file '{path}': {ex.Message}");
            }
        }
    }

    private static TransmogSchema Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaFileException("the document is not a JSON object.");
        }

        Known(root, "the document", "format", "version", "entity", "realNumbers", "shard", "tables");
        if (!root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
        {
            throw new SchemaFileException($"\"format\" must be \"{Format}\" (is this a schema file?).");
        }

        if (!root.TryGetProperty("version", out JsonElement version) || !version.TryGetInt32(out int v))
        {
            throw new SchemaFileException("\"version\" is missing or not an integer.");
        }

        if (v != Version)
        {
            throw new SchemaFileException($"version {v} is not supported: this version of Transmog.Data reads version {Version}.");
        }

        TransmogColumnType reals = TransmogColumnType.Double;
        if (root.TryGetProperty("realNumbers", out JsonElement realsText))
        {
            reals = ParseName<TransmogColumnType>(String(realsText, "realNumbers"), "realNumbers", "a type");
            if (reals is not (TransmogColumnType.Double or TransmogColumnType.Decimal))
            {
                throw new SchemaFileException($"\"realNumbers\" must be double or decimal, not '{realsText.GetString()}'.");
            }
        }

        SchemaShard? shard = null;
        if (root.TryGetProperty("shard", out JsonElement shardElement) && shardElement.ValueKind != JsonValueKind.Null)
        {
            if (shardElement.ValueKind != JsonValueKind.Object)
            {
                throw new SchemaFileException("\"shard\" must be an object with \"index\" and \"count\".");
            }

            Known(shardElement, "\"shard\"", "index", "count");
            int count = Integer(shardElement, "count", "\"shard\"") ?? throw new SchemaFileException("\"shard\" needs \"count\".");
            int index = Integer(shardElement, "index", "\"shard\"") ?? throw new SchemaFileException("\"shard\" needs \"index\".");
            if (count < 1 || index < 0 || index >= count)
            {
                throw new SchemaFileException($"\"shard\" index {index} of count {count}: the index must be 0 to count - 1.");
            }

            shard = new SchemaShard(index, count);
        }

        if (!root.TryGetProperty("tables", out JsonElement tablesElement) || tablesElement.ValueKind != JsonValueKind.Array || tablesElement.GetArrayLength() == 0)
        {
            throw new SchemaFileException("\"tables\" must be an array holding at least the main table.");
        }

        var tables = new List<TransmogTable>();
        foreach (JsonElement t in tablesElement.EnumerateArray())
        {
            tables.Add(ReadTable(t, tables.Count, reals));
        }

        if (root.TryGetProperty("entity", out JsonElement entity) && String(entity, "entity") != tables[0].Name)
        {
            throw new SchemaFileException(
                $"\"entity\" is '{entity.GetString()}' but the main (first) table is '{tables[0].Name}': rename both, or neither.");
        }

        var schema = new TransmogSchema(tables) { RealNumbers = reals, Shard = shard };
        schema.Validate();
        return schema;
    }

    private static TransmogTable ReadTable(JsonElement t, int index, TransmogColumnType reals)
    {
        string where = $"table {index + 1}";
        if (t.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaFileException($"{where} is not a JSON object.");
        }

        string name = t.TryGetProperty("name", out JsonElement n) ? String(n, "name", where) : throw new SchemaFileException($"{where} has no \"name\".");
        where = $"table '{name}'";
        Known(t, where, "name", "parent", "array", "rows", "columns");
        string? parent = t.TryGetProperty("parent", out JsonElement p) && p.ValueKind != JsonValueKind.Null ? String(p, "parent", where) : null;
        string? array = t.TryGetProperty("array", out JsonElement a) && a.ValueKind != JsonValueKind.Null ? String(a, "array", where) : null;
        if (index == 0 && (parent is not null || array is not null))
        {
            throw new SchemaFileException($"{where} is the main (first) table: it has no \"parent\" or \"array\".");
        }

        if (index > 0 && parent is null)
        {
            throw new SchemaFileException($"{where} needs a \"parent\" (only the first table is the main table).");
        }

        long? rows = null;
        if (t.TryGetProperty("rows", out JsonElement r) && r.ValueKind != JsonValueKind.Null)
        {
            rows = r.TryGetInt64(out long count) && count >= 0 ? count : throw new SchemaFileException($"{where}: \"rows\" must be a non-negative integer.");
        }

        if (!t.TryGetProperty("columns", out JsonElement columnsElement) || columnsElement.ValueKind != JsonValueKind.Array)
        {
            throw new SchemaFileException($"{where} needs \"columns\", an array.");
        }

        var columns = new List<TransmogColumn>();
        foreach (JsonElement c in columnsElement.EnumerateArray())
        {
            columns.Add(ReadColumn(c, where, columns.Count, reals));
        }

        return new TransmogTable(name, columns, parent, rows, array);
    }

    private static TransmogColumn ReadColumn(JsonElement c, string table, int index, TransmogColumnType reals)
    {
        string where = $"{table}, column {index + 1}";
        if (c.ValueKind != JsonValueKind.Object)
        {
            throw new SchemaFileException($"{where} is not a JSON object.");
        }

        string name = c.TryGetProperty("name", out JsonElement n) ? String(n, "name", where) : throw new SchemaFileException($"{where} has no \"name\".");
        where = $"{table}, column '{name}'";
        Known(c, where, "name", "type", "role", "fromInput", "seen", "maxLength");
        string typeText = c.TryGetProperty("type", out JsonElement t) ? String(t, "type", where) : throw new SchemaFileException($"{where} has no \"type\".");
        TransmogColumnType type = ParseName<TransmogColumnType>(typeText, where, "type");
        TransmogColumnRole role = c.TryGetProperty("role", out JsonElement r) && r.ValueKind != JsonValueKind.Null
            ? ParseName<TransmogColumnRole>(String(r, "role", where), where, "role")
            : TransmogColumnRole.Data;
        bool fromInput = false;
        if (c.TryGetProperty("fromInput", out JsonElement f))
        {
            fromInput = f.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False or JsonValueKind.Null => false,
                _ => throw new SchemaFileException($"{where}: \"fromInput\" must be true or false."),
            };
        }

        int maxLength = Integer(c, "maxLength", where) ?? 0;
        if (maxLength < 0)
        {
            throw new SchemaFileException($"{where}: \"maxLength\" must not be negative.");
        }

        ValueKinds seen = TypeInference.KindsOf(type);
        if (c.TryGetProperty("seen", out JsonElement s) && s.ValueKind != JsonValueKind.Null)
        {
            if (s.ValueKind != JsonValueKind.Array)
            {
                throw new SchemaFileException($"{where}: \"seen\" must be an array of value kinds.");
            }

            ValueKinds kinds = ValueKinds.None;
            foreach (JsonElement kind in s.EnumerateArray())
            {
                ValueKinds k = ParseName<ValueKinds>(String(kind, "seen", where), where, "value kind");
                if (!SingleKinds.Contains(k))
                {
                    throw new SchemaFileException($"{where}: '{kind.GetString()}' is not a value kind. The kinds: {string.Join(", ", SingleKinds.Select(x => Kebab(x.ToString())))}.");
                }

                kinds |= k;
            }

            // The type wins: kinds that resolve to another type (the type was edited) are widened to it, or else
            // replaced by the kinds the type stands for.
            if (kinds != ValueKinds.None && TypeInference.Resolve(kinds, reals) != type)
            {
                kinds |= TypeInference.KindsOf(type);
            }

            seen = kinds != ValueKinds.None && TypeInference.Resolve(kinds, reals) == type ? kinds : TypeInference.KindsOf(type);
        }

        return new TransmogColumn(name, type, role, ordinal: -1, maxLength, seen, fromInput && role != TransmogColumnRole.Data);
    }

    /// <summary>The flags of <see cref="ValueKinds"/> that are one kind each (not <c>None</c>, not the <c>Numbers</c> group), in bit order.</summary>
    internal static readonly ValueKinds[] SingleKinds =
        [.. Enum.GetValues<ValueKinds>().Where(k => k != ValueKinds.None && ((ushort)k & ((ushort)k - 1)) == 0).Order()];

    /// <summary><c>DateTime</c> → <c>date-time</c>, <c>Int64</c> → <c>int64</c>, <c>ParentId</c> → <c>parent-id</c>.</summary>
    internal static string Kebab(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && !char.IsUpper(name[i - 1]))
            {
                text.Append('-');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }

    /// <summary>An enum member by its name in any case, with or without <c>-</c>, <c>_</c> or spaces between the words.</summary>
    private static T ParseName<T>(string text, string where, string what)
        where T : struct, Enum
    {
        string wanted = text.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
        foreach (T value in Enum.GetValues<T>())
        {
            if (string.Equals(value.ToString(), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        IEnumerable<string> names = typeof(T) == typeof(ValueKinds)
            ? SingleKinds.Select(k => Kebab(k.ToString()))
            : Enum.GetNames<T>().Select(Kebab);
        throw new SchemaFileException($"{where}: unknown {what} '{text}'. Known: {string.Join(", ", names)}.");
    }

    private static string String(JsonElement value, string property, string? where = null)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
        {
            throw new SchemaFileException((where is null ? string.Empty : where + ": ") + $"\"{property}\" must be a non-empty string.");
        }

        return text;
    }

    private static int? Integer(JsonElement parent, string property, string where)
    {
        if (!parent.TryGetProperty(property, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number)
            ? number
            : throw new SchemaFileException($"{where}: \"{property}\" must be an integer.");
    }

    /// <summary>A property this version does not know is an error (so that a misspelt key is not silently ignored); <c>comment</c> is allowed anywhere.</summary>
    private static void Known(JsonElement element, string where, params ReadOnlySpan<string> names)
    {
        foreach (JsonProperty property in element.EnumerateObject())
        {
            if (property.Name != "comment" && !names.Contains(property.Name))
            {
                throw new SchemaFileException(
                    $"{where}: unknown property \"{property.Name}\" (known: {string.Join(", ", names.ToArray())}, comment).");
            }
        }
    }

    /// <summary>A problem in the file, turned into an <see cref="ArgumentException"/> that names the file.</summary>
    private sealed class SchemaFileException(string message) : Exception(message);
}
