namespace Transmog.Cli.Reporting;

/// <summary>The process exit codes of <c>transmog</c>, the same for every command (README "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>Everything was read and written.</summary>
    public const int Success = 0;

    /// <summary>Bad input (under <c>--on-error strict</c>), a refused output or database, an I/O failure: nothing is left looking complete.</summary>
    public const int DataError = 1;

    /// <summary>Unknown option, invalid option value, missing input file: nothing was read.</summary>
    public const int UsageError = 2;

    /// <summary>Done, but some records were rejected (<c>--on-error skip</c>): they are in <c>_rejects.jsonl</c> or were left out of the load.</summary>
    public const int SuccessWithRejects = 3;

    /// <summary>Interrupted (Ctrl+C, SIGINT or SIGTERM); nothing is left looking complete, a load is rolled back (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
