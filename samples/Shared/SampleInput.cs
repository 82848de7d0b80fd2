namespace Transmog.Samples;

/// <summary>The sample's input: the first argument, else samples/data/customers.jsonl found from here upwards.</summary>
internal static class SampleInput
{
    public static string Path(string[] args, int index = 0)
    {
        if (args.Length > index && File.Exists(args[index]))
        {
            return args[index];
        }

        foreach (string start in (string[])[Directory.GetCurrentDirectory(), AppContext.BaseDirectory])
        {
            for (string? dir = start; dir is not null; dir = System.IO.Path.GetDirectoryName(dir))
            {
                string candidate = System.IO.Path.Combine(dir, "samples", "data", "customers.jsonl");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("samples/data/customers.jsonl not found; pass an input file as the first argument.");
    }
}
