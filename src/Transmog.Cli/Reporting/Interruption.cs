using System.Runtime.InteropServices;
using Transmog.Data.Rows;

namespace Transmog.Cli.Reporting;

/// <summary>
/// SIGINT and SIGTERM for the process: the first cancels the run, which stops at its next check, deletes its temporary
/// files and exits 130 by itself. A run that cannot see the cancellation in time (a read blocked on a pipe or a
/// terminal that sends nothing more) is ended after <see cref="Grace"/>, or at once by a second signal: its temporary
/// files (spill files, files not yet renamed) are deleted first, then one <c>transmog:</c> line, exit 130.
/// </summary>
internal sealed class Interruption : IDisposable
{
    /// <summary>How long a cancelled run has to stop by itself (Slurm and Kubernetes wait 30 s before SIGKILL).</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;
    private readonly TextWriter _error;
    private readonly TextWriter _output;
    private readonly bool _json;
    private readonly string? _command;
    private int _signals;

    public Interruption(TextWriter output, TextWriter error, string[] args)
    {
        _output = output;
        _error = error;
        _json = TransmogCli.WantsJson(args);
        _command = TransmogCli.CommandOf(args);
        var registrations = new List<PosixSignalRegistration>(2);
        foreach (PosixSignal signal in (PosixSignal[])[PosixSignal.SIGINT, PosixSignal.SIGTERM])
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal: the runtime's default handling stays.
            }
        }

        _registrations = [.. registrations];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancel.Token;

    public void Dispose()
    {
        foreach (PosixSignalRegistration registration in _registrations)
        {
            registration.Dispose();
        }

        _cancel.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        // The run ends itself (exit code 130); the default action would kill it with its files left behind.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) > 1)
        {
            End("interrupted again: stopped at once");
            return;
        }

        _cancel.Cancel();
        _ = Task.Run(async () =>
        {
            await Task.Delay(Grace).ConfigureAwait(false);
            End($"interrupted: the run did not stop within {Grace.TotalSeconds:0} s (a read waiting for input); its temporary files were deleted");
        });
    }

    private void End(string message)
    {
        TemporaryFiles.DeleteAll();
        lock (this)
        {
            _error.WriteLine("transmog: " + message);
            _error.Flush();
            if (_json)
            {
                Summary.WriteFailureJsonAsync(_output, _command, ExitCodes.Interrupted, message).GetAwaiter().GetResult();
                _output.Flush();
            }
        }

        Environment.Exit(ExitCodes.Interrupted);
    }
}
