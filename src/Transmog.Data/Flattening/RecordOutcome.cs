using System.Runtime.ExceptionServices;
using Transmog.Data.Input;

namespace Transmog.Data.Flattening;

/// <summary>
/// What becomes of one record, decided in one place for every pass (record by record, or chunks on several cores):
/// its rows stay pending for the caller to commit; or it fails, its rows are rolled back, and the options decide
/// whether it is rejected (and the pass goes on) or stops the pass.
/// </summary>
internal static class RecordOutcome
{
    /// <summary>Flattens a record; on a record error, rolls its rows back and returns the error naming it.</summary>
    /// <returns><c>null</c> when the record's rows are pending in the flattener's targets.</returns>
    /// <exception cref="Exception">Anything that is not an error of the record (a bug, the machine, cancellation) propagates.</exception>
    public static TransmogInputException? Flatten(RecordFlattener flattener, in RawRecord record)
    {
        try
        {
            flattener.Flatten(record);
            return null;
        }
        catch (Exception ex) when (ex is TransmogInputException or FormatException)
        {
            flattener.RollBackRecord();
            return ex as TransmogInputException
                ?? new TransmogInputException("Cannot compute the record's id: " + ex.Message, record.Position, ex);
        }
    }

    /// <summary>Whether the options reject a record with this error (and go on) rather than stop.</summary>
    public static bool IsRejected(TransmogInputException error, TransmogOptions options) =>
        error is TransmogSchemaDriftException
            ? options.SchemaDrift == RecoveryMode.Skip
            : options.RecoveryMode == RecoveryMode.Skip;

    /// <summary>The reject of a failed record, with its position, error and raw text.</summary>
    public static RejectedRecord Reject(TransmogInputException error, in RawRecord record) =>
        new(error.Position, error.Reason, record.Utf8.Span);

    /// <summary>Throws a record's error, keeping the stack of where it was first thrown.</summary>
    public static void Throw(TransmogInputException error) => ExceptionDispatchInfo.Throw(error);
}
