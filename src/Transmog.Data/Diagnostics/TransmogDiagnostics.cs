namespace Transmog.Data;

/// <summary>
/// The names under which Transmog.Data reports what it does, for logging, tracing and metrics, without depending on
/// OpenTelemetry: an <see cref="System.Diagnostics.ActivitySource"/> and a <see cref="System.Diagnostics.Metrics.Meter"/>
/// both named <see cref="Name"/> (with OpenTelemetry: <c>AddSource(TransmogDiagnostics.Name)</c>,
/// <c>AddMeter(TransmogDiagnostics.Name)</c>), and log events through the <see cref="TransmogOptions.LoggerFactory"/>.
/// </summary>
/// <remarks>
/// <para>Activities: <c>transmog.run</c> (one input read into tables, from the start to the dispose of what reads it;
/// tags <c>transmog.entity</c>, <c>transmog.input</c>, <c>transmog.records</c>, <c>transmog.rejected</c>,
/// <c>transmog.bytes_read</c>, <c>transmog.tables</c>), <c>transmog.load</c> (a database load) and
/// <c>transmog.load.table</c> (one table of it; tags <c>db.system</c>, <c>transmog.table</c>, <c>db.collection.name</c>,
/// <c>transmog.rows</c>).</para>
/// <para>Instruments: counters <c>transmog.records</c> (records read per pass; tags <c>transmog.entity</c>,
/// <c>transmog.pass</c> = <c>scan</c> or <c>data</c>), <c>transmog.rows</c> (rows flattened into each table by a data
/// pass; tag <c>transmog.table</c>), <c>transmog.input.bytes</c> (decompressed input bytes read), <c>transmog.rejects</c>
/// (records rejected), <c>transmog.spill.bytes</c> (bytes written to temporary spill files),
/// <c>transmog.load.rows</c> (rows inserted per table; tags <c>db.system</c>, <c>transmog.table</c>); histograms
/// <c>transmog.run.duration</c> and <c>transmog.load.duration</c> (seconds; the load's per table, tags as above).
/// Everything is recorded once per pass, table or file, never per row.</para>
/// <para>Log categories <c>Transmog.Data</c> and <c>Transmog.Data.Loading</c>; event ids: 1 run started, 2 schema
/// fixed (tables discovered), 3 pass ended, 4 records rejected (count and first position), 5 schema drift, 6 spill
/// file opened, 7 spill file deleted, 8 run ended, 9 run failed; 20 load started, 21 DDL statement, 22 table loaded,
/// 23 load committed, 24 load failed (rolled back).</para>
/// </remarks>
internal static class TransmogDiagnostics
{
    /// <summary>The name of the activity source and of the meter: <c>Transmog.Data</c>.</summary>
    public const string Name = "Transmog.Data";
}
