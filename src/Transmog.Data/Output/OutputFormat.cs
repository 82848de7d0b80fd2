namespace Transmog.Data;

/// <summary>The file format of flattened tables.</summary>
public enum OutputFormat
{
    /// <summary>RFC 4180 CSV through Sylvan.Data.Csv (one <c>.csv</c> file per table).</summary>
    Csv = 0,

    /// <summary>Apache Parquet through Parquet.Net (one <c>.parquet</c> file per table).</summary>
    Parquet = 1,
}
