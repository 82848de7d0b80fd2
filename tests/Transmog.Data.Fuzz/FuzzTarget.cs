using System.IO.Compression;

namespace Transmog.Data.Fuzz;

/// <summary>
/// The fuzz target: flattens one input with options chosen by a selector (one bit or bit field per option, see
/// <see cref="OptionsFor"/>) and reads every cell of every table. Only <see cref="TransmogException"/>s may escape
/// the library, and a JSON column must hold JSON text; anything else is a finding.
/// </summary>
public static class FuzzTarget
{
    private const int Recovery = 1 << 0;
    private const int ArrayModeShift = 1; // two bits
    private const int HashIds = 1 << 3;
    private const int Stringify = 1 << 4;
    private const int ShallowDepth = 1 << 5;
    private const int Gzipped = 1 << 6;
    private const int Nulls = 1 << 7;
    private const int Threads = 1 << 8;
    private const int Comments = 1 << 9;
    private const int TrailingCommas = 1 << 10;

    /// <summary>The number of selectors: every combination of the option bits.</summary>
    public const int Selectors = 1 << 11;

    /// <summary>Runs one input; returns a short signature of what happened (for feedback), or throws a finding.</summary>
    public static string Run(byte[] data, int selector)
    {
        TransmogOptions options = OptionsFor(selector);
        byte[] input = (selector & Gzipped) != 0 ? Gzip(data) : data;
        try
        {
            using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromBytes(input), "f", options);
            long cells = 0;
            foreach (FlattenedTable table in result.AllTables)
            {
                using TransmogDataReader reader = table.CreateReader();
                var values = new object[reader.FieldCount];
                while (reader.Read())
                {
                    cells += reader.GetValues(values);
                    for (int i = 0; i < reader.FieldCount; i++)
                    {
                        if (!reader.IsDBNull(i) && reader.GetFieldType(i) == typeof(string))
                        {
                            string text = reader.GetString(i);
                            if (table.Schema.Columns[i].Type == TransmogColumnType.Json)
                            {
                                CheckJson(table.Name, reader.GetName(i), text);
                            }
                        }
                    }
                }
            }

            return $"ok t{result.AllTables.Count} r{result.Rejects.Count} " + string.Join(",", result.Rejects.Select(r => Shape(r.Error)).Distinct().Order(StringComparer.Ordinal));
        }
        catch (TransmogException ex)
        {
            if (ex is TransmogInputException bad && (bad.Line < 0 || bad.Column < 0 || bad.ByteOffset < 0 || string.IsNullOrEmpty(bad.JsonPath)))
            {
                throw new FuzzFinding("TransmogInputException without a valid position: " + ex.Message, ex);
            }

            return ex.GetType().Name + " " + Shape(ex.Message);
        }
    }

    /// <summary>
    /// The options of a selector, one bit (or bit field) each: recovery (bit 0), array mode (bits 1-2), hash ids
    /// (3), stringify (4), max depth 3 (5), gzip input (6), include nulls (7), 3 threads in 64-byte chunks (8),
    /// comments (9), trailing commas (10).
    /// </summary>
    public static TransmogOptions OptionsFor(int selector) => new()
    {
        RecoveryMode = (selector & Recovery) != 0 ? RecoveryMode.Skip : RecoveryMode.Strict,
        ArrayMode = (ArrayMode)((selector >> ArrayModeShift) & 3),
        IdGeneration = (selector & HashIds) != 0 ? IdGeneration.Hash : IdGeneration.Random,
        StringifyValues = (selector & Stringify) != 0,
        MaxDepth = (selector & ShallowDepth) != 0 ? 3 : 100,
        IncludeNulls = (selector & Nulls) != 0,

        // Half the runs flatten on 3 threads in chunks of 64 bytes: many chunks, schema growth across them.
        MaxDegreeOfParallelism = (selector & Threads) != 0 ? 3 : 1,
        ChunkBytes = (selector & Threads) != 0 ? 64 : 256 * 1024,
        AllowComments = (selector & Comments) != 0,
        AllowTrailingCommas = (selector & TrailingCommas) != 0,
        MaxColumns = 5000,
        MaxInputBytes = 8 << 20,
    };

    /// <summary>A JSON column's cell must be JSON text (kept arrays, inline arrays, data below MaxDepth).</summary>
    private static void CheckJson(string table, string column, string text)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(text, new System.Text.Json.JsonDocumentOptions { MaxDepth = 2000 });
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FuzzFinding($"{table}.{column} is a JSON column but holds text that is not JSON: {(text.Length > 200 ? text[..200] + "..." : text)}", ex);
        }
    }

    /// <summary>An error message without numbers and quoted text: what kind of thing happened.</summary>
    private static string Shape(string message)
    {
        int cut = message.IndexOf(" (line ", StringComparison.Ordinal);
        string head = cut > 0 ? message[..cut] : message;
        var shape = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in head)
        {
            if (c == '\'')
            {
                quoted = !quoted;
                continue;
            }

            if (!quoted && !char.IsDigit(c))
            {
                shape.Append(c);
            }
        }

        return shape.Length > 60 ? shape.ToString(0, 60) : shape.ToString();
    }

    private static byte[] Gzip(byte[] data)
    {
        var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }
}

public sealed class FuzzFinding(string message, Exception inner) : Exception(message, inner);
