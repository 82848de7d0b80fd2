using System.IO.Compression;

namespace Transmog.Data.Fuzz;

/// <summary>
/// The fuzz target: flattens one input with options chosen by a selector byte and reads every cell of every table.
/// Only <see cref="TransmogException"/>s may escape the library; anything else is a finding.
/// </summary>
public static class FuzzTarget
{
    /// <summary>Runs one input; returns a short signature of what happened (for feedback), or throws a finding.</summary>
    public static string Run(byte[] data, int selector)
    {
        TransmogOptions options = OptionsFor(selector);
        byte[] input = (selector & 0x40) != 0 ? Gzip(data) : data;
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
                            _ = reader.GetString(i);
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

    public static TransmogOptions OptionsFor(int selector) => new()
    {
        RecoveryMode = (selector & 1) != 0 ? RecoveryMode.Skip : RecoveryMode.Strict,
        ArrayMode = (ArrayMode)((selector >> 1) & 3),
        IdGeneration = (selector & 8) != 0 ? IdGeneration.Hash : IdGeneration.Random,
        StringifyValues = (selector & 0x10) != 0,
        MaxDepth = (selector & 0x20) != 0 ? 3 : 100,
        IncludeNulls = (selector & 0x80) != 0,

        // Half the runs flatten on 3 threads in chunks of 64 bytes: many chunks, schema growth across them.
        MaxDegreeOfParallelism = (selector & 0x80) != 0 ? 3 : 1,
        ChunkBytes = (selector & 0x80) != 0 ? 64 : 256 * 1024,
        MaxColumns = 5000,
        MaxInputBytes = 8 << 20,
    };

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
