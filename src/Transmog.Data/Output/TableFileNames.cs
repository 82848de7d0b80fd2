namespace Transmog.Data.Output;

/// <summary>
/// Names the files of one output directory: a safe, unique file name per table (<c>orders.csv</c>, then
/// <c>orders_2.csv</c> if two table names sanitize alike), and the format options checked against the format. A
/// shard's output (<see cref="Part"/> set) is one folder per table holding one part file per shard:
/// <c>orders/part-00003.csv</c>, so that the parts of all shards form one dataset (<c>read_parquet('out/orders/*.parquet')</c>).
/// </summary>
internal sealed class TableFileNames(FormatOptions format, params string[] reserved)
{
    private readonly HashSet<string> _used = new(reserved, StringComparer.OrdinalIgnoreCase);
    private readonly string _extension = format is CsvFormatOptions ? ".csv" : ".parquet";

    /// <summary>The shard whose part files these are, or <c>null</c> for one file per table.</summary>
    public int? Part { get; init; }

    /// <summary>The part file's name in each table's folder (<c>part-00003.csv</c>).</summary>
    public string PartFileName(string extension) => $"part-{Part:D5}{extension}";

    /// <summary>The file's path for a table, relative to the directory and unique within it.</summary>
    public string For(string tableName)
    {
        string stem = SafeFileName.For(tableName);
        string fileName = stem + (Part is null ? _extension : string.Empty);
        for (int n = 2; !_used.Add(fileName); n++)
        {
            fileName = stem + "_" + n + (Part is null ? _extension : string.Empty);
        }

        return Part is null ? fileName : Path.Combine(fileName, PartFileName(_extension));
    }

    /// <summary>The format options to use: CSV defaults when none are given; checked to be valid.</summary>
    /// <exception cref="ArgumentException">They are invalid.</exception>
    public static FormatOptions Check(FormatOptions? options)
    {
        options ??= new CsvFormatOptions();
        options.Validate();
        return options;
    }
}
