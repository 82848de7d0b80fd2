namespace Transmog.Data.Output;

/// <summary>
/// Names the files of one output directory: a safe, unique file name per table (<c>orders.csv</c>, then
/// <c>orders_2.csv</c> if two table names sanitize alike), and the format options checked against the format.
/// </summary>
internal sealed class TableFileNames(FormatOptions format, params string[] reserved)
{
    private readonly HashSet<string> _used = new(reserved, StringComparer.OrdinalIgnoreCase);
    private readonly string _extension = format is CsvFormatOptions ? ".csv" : ".parquet";

    /// <summary>The file name for a table, unique within this directory.</summary>
    public string For(string tableName)
    {
        string stem = SafeFileName.For(tableName);
        string fileName = stem + _extension;
        for (int n = 2; !_used.Add(fileName); n++)
        {
            fileName = stem + "_" + n + _extension;
        }

        return fileName;
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
