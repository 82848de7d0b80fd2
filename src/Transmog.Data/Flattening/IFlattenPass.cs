namespace Transmog.Data.Flattening;

/// <summary>
/// One pass over the input that flattens records and commits their rows into each table's
/// <see cref="TableModel.Rows"/>, record by record (<see cref="FlattenPass"/>) or a chunk of records at a time
/// flattened on several cores (<see cref="ParallelFlattenPass"/>); either way rows arrive in input order.
/// </summary>
internal interface IFlattenPass : IDisposable
{
    /// <summary>Records read (bad ones included).</summary>
    long Records { get; }

    /// <summary>Records rejected.</summary>
    long Rejected { get; }

    /// <summary>Decompressed bytes read so far.</summary>
    long BytesRead { get; }

    /// <summary>Whether the input is exhausted.</summary>
    bool Ended { get; }

    /// <summary>The tables that received committed rows in the last step.</summary>
    List<TableModel> Touched { get; }

    /// <summary>Flattens the next record (or chunk of records) and commits its rows; <c>false</c> at the end of the input.</summary>
    bool Step();
}
