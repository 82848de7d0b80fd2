using Transmog.Data.Input;

namespace Transmog.Data.Flattening;

/// <summary>
/// One pass over the input: reads, parses and flattens records one at a time. A record's rows are committed only
/// when the whole record succeeded; under <see cref="RecoveryMode.Skip"/> a bad record is rolled back whole and
/// handed to the reject callback with its position, error and raw text.
/// </summary>
internal sealed class FlattenPass : IFlattenPass
{
    private readonly List<TableModel> _touched = [];
    private readonly RecordParser _parser;
    private readonly bool _ownsParser;
    private readonly RecordFlattener _flattener;
    private readonly TransmogOptions _options;
    private readonly bool _keepRows;
    private readonly Action<RejectedRecord>? _onReject;
    private readonly CancellationToken _cancellationToken;

    /// <param name="parser">Where records come from.</param>
    /// <param name="ownsParser">Dispose the parser with the pass.</param>
    /// <param name="registry">The tables.</param>
    /// <param name="ids">The run's id factory.</param>
    /// <param name="keepRows">Commit rows (a data pass), or count and drop them (a schema scan).</param>
    /// <param name="onReject">Where rejected records go; <c>null</c> to drop them (a scan pass: the data pass reports them).</param>
    /// <param name="cancellationToken">Checked between records.</param>
    public FlattenPass(RecordParser parser, bool ownsParser, TableRegistry registry, IdFactory ids, bool keepRows, Action<RejectedRecord>? onReject, CancellationToken cancellationToken)
    {
        _parser = parser;
        _ownsParser = ownsParser;
        _options = parser.Options;
        _flattener = new RecordFlattener(_options, registry, ids, parser.DocumentOptions);
        _keepRows = keepRows;
        _onReject = onReject;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Records read (bad ones included).</summary>
    public long Records { get; private set; }

    /// <summary>Records rejected.</summary>
    public long Rejected { get; private set; }

    /// <summary>Decompressed bytes read so far.</summary>
    public long BytesRead => _parser.BytesStream.BytesRead;

    /// <summary>Whether the input is exhausted.</summary>
    public bool Ended { get; private set; }

    /// <summary>The tables that received rows from the last record.</summary>
    public List<TableModel> Touched => _touched;

    /// <summary>Reads and flattens the next record; <c>false</c> at the end of the input.</summary>
    public bool Step()
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (Ended)
        {
            return false;
        }

        bool more = _parser.TryNextRaw(out RawRecord record);
        TakeReaderRejects();
        if (!more)
        {
            Ended = true;
            _touched.Clear();
            return false;
        }

        Process(record);
        return true;
    }

    /// <summary>Flattens a record held in memory outside the parser's sequence (the inference window).</summary>
    public void ProcessHeld(in RawRecord record) => Process(record);

    private void Process(in RawRecord record)
    {
        Records++;
        _touched.Clear();
        if (RecordOutcome.Flatten(_flattener, record) is { } error)
        {
            if (!RecordOutcome.IsRejected(error, _options))
            {
                RecordOutcome.Throw(error);
            }

            Rejected++;
            _onReject?.Invoke(RecordOutcome.Reject(error, record));
            return;
        }

        foreach (TableTarget t in _flattener.Touched)
        {
            t.Model.RowCount += t.Rows.PendingRows;
            if (_keepRows)
            {
                t.Rows.Commit();
            }
            else
            {
                t.Rows.Rollback();
            }

            _touched.Add(t.Model);
        }
    }

    private void TakeReaderRejects()
    {
        List<RejectedRecord> rejects = _parser.ReaderRejects;
        if (rejects.Count == 0)
        {
            return;
        }

        foreach (RejectedRecord r in rejects)
        {
            Records++;
            Rejected++;
            _onReject?.Invoke(r);
        }

        rejects.Clear();
    }

    public void Dispose()
    {
        if (_ownsParser)
        {
            _parser.Dispose();
        }
    }
}
