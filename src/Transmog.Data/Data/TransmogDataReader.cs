using System.Collections;
using System.Data.Common;
using Transmog.Data.Flattening;
using Transmog.Data.Pipeline;
using Transmog.Data.Rows;

namespace Transmog.Data;

/// <summary>
/// A forward-only reader over one flattened table, or over several tables as consecutive result sets
/// (<see cref="NextResult"/>: main table first, then children in first-seen order). Rows are read from the
/// streaming JSON a batch at a time; the schema is fixed before the first <see cref="Read"/> and never changes.
/// </summary>
/// <remarks>
/// Values are kept as UTF-8 in pooled batches and decoded only when a getter asks: typed getters
/// (<see cref="GetInt64"/>, <see cref="GetDouble"/>, ...) do not box. A getter of the wrong type throws
/// <see cref="InvalidCastException"/> naming the column and its type.
/// </remarks>
public sealed partial class TransmogDataReader : DbDataReader, IUtf8Cells
{
    private readonly IReadOnlyList<ReaderTable> _tables;
    private readonly IDisposable? _owner;
    private readonly DateTime _timestamp;
    private readonly string _timestampText;
    private readonly byte[] _timestampUtf8;
    private int _tableIndex;
    private ReaderTable _table;
    private IRowSource? _source;
    private readonly RowBatch _batch;
    private bool _batchLoaded;
    private bool _exhausted;
    private int _position;
    private int _rowInBatch;
    private bool _onRow;
    private bool _closed;

    // Cells of the current row, by the column's index in rows (not its public ordinal).
    private CellSlot[] _cells = [];
    private int _rowStamp;

    internal TransmogDataReader(IReadOnlyList<ReaderTable> tables, DateTime timestamp, IDisposable? owner, int batchSize)
    {
        if (tables.Count == 0)
        {
            throw new ArgumentException("A reader needs at least one table.", nameof(tables));
        }

        _tables = tables;
        _owner = owner;
        _timestamp = timestamp;
        _timestampText = timestamp.ToString(TimestampFormat, System.Globalization.CultureInfo.InvariantCulture);
        _timestampUtf8 = System.Text.Encoding.UTF8.GetBytes(_timestampText);
        _batch = new RowBatch(Math.Min(batchSize * 64, 256 << 10));
        _table = tables[0];
        OpenTable();
    }

