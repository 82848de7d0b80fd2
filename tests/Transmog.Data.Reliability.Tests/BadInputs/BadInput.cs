namespace Transmog.Data.Reliability.Tests.BadInputs;

/// <summary>What a bad input must produce under <see cref="RecoveryMode.Strict"/>.</summary>
public abstract record StrictOutcome;

/// <summary>The input is fine: this many main-table rows.</summary>
public sealed record Flattens(int MainRows, Action<FlattenResult>? Check = null) : StrictOutcome;

/// <summary>
/// A <see cref="TransmogInputException"/> at this place. <c>null</c> column or offset: not asserted exactly (the
/// text says why). <paramref name="Contains"/> is a piece of the reason.
/// </summary>
public sealed record Fails(long? Line, long? Column, long? ByteOffset, string Path, string Contains, long? Record = null) : StrictOutcome;

/// <summary>What the same input must produce under <see cref="RecoveryMode.Skip"/>.</summary>
public abstract record SkipOutcome;

/// <summary>The good records flatten (this many main rows) and each bad one is a reject.</summary>
public sealed record Rejects(int GoodRows, params Reject[] Expected) : SkipOutcome;

/// <summary>Even under Skip the run stops (the input cannot be resynchronised, or a limit was hit).</summary>
public sealed record StillFails(string Contains, string Why) : SkipOutcome;

/// <summary>One expected reject: its line and record number, a piece of its raw text and of its error.</summary>
public sealed record Reject(long Line, long Record, string RawContains, string ErrorContains);

/// <summary>One hostile or broken input with its expected outcome in both recovery modes.</summary>
public sealed record BadInput(string Name, byte[] Bytes, StrictOutcome Strict, SkipOutcome Skip)
{
    public TransmogOptions Options { get; init; } = new();

    /// <summary>Records in the input, good and bad (checked against the run's count under Skip).</summary>
    public int? Records { get; init; }

    public override string ToString() => Name;
}
