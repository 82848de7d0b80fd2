using System.Text;

namespace Transmog.Data;

/// <summary>Settings of an output format; they travel separately from the flattening options.</summary>
public abstract record FormatOptions
{
    private protected FormatOptions()
    {
    }

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A setting is invalid.</exception>
    public abstract void Validate();
}

/// <summary>How CSV files are written.</summary>
public sealed record CsvFormatOptions : FormatOptions
{
    /// <summary>The field delimiter. Default <c>,</c>.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>The quote character. Default <c>"</c>.</summary>
    public char Quote { get; init; } = '"';

    /// <summary>Whether the first line holds the column names. Default <c>true</c>.</summary>
    public bool Header { get; init; } = true;

    /// <summary>The text encoding. Default UTF-8 without a byte order mark.</summary>
    public Encoding Encoding { get; init; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The line ending. Default <c>\n</c>.</summary>
    public string NewLine { get; init; } = "\n";

    /// <inheritdoc />
    public override void Validate()
    {
        if (Delimiter == Quote)
        {
            throw new ArgumentException("The CSV delimiter and quote must differ.");
        }

        if (Delimiter is '\r' or '\n' || Quote is '\r' or '\n')
        {
            throw new ArgumentException("The CSV delimiter and quote cannot be line breaks.");
        }

        if (NewLine is not ("\n" or "\r\n"))
        {
            throw new ArgumentException("The CSV line ending must be \\n or \\r\\n.");
        }

        ArgumentNullException.ThrowIfNull(Encoding);
    }
}

/// <summary>Parquet compression codecs.</summary>
public enum ParquetCompression
{
    /// <summary>Snappy (the default): fast, moderate ratio.</summary>
    Snappy = 0,

    /// <summary>Gzip.</summary>
    Gzip = 1,

    /// <summary>Zstandard.</summary>
    Zstd = 2,

    /// <summary>Brotli.</summary>
    Brotli = 3,

    /// <summary>No compression.</summary>
    None = 4,
}

/// <summary>How Parquet files are written.</summary>
/// <remarks>
/// Every column is optional and carries Parquet's logical type where one exists: <c>Guid</c> columns (the ids under
/// Random, Hash and Fields) UUID; text whose data type name is <c>json</c> (kept arrays, subtrees) JSON (Parquet.Net
/// reads it as UTF-8 bytes); text STRING; integers INT64; reals DOUBLE; decimals DECIMAL(38, 9); <c>_timestamp</c>
/// TIMESTAMP (microseconds, adjusted to UTC). Row groups are cut by <see cref="RowGroupBytes"/> and
/// <see cref="RowGroupSize"/>, never by <see cref="TransmogOptions.BatchSize"/>.
/// </remarks>
public sealed record ParquetFormatOptions : FormatOptions
{
    /// <summary>The compression codec. Default <see cref="ParquetCompression.Snappy"/>.</summary>
    public ParquetCompression Compression { get; init; } = ParquetCompression.Snappy;

    /// <summary>
    /// The most rows a row group holds; <c>null</c> (the default): no limit by rows, row groups are cut by
    /// <see cref="RowGroupBytes"/> alone. Independent of <see cref="TransmogOptions.BatchSize"/>, which only sets how
    /// many rows the flattener hands on at a time.
    /// </summary>
    public int? RowGroupSize { get; init; }

    /// <summary>
    /// The default of <see cref="RowGroupBytes"/>: 8 MB, chosen by measurement (benchmarks/README.md): the largest
    /// target whose whole-process peak stays about 100 MB at 1 GB of input (16 MB: 114 MB).
    /// </summary>
    public const long DefaultRowGroupBytes = 8L << 20;

    /// <summary>
    /// The size at which a row group is closed and written: an estimate of the memory the row group takes while it
    /// is buffered and encoded (its text as UTF-16, about 160 bytes a value for Parquet.Net's encoding buffers and 8 a
    /// null cell),
    /// checked every 256 rows. Default <see cref="DefaultRowGroupBytes"/>; at least 64 KB. Larger row groups mean
    /// fewer, better compressed column chunks and a smaller footer; memory grows with about twice this size (a row
    /// group is read while the previous one is encoded).
    /// </summary>
    public long RowGroupBytes { get; init; } = DefaultRowGroupBytes;

    private const long MinRowGroupBytes = 64 << 10;

    /// <inheritdoc />
    public override void Validate()
    {
        if (!Enum.IsDefined(Compression))
        {
            throw new ArgumentException($"Unknown Parquet compression {Compression}.");
        }

        if (RowGroupSize is < 1)
        {
            throw new ArgumentException($"RowGroupSize must be at least 1; got {RowGroupSize}.");
        }

        if (RowGroupBytes < MinRowGroupBytes)
        {
            throw new ArgumentException($"RowGroupBytes must be at least {MinRowGroupBytes}; got {RowGroupBytes}.");
        }
    }
}
