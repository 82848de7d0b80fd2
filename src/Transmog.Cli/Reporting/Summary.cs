using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Transmog.Cli.Reporting;

/// <summary>
/// The report after <c>flatten</c> and <c>load</c>: tables with their rows, records, rejects, bytes in, elapsed time and
/// MB/s, as text on stderr, or as one JSON object on stdout (<c>--json</c>); also the JSON form of a failure.
/// </summary>
internal sealed class Summary
{
    public required string Command { get; init; }

    public required string Input { get; init; }

    public required RunStats Stats { get; init; }

    /// <summary>Tables in order (main first): name, rows, and the file written or the database table loaded.</summary>
    public List<SummaryTable> Tables { get; } = [];

    public string? RejectsFile { get; init; }

    /// <summary>For a load: where (never with a password) and which database.</summary>
    public string? Destination { get; init; }

    public string? DatabaseSystem { get; init; }

    public int ExitCode => Stats.Rejected > 0 ? ExitCodes.SuccessWithRejects : ExitCodes.Success;

    public async Task WriteTextAsync(TextWriter error)
    {
        int width = Math.Max(20, Tables.Count == 0 ? 0 : Tables.Max(t => t.Name.Length));
        var text = new StringBuilder();
        foreach (SummaryTable table in Tables)
        {
            string added = table.Detail is { } detail ? $" ({detail})"
                : table.RowsInserted is { } inserted && inserted != table.Rows ? $" ({inserted} new)" : string.Empty;
            text.Append(CultureInfo.InvariantCulture, $"{table.Name.PadRight(width)} {table.Rows,10} rows{added}").AppendLine();
        }

        long rows = Tables.Sum(t => t.RowsInserted ?? t.Rows);
        string verb = Command == "load" ? "Loaded" : "Wrote";
        string where = Destination is null ? string.Empty : $" into {Destination} ({DatabaseSystem})";
        string rejects = Stats.Rejected == 0 ? "0 rejected"
            : RejectsFile is null ? $"{Stats.Rejected} rejected" : $"{Stats.Rejected} rejected, see {RejectsFile}";
        text.Append(CultureInfo.InvariantCulture,
            $"{verb} {Tables.Count} tables, {rows} rows{where} from {Stats.Records} records ({rejects}); {FormatBytes(Stats.BytesRead)} in {Stats.Elapsed.TotalSeconds:0.00} s, {Stats.MegabytesPerSecond:0.0} MB/s.");
        await error.WriteLineAsync(text.ToString()).ConfigureAwait(false);
    }

    public async Task WriteJsonAsync(TextWriter output)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("command", Command);
            json.WriteNumber("exitCode", ExitCode);
            json.WriteString("status", Stats.Rejected > 0 ? "rejects" : "ok");
            json.WriteString("input", Input);
            if (Destination is not null)
            {
                json.WriteString("destination", Destination);
                json.WriteString("database", DatabaseSystem);
            }

            json.WriteNumber("records", Stats.Records);
            json.WriteNumber("rejected", Stats.Rejected);
            if (RejectsFile is not null)
            {
                json.WriteString("rejectsFile", RejectsFile);
            }

            json.WriteNumber("bytesIn", Stats.BytesRead);
            json.WriteNumber("elapsedSeconds", Math.Round(Stats.Elapsed.TotalSeconds, 3));
            json.WriteNumber("megabytesPerSecond", Math.Round(Stats.MegabytesPerSecond, 2));
            json.WriteNumber("rows", Tables.Sum(t => t.RowsInserted ?? t.Rows));
            json.WriteStartArray("tables");
            foreach (SummaryTable table in Tables)
            {
                json.WriteStartObject();
                json.WriteString("name", table.Name);
                json.WriteNumber("rows", table.Rows);
                if (table.RowsInserted is { } inserted)
                {
                    json.WriteNumber("rowsInserted", inserted);
                }

                if (table.File is not null)
                {
                    json.WriteString("file", table.File);
                }

                if (table.DatabaseName is not null)
                {
                    json.WriteString("databaseTable", table.DatabaseName);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
    }

    /// <summary>The JSON form of a failure: the exit code, its kind and the one-line message.</summary>
    public static async Task WriteFailureJsonAsync(TextWriter output, string? command, int exitCode, string message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (command is not null)
            {
                json.WriteString("command", command);
            }

            json.WriteNumber("exitCode", exitCode);
            json.WriteString("status", exitCode switch
            {
                ExitCodes.UsageError => "usage-error",
                ExitCodes.Interrupted => "interrupted",
                _ => "data-error",
            });
            json.WriteString("error", message);
            json.WriteEndObject();
        }

        await output.WriteLineAsync(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
    }

    internal static string FormatBytes(long bytes) => bytes switch
    {
        >= 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB"),
        >= 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        >= 1_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}

/// <summary>One table of a <see cref="Summary"/>.</summary>
internal sealed record SummaryTable(string Name, long Rows, long? RowsInserted = null, string? File = null, string? DatabaseName = null, string? Detail = null);
