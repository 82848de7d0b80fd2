using Transmog.Data.Flattening;

namespace Transmog.Data.Feeds;

/// <summary>
/// What a feed needs of the pass that fills it: to pull it forward (a live reader), to run it to the end (a reader of
/// kept rows), or to stop feeding a table whose reader has gone. The run implements it; feeds never see the run.
/// </summary>
internal interface IRowPump
{
    /// <summary>Rows per batch handed to a reader.</summary>
    int BatchSize { get; }

    /// <summary>Whether the current pass has read the whole input.</summary>
    bool Ended { get; }

    /// <summary>Flattens one more step of the input; <c>false</c> at its end.</summary>
    bool Advance();

    /// <summary>Runs the pass to the end of the input.</summary>
    void RunToEnd();

    /// <summary>Stops feeding a table whose reader has gone: its rows are dropped from now on.</summary>
    void Release(TableModel table);
}
