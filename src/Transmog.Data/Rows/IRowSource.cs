namespace Transmog.Data.Rows;

/// <summary>Where one table's rows come from, a batch at a time: the live pass, a spill file, memory.</summary>
internal interface IRowSource : IDisposable
{
    /// <summary>Fills <paramref name="batch"/> with the next rows; <c>false</c> when there are no more.</summary>
    bool TryFill(RowBatch batch);
}
