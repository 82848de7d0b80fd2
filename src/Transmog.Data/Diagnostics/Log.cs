using Microsoft.Extensions.Logging;

namespace Transmog.Data.Diagnostics;

/// <summary>The core's log events, with stable ids (listed in <see cref="TransmogDiagnostics"/>).</summary>
internal static partial class Log
{
    public const string Category = "Transmog.Data";

    [LoggerMessage(EventId = 1, EventName = "RunStarted", Level = LogLevel.Information,
        Message = "Run started: input {Input}, entity {Entity}, schema from {SchemaSource}, options {Options}")]
    public static partial void RunStarted(ILogger logger, string input, string entity, string schemaSource, string options);

    [LoggerMessage(EventId = 2, EventName = "SchemaFixed", Level = LogLevel.Information,
        Message = "Schema fixed: {TableCount} tables ({Tables}), {ColumnCount} columns")]
    public static partial void SchemaFixed(ILogger logger, int tableCount, string tables, int columnCount);

    [LoggerMessage(EventId = 3, EventName = "PassEnded", Level = LogLevel.Debug,
        Message = "{Pass} pass ended: {Records} records, {Bytes} bytes read, {Rejected} rejected, complete: {Complete}")]
    public static partial void PassEnded(ILogger logger, string pass, long records, long bytes, long rejected, bool complete);

    [LoggerMessage(EventId = 4, EventName = "RecordsRejected", Level = LogLevel.Warning,
        Message = "{Rejected} records rejected; the first at {Position}: {Reason}")]
    public static partial void RecordsRejected(ILogger logger, long rejected, string position, string reason);

    [LoggerMessage(EventId = 5, EventName = "SchemaDrift", Level = LogLevel.Error,
        Message = "Schema drift in table {Table}, column {Column} at {Position}: {Reason}")]
    public static partial void SchemaDrift(ILogger logger, string table, string column, string position, string reason);

    [LoggerMessage(EventId = 6, EventName = "SpillFileOpened", Level = LogLevel.Debug,
        Message = "Spill file {Path} opened for table {Table}")]
    public static partial void SpillFileOpened(ILogger logger, string path, string table);

    [LoggerMessage(EventId = 7, EventName = "SpillFileDeleted", Level = LogLevel.Debug,
        Message = "Spill file {Path} of table {Table} deleted ({Bytes} bytes)")]
    public static partial void SpillFileDeleted(ILogger logger, string path, string table, long bytes);

    [LoggerMessage(EventId = 8, EventName = "RunEnded", Level = LogLevel.Information,
        Message = "Run ended: {Records} records, {Rejected} rejected, {Bytes} input bytes read, {Tables} tables, {Rows} rows, in {ElapsedMs} ms")]
    public static partial void RunEnded(ILogger logger, long records, long rejected, long bytes, int tables, long rows, long elapsedMs);

    [LoggerMessage(EventId = 9, EventName = "RunFailed", Level = LogLevel.Error,
        Message = "Run failed after {Records} records and {ElapsedMs} ms: {Reason}")]
    public static partial void RunFailed(ILogger logger, Exception exception, long records, long elapsedMs, string reason);
}
