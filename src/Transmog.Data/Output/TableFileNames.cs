namespace Transmog.Data.Output;

/// <summary>
/// Names the files of one output directory: a safe, unique file name per table (<c>orders.csv</c>, then
/// <c>orders_2.csv</c> if two table names sanitize alike), and the format options checked against the format.
/// </summary>
internal sealed class TableFileNames(OutputFormat format, params string[] reserved)
{
    private readonly HashSet<string> _used = new(reserved, StringComparer.OrdinalIgnoreCase);
    private readonly string _extension = format == OutputFormat.Csv ? ".csv" : ".parquet";

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

    /// <summary>The format options to use: the defaults when none are given; checked to match the format and valid.</summary>
    /// <exception cref="ArgumentException">They are for another format or invalid.</exception>
    public static FormatOptions Check(OutputFormat format, FormatOptions? options)
    {
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentException($"Unknown output format {format}.");
        }

        options ??= format == OutputFormat.Csv ? new CsvFormatOptions() : new ParquetFormatOptions();
        if (format == OutputFormat.Csv != options is CsvFormatOptions)
        {
            throw new ArgumentException($"Format options of type {options.GetType().Name} do not match the format {format}.");
        }

        options.Validate();
        return options;
    }
}
