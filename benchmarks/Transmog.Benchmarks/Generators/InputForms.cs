using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Transmog.Benchmarks.Generators;

/// <summary>
/// The records of a generated JSON Lines input in the forms of issue 11: inside one API envelope
/// (<c>{"search_metadata":{...},"statuses":[...]}</c>, read with <c>RecordsPath = "statuses"</c>) and as a value stream of
/// pretty-printed objects (as <c>jq '.[]'</c> writes them). Compared with the JSON Lines file they come from.
/// </summary>
internal static class InputForms
{
    public static InputFile? Get(string shape, InputFile? lines, TextWriter log)
    {
        if (lines is null)
        {
            return null;
        }

        string path = System.IO.Path.ChangeExtension(lines.Path, shape == "tweets-envelope" ? ".envelope.json" : ".pretty.json");
        if (File.Exists(path))
        {
            log.WriteLine($"Reusing {path}");
            return new InputFile(shape, path, new FileInfo(path).Length, false, 0, "reused");
        }

        log.WriteLine($"Writing {shape} from {lines.Path} into {path} ...");
        var watch = Stopwatch.StartNew();
        long records = 0;
        using (var output = new FileStream(path + ".partial", FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
            bool envelope = shape == "tweets-envelope";
            if (envelope)
            {
                output.Write("{\"search_metadata\":{\"completed_in\":0.087,\"max_id\":505874924095815681,\"query\":\"%E4%B8%80\",\"count\":100},\n\"statuses\":[\n"u8);
            }

            foreach (string line in File.ReadLines(lines.Path))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                if (envelope)
                {
                    if (records > 0)
                    {
                        output.Write(",\n"u8);
                    }

                    output.Write(Encoding.UTF8.GetBytes(line));
                }
                else
                {
                    using JsonDocument document = JsonDocument.Parse(line);
                    document.RootElement.WriteTo(writer);
                    writer.Flush();
                    writer.Reset(output);
                    output.Write("\n"u8);
                }

                records++;
            }

            if (envelope)
            {
                output.Write("\n],\"next_results\":null}\n"u8);
            }
        }

        File.Move(path + ".partial", path, overwrite: true);
        long bytes = new FileInfo(path).Length;
        log.WriteLine($"  {records:N0} records, {bytes:N0} bytes in {watch.Elapsed.TotalSeconds:F1} s");
        return new InputFile(shape, path, bytes, true, watch.Elapsed.TotalSeconds, $"{records:N0} records");
    }
}
