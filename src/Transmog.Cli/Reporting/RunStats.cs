using System.Diagnostics.Metrics;

namespace Transmog.Cli.Reporting;

/// <summary>
/// What one command's run did, gathered from the library's own <see cref="Meter"/> ("Transmog.Data"):
/// records, decompressed bytes and rejects of the data pass, rows per table. A command collects only the measurements
/// made in its own asynchronous flow, so commands running at once in one process (tests) do not mix.
/// </summary>
internal sealed class RunStats
{
    /// <summary>The name of the library's ActivitySource and Meter (the core's, shared by the loaders).</summary>
    private const string DiagnosticsName = "Transmog.Data";

    private static readonly AsyncLocal<RunStats?> Current = new();
    private static readonly MeterListener Listener = StartListener();
    private readonly object _gate = new();
    private readonly List<(string Table, long Rows)> _rows = [];
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

    public long Records { get; private set; }

    public long BytesRead { get; private set; }

    public long Rejected { get; private set; }

    public TimeSpan Elapsed { get; private set; }

    /// <summary>Rows flattened into each table, in the order the tables were reported (main first).</summary>
    public IReadOnlyList<(string Table, long Rows)> Rows => _rows;

    /// <summary>Starts collecting for the calling asynchronous flow (and everything it starts).</summary>
    public static RunStats Begin()
    {
        GC.KeepAlive(Listener);
        var stats = new RunStats();
        Current.Value = stats;
        return stats;
    }

    public void Stop()
    {
        Elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_started);
        if (ReferenceEquals(Current.Value, this))
        {
            Current.Value = null;
        }
    }

    /// <summary>Megabytes (10^6 bytes) of input per second.</summary>
    public double MegabytesPerSecond => Elapsed.TotalSeconds > 0 ? BytesRead / 1e6 / Elapsed.TotalSeconds : 0;

    private static MeterListener StartListener()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == DiagnosticsName && instrument is Counter<long>)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Current.Value?.Add(instrument.Name, value, tags));
        listener.Start();
        return listener;
    }

    private void Add(string instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? pass = null;
        string? table = null;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "transmog.pass")
            {
                pass = tag.Value as string;
            }
            else if (tag.Key == "transmog.table")
            {
                table = tag.Value as string;
            }
        }

        lock (_gate)
        {
            switch (instrument)
            {
                case "transmog.records" when pass == "data":
                    Records += value;
                    break;
                case "transmog.input.bytes" when pass == "data":
                    BytesRead += value;
                    break;
                case "transmog.rejects":
                    Rejected += value;
                    break;
                case "transmog.rows" when table is not null:
                    int at = _rows.FindIndex(r => r.Table == table);
                    if (at < 0)
                    {
                        _rows.Add((table, value));
                    }
                    else
                    {
                        _rows[at] = (table, _rows[at].Rows + value);
                    }

                    break;
            }
        }
    }
}
