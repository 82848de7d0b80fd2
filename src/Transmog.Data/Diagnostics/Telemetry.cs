using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Transmog.Data.Diagnostics;

/// <summary>The activity source and the instruments of the core (see <see cref="TransmogDiagnostics"/>). Nothing here is per row.</summary>
internal static class Telemetry
{
    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(TransmogDiagnostics.Name, Version);

    public static readonly Meter Meter = new(TransmogDiagnostics.Name, Version);

    public static readonly Counter<long> Records = Meter.CreateCounter<long>("transmog.records", "{record}", "Records read, per pass over the input.");

    public static readonly Counter<long> Rows = Meter.CreateCounter<long>("transmog.rows", "{row}", "Rows flattened into each table by a data pass.");

    public static readonly Counter<long> InputBytes = Meter.CreateCounter<long>("transmog.input.bytes", "By", "Decompressed input bytes read.");

    public static readonly Counter<long> Rejects = Meter.CreateCounter<long>("transmog.rejects", "{record}", "Records rejected (RecoveryMode.Skip, RecoveryMode.Skip).");

    public static readonly Counter<long> SpillBytes = Meter.CreateCounter<long>("transmog.spill.bytes", "By", "Bytes written to temporary spill files.");

    public static readonly Histogram<double> RunDuration = Meter.CreateHistogram<double>("transmog.run.duration", "s", "Duration of a run, from its start to its dispose.");

    /// <summary>Starts an activity that does not become <see cref="Activity.Current"/>: a run outlives the call that starts it.</summary>
    public static Activity? StartDetached(string name)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? previous = Activity.Current;
        Activity? activity = Source.StartActivity(name, ActivityKind.Internal);
        Activity.Current = previous;
        return activity;
    }
}