    /// <summary>
    /// Opens a reader over one table (the others discarded) or, when <paramref name="table"/> is <c>null</c>, over all
    /// tables as result sets; the reader owns the run. For <see cref="JsonFlattener.OpenReader"/> and commands.
    /// </summary>
    internal static TransmogDataReader Open(JsonInput input, string name, string? table, TransmogOptions? options)
    {
        TablePlan plan = table is null ? TablePlan.ResultSets() : TablePlan.OneTable(table);
        FlattenRun run = FlattenRun.Open(input, name, options, plan, new RejectSink(keep: true));
        try
        {
            return Over(run, plan.Wanted, ownsRun: true);
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>A reader over tables of a run, their rows from the feeds the run's plan gave them.</summary>
    /// <param name="run">The run.</param>
    /// <param name="tables">The tables, in result-set order.</param>
    /// <param name="ownsRun">Whether closing the reader ends the run (and the reader reports its rejects).</param>
    internal static TransmogDataReader Over(FlattenRun run, IEnumerable<TableModel> tables, bool ownsRun) =>
        new([.. tables.Select(t => new ReaderTable(t.Public!, t.PublicToIndex, t.Columns.Count, () => run.OpenSource(t)))], run.Timestamp, ownsRun ? run : null, run.BatchSize)
        {
            RejectSink = ownsRun ? run.Rejects : null,
        };

    /// <summary>How <c>_timestamp</c> is written as text.</summary>
    public const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    /// <summary>Raised once when the reader closes (used for <see cref="System.Data.CommandBehavior.CloseConnection"/>).</summary>
    internal event Action? Closed;

    /// <summary>The table being read.</summary>
    public TransmogTable Table => _table.Table;

    /// <summary>
    /// Every table this reader serves, in result-set order (for a reader over all tables: main first, then children
    /// in first-seen order, parents before children). Known before the first <see cref="Read"/>, so a consumer can
    /// prepare every destination (e.g. create database tables) before any row is read.
    /// </summary>
    public IReadOnlyList<TransmogTable> Tables => _allTables ??= [.. _tables.Select(t => t.Table)];

    private TransmogTable[]? _allTables;

    /// <summary>Rows read so far from the current table.</summary>
    public long RowsRead { get; private set; }

    /// <summary>
    /// The records rejected so far under <see cref="RecoveryMode.Skip"/> or <see cref="RecoveryMode.Skip"/>,
    /// each with its position, error and raw text, for a reader opened by <see cref="JsonFlattener.OpenReader"/> or a
    /// <see cref="TransmogCommand"/>. Complete once <see cref="Read"/> has returned <c>false</c> for the last table.
    /// </summary>
    public IReadOnlyList<RejectedRecord> Rejects => RejectSink?.Kept ?? (IReadOnlyList<RejectedRecord>)[];

    /// <summary>Where the run that feeds this reader puts its rejects.</summary>
    internal RejectSink? RejectSink { get; init; }

    /// <inheritdoc />
    public override int FieldCount => _table.Table.Columns.Count;

    /// <inheritdoc />
    public override int VisibleFieldCount => FieldCount;

    /// <inheritdoc />
    public override int Depth => 0;

    /// <inheritdoc />
    public override bool IsClosed => _closed;

    /// <inheritdoc />
    public override int RecordsAffected => -1;

    /// <inheritdoc />
    public override bool HasRows
    {
        get
        {
            ThrowIfClosed();
            return _onRow || (_batchLoaded && _rowInBatch < _batch.Rows) || LoadBatch();
        }
    }

    /// <inheritdoc />
    public override object this[int ordinal] => GetValue(ordinal);

    /// <inheritdoc />
    public override object this[string name] => GetValue(GetOrdinal(name));

    /// <inheritdoc />
    public override bool Read()
    {
        ThrowIfClosed();
        if (_exhausted)
        {
            _onRow = false;
            return false;
        }

        if (!_batchLoaded || _rowInBatch >= _batch.Rows)
        {
            if (!LoadBatch())
            {
                _onRow = false;
                return false;
            }
        }

        ParseRow();
        return true;
    }

    /// <inheritdoc />
    public override bool NextResult()
    {
        ThrowIfClosed();
        if (_tableIndex + 1 >= _tables.Count)
        {
            CloseSource();
            _exhausted = true;
            _onRow = false;
            return false;
        }

        _tableIndex++;
        _table = _tables[_tableIndex];
        OpenTable();
        return true;
    }

    /// <inheritdoc />
    public override void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        _onRow = false;
        CloseSource();
        _batch.Dispose();
        _owner?.Dispose();
        Closed?.Invoke();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc />
    public override IEnumerator GetEnumerator() => new DbEnumerator(this, closeReader: false);

    private void OpenTable()
    {
        CloseSource();
        _source = _table.OpenSource();
        _strings.Reset(_table.Table.Columns.Count);
        _batchLoaded = false;
        _exhausted = false;
        _onRow = false;
        RowsRead = 0;
        int width = 0;
        foreach (int index in _table.PublicToIndex)
        {
            width = Math.Max(width, index + 1);
        }

        width = Math.Max(width, _table.IndexWidth);
        if (_cells.Length < width)
        {
            _cells = new CellSlot[width];
            _rowStamp = 0;
        }
    }

    private void CloseSource()
    {
        _source?.Dispose();
        _source = null;
    }

    private bool LoadBatch()
    {
        if (_exhausted || _source is null)
        {
            return false;
        }

        if (!_source.TryFill(_batch))
        {
            _exhausted = true;
            _batchLoaded = false;
            return false;
        }

        _batchLoaded = true;
        _position = 0;
        _rowInBatch = 0;
        return true;
    }

    private void ParseRow()
    {
        RowDecoder.ReadRow(_batch.Data.AsSpan(0, _batch.Length), ref _position, _cells, ++_rowStamp);
        _rowInBatch++;
        RowsRead++;
        _onRow = true;
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new InvalidOperationException("The reader is closed.");
        }
    }
}

/// <summary>One table a reader serves: its schema, where its cells are in rows, and how to open its rows.</summary>
internal sealed class ReaderTable(TransmogTable table, int[] publicToIndex, int indexWidth, Func<IRowSource> openSource)
{
    public TransmogTable Table { get; } = table;

    public int[] PublicToIndex { get; } = publicToIndex;

    /// <summary>Each column's type as the typed getters check it (JSON text is a string), by ordinal.</summary>
    public TransmogColumnType[] GetterTypes { get; } =
        [.. table.Columns.Select(c => c.Type == TransmogColumnType.Json ? TransmogColumnType.String : c.Type)];

    /// <summary>One past the largest column index that rows of this table can hold.</summary>
    public int IndexWidth { get; } = indexWidth;

    public Func<IRowSource> OpenSource { get; } = openSource;
}
