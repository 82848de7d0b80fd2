using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Transmog.Data.TestSupport.Servers;

/// <summary>
/// A database server the tests start themselves: on loopback, on a free port, in a temporary directory, stopped and
/// deleted after the tests. Run as root (CI), the server runs as the unprivileged account <see cref="Account"/>
/// (PostgreSQL refuses root). Where the binaries are missing the tests are skipped with the reason, except under
/// <c>CI=true</c>, where they fail: CI must run them (scripts/services.sh installs the servers).
/// <c>TRANSMOG_TEST_SERVERS=off</c> treats the servers as unavailable (a quick run without them).
/// </summary>
public abstract class LocalServer : IAsyncLifetime
{
    public const string Account = "transmogtest";

    private string? _failure;

    protected string Directory { get; private set; } = string.Empty;

    protected int Port { get; private set; }

    /// <summary>Connection string of the server's administrative database.</summary>
    public string AdminConnectionString { get; protected set; } = string.Empty;

    public abstract string Name { get; }

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    protected static bool IsRoot => Environment.UserName == "root" || geteuid() == 0;

    /// <summary>Skips the calling test (or, under CI, fails it) when the server could not start.</summary>
    public void Require()
    {
        if (_failure is null)
        {
            return;
        }

        if (IsCi)
        {
            throw new InvalidOperationException($"{Name} did not start, and CI=true requires it: {_failure}");
        }

        Skip.If(true, $"SKIPPED: {Name} is not available here ({_failure}). Run scripts/services.sh install.");
    }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("TRANSMOG_TEST_SERVERS") == "off")
        {
            _failure = "TRANSMOG_TEST_SERVERS=off";
            return;
        }

        try
        {
            // As root, under /tmp: the unprivileged account must reach the directory (TMPDIR may be root's own).
            Directory = Path.Combine(IsRoot ? "/tmp" : Path.GetTempPath(), "transmog-" + Name.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..8]);
            System.IO.Directory.CreateDirectory(Directory);
            if (IsRoot && RunsAsAccount)
            {
                EnsureAccount();
                Run("chown", ["-R", Account + ":" + Account, Directory]);
            }

            Port = FreePort();
            await StartAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _failure = ex.Message;
            await StopQuietlyAsync().ConfigureAwait(false);
        }
    }

    public async Task DisposeAsync()
    {
        await StopQuietlyAsync().ConfigureAwait(false);
    }

    private async Task StopQuietlyAsync()
    {
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // Best effort.
        }

        try
        {
            if (Directory.Length > 0 && System.IO.Directory.Exists(Directory))
            {
                System.IO.Directory.Delete(Directory, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file still held open; the temporary directory is cleaned by the system.
        }
    }

    /// <summary>
    /// Whether the server runs as the unprivileged <see cref="Account"/> when the tests run as root (the temporary
    /// directory is then given to it). A server that runs as root itself (Slurm's daemons) says no.
    /// </summary>
    protected virtual bool RunsAsAccount => true;

    protected abstract Task StartAsync();

    protected abstract Task StopAsync();

    protected static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The first existing file among the candidates (globs are expanded in version order, newest first).</summary>
    protected static string? FindBinary(params string[] candidates)
    {
        foreach (string candidate in candidates)
        {
            if (candidate.Contains('*'))
            {
                string root = candidate[..candidate.IndexOf('*')].TrimEnd('/');
                string rest = candidate[(candidate.IndexOf('*') + 1)..].TrimStart('/');
                if (!System.IO.Directory.Exists(root))
                {
                    continue;
                }

                foreach (string dir in System.IO.Directory.GetDirectories(root).OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0))
                {
                    string path = Path.Combine(dir, rest);
                    if (File.Exists(path))
                    {
                        return path;
                    }
                }
            }
            else if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        foreach (string name in candidates.Select(c => Path.GetFileName(c)).Distinct())
        {
            foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                string path = Path.Combine(dir, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    /// <summary>Runs a command to its end (as the unprivileged account when <paramref name="asAccount"/> and root); throws with its output on failure.</summary>
    protected static string Run(string file, IEnumerable<string> arguments, bool asAccount = false, int timeoutSeconds = 120, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo();
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        if (asAccount && IsRoot)
        {
            start.FileName = "runuser";
            foreach (string a in (string[])["-u", Account, "--", file])
            {
                start.ArgumentList.Add(a);
            }
        }
        else
        {
            start.FileName = file;
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        ChildProcess.Result result = ChildProcess.Run(start, TimeSpan.FromSeconds(timeoutSeconds));
        if (result.TimedOut)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} did not finish in {timeoutSeconds} s.");
        }

        string output = result.Output + result.Error;
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', start.ArgumentList)} exited with {result.ExitCode}: {Tail(output)}");
        }

        return output;
    }

    protected static string Tail(string text) => text.Length <= 600 ? text.Trim() : "..." + text[^600..].Trim();

    private static void EnsureAccount()
    {
        try
        {
            Run("id", ["-u", Account]);
        }
        catch (InvalidOperationException)
        {
            Run("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "--user-group", Account]);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    protected static extern int kill(int pid, int signal);
}
