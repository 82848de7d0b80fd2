using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Transmog.Data.TestSupport.Servers;

/// <summary>
/// A private one-node Slurm cluster (Debian's slurmctld, slurmd and client commands, with munge): munged with a
/// temporary key and its own socket, slurmctld and slurmd on free loopback ports, every file (configuration, state,
/// spool, logs, pid files) in a temporary directory, stopped and deleted after the tests. The daemons run as the
/// current user (root under CI); <c>proctrack/linuxproc</c> and <c>task/none</c> need no cgroups, and there is no
/// accounting database: job states come from the controller, which keeps finished jobs for an hour.
/// Every client command runs with <c>SLURM_CONF</c> naming this cluster's configuration (<see cref="ClientEnvironment"/>).
/// </summary>
public sealed class SlurmCluster : LocalServer
{
    /// <summary>The key under which <see cref="StatesAsync"/> reports a job that is not an array.</summary>
    public const int NoArray = -1;

    private const string NodeName = "node0";

    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    // Job states after which a job or array task does not change any more (squeue's long names).
    private static readonly HashSet<string> FinalStates = new(StringComparer.Ordinal)
    {
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE",
    };

    private readonly List<Process> _daemons = [];
    private int _scripts;

    public override string Name => "Slurm";

    /// <summary>The cluster's slurm.conf (in its temporary directory).</summary>
    public string ConfigPath => Path.Combine(Directory, "slurm.conf");

    /// <summary>What a child process needs in its environment to talk to this cluster (<c>SLURM_CONF</c>).</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment => new Dictionary<string, string> { ["SLURM_CONF"] = ConfigPath };

    protected override bool RunsAsAccount => false;

    private string MungeSocket => Path.Combine(Directory, "munge.socket");

    private static string UserName => IsRoot ? "root" : Environment.UserName;

    /// <summary>
    /// Submits a batch script (its text; <c>#!/bin/sh</c> is put first when it has no <c>#!</c> line) with
    /// <c>sbatch --parsable</c>, run in <paramref name="workDirectory"/> (where <c>slurm-%A_%a.out</c> goes).
    /// </summary>
    /// <param name="array">An <c>--array</c> specification (<c>0-3</c>, <c>2</c>), or null for a single job.</param>
    /// <param name="afterOk">A job id the new job waits for (<c>--dependency=afterok:ID</c>: every task completed), or null.</param>
    /// <returns>The job id.</returns>
    public async Task<string> SubmitAsync(string script, string workDirectory, string? array = null, string? afterOk = null)
    {
        Require();
        string jobs = Path.Combine(Directory, "jobs");
        System.IO.Directory.CreateDirectory(jobs);
        string path = Path.Combine(jobs, $"job-{Interlocked.Increment(ref _scripts)}.sh");
        await File.WriteAllTextAsync(path, script.StartsWith("#!", StringComparison.Ordinal) ? script : "#!/bin/sh\n" + script).ConfigureAwait(false);
        List<string> arguments = ["--parsable", "--job-name=transmog-test", "--chdir=" + workDirectory];
        if (array is not null)
        {
            arguments.Add("--array=" + array);
        }

        if (afterOk is not null)
        {
            arguments.Add("--dependency=afterok:" + afterOk);
        }

        arguments.Add(path);
        string output = await ClientAsync("sbatch", arguments).ConfigureAwait(false);
        string id = output.Trim().Split(';')[0];
        return id.Length > 0 && id.All(char.IsAsciiDigit) ? id : throw new InvalidOperationException($"sbatch printed no job id: {Tail(output)}");
    }

    /// <summary>
    /// The state of each task of a job now (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, ...), by array index
    /// (<see cref="NoArray"/> for a job that is not an array); empty when the controller does not know the job.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, string>> StatesAsync(string jobId)
    {
        Require();
        string output = await ClientAsync("squeue", ["--noheader", "--array", "--states=all", "--jobs=" + jobId, "--format=%K|%T"]).ConfigureAwait(false);
        var states = new SortedDictionary<int, string>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split('|');
            if (fields.Length != 2)
            {
                throw new InvalidOperationException($"Unexpected squeue line: {line}");
            }

            int index = int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : NoArray;
            states[index] = fields[1];
        }

        return states;
    }

    /// <summary>Waits until every task of the job has ended; returns each task's final state by array index.</summary>
    /// <exception cref="TimeoutException">A task was still pending or running after <paramref name="timeout"/>.</exception>
    public async Task<IReadOnlyDictionary<int, string>> WaitAsync(string jobId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyDictionary<int, string> states = await StatesAsync(jobId).ConfigureAwait(false);
            if (states.Count > 0 && states.Values.All(FinalStates.Contains))
            {
                return states;
            }

            if (clock.Elapsed > timeout)
            {
                string now = string.Join(", ", states.Select(s => $"{s.Key}={s.Value}"));
                throw new TimeoutException($"Slurm job {jobId} did not end in {timeout.TotalSeconds:0} s ({(now.Length > 0 ? now : "unknown to the controller")}). {LogTail("slurmctld.log")}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until one task of a job is in <paramref name="state"/> (RUNNING, say).</summary>
    /// <exception cref="TimeoutException">It was not after <paramref name="timeout"/>.</exception>
    public async Task WaitForStateAsync(string jobId, int arrayIndex, string state, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyDictionary<int, string> states = await StatesAsync(jobId).ConfigureAwait(false);
            string? now = states.GetValueOrDefault(arrayIndex);
            if (now == state)
            {
                return;
            }

            if (clock.Elapsed > timeout || (now is not null && FinalStates.Contains(now)))
            {
                throw new TimeoutException($"Slurm job {jobId} task {arrayIndex} is {now ?? "unknown"}, not {state}.");
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends a signal to every process of a running job or array task, its batch shell included
    /// (<c>scancel --full --signal=KILL</c>): a task killed so ends CANCELLED, not COMPLETED.
    /// </summary>
    public async Task SignalAsync(string jobId, int arrayIndex = NoArray, string signal = "KILL")
    {
        Require();
        string target = arrayIndex == NoArray ? jobId : jobId + "_" + arrayIndex.ToString(CultureInfo.InvariantCulture);
        _ = await ClientAsync("scancel", ["--full", "--signal=" + signal, target]).ConfigureAwait(false);
    }

    /// <summary>Runs a Slurm client command (<c>scontrol</c>, <c>squeue</c>, ...) against this cluster; returns what it printed.</summary>
    public Task<string> CommandAsync(string command, params string[] arguments)
    {
        Require();
        return ClientAsync(command, arguments);
    }

    protected override async Task StartAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException("the private Slurm cluster runs on Linux only");
        }

        string munged = FindBinary("/usr/sbin/munged") ?? throw new InvalidOperationException("munged not found (Debian package munge)");
        string slurmctld = FindBinary("/usr/sbin/slurmctld") ?? throw new InvalidOperationException("slurmctld not found (Debian package slurmctld)");
        string slurmd = FindBinary("/usr/sbin/slurmd") ?? throw new InvalidOperationException("slurmd not found (Debian package slurmd)");
        _ = FindBinary("/usr/bin/sbatch") ?? throw new InvalidOperationException("sbatch not found (Debian package slurm-client)");

        // munged refuses a key or socket directory that others may write; the key is readable by its owner only.
        File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string key = Path.Combine(Directory, "munge.key");
        await File.WriteAllBytesAsync(key, RandomNumberGenerator.GetBytes(1024)).ConfigureAwait(false);
        File.SetUnixFileMode(key, UnixFileMode.UserRead);
        StartDaemon(munged, [
            "--foreground", "--force", "--socket=" + MungeSocket, "--key-file=" + key, "--pid-file=" + Path.Combine(Directory, "munged.pid"),
            "--log-file=" + Path.Combine(Directory, "munged.log"), "--seed-file=" + Path.Combine(Directory, "munged.seed")]);
        await WaitUntilAsync(() => Task.FromResult(File.Exists(MungeSocket)), TimeSpan.FromSeconds(20), "munged did not create its socket", "munged.log").ConfigureAwait(false);

        int daemonPort;
        do
        {
            daemonPort = FreePort();
        }
        while (daemonPort == Port);

        foreach (string sub in (string[])["state", "spool", "jobs"])
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, sub));
        }

        await File.WriteAllTextAsync(ConfigPath, Configuration(daemonPort)).ConfigureAwait(false);
        StartDaemon(slurmctld, ["-D", "-f", ConfigPath]);
        StartDaemon(slurmd, ["-D", "-f", ConfigPath, "-N", NodeName]);

        await WaitUntilAsync(
            async () =>
            {
                try
                {
                    return (await ClientAsync("sinfo", ["--noheader", "--Node", "--nodes=" + NodeName, "--format=%T"], TimeSpan.FromSeconds(15)).ConfigureAwait(false)).Trim() == "idle";
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
                {
                    return false; // The controller is not answering yet.
                }
            },
            TimeSpan.FromSeconds(60),
            "the Slurm node did not become idle",
            "slurmctld.log",
            "slurmd.log").ConfigureAwait(false);
    }

    protected override async Task StopAsync()
    {
        if (_daemons.Count == 0)
        {
            return;
        }

        // Jobs first, while the daemons run: their processes end with them (slurmstepd outlives slurmd otherwise).
        try
        {
            _ = await ClientAsync("scancel", ["--full", "--quiet", "--user=" + UserName], TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(15)
                && (await ClientAsync("squeue", ["--noheader", "--states=PENDING,RUNNING,CONFIGURING,COMPLETING,SUSPENDED", "--format=%i"], TimeSpan.FromSeconds(15)).ConfigureAwait(false)).Trim().Length > 0)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or System.ComponentModel.Win32Exception)
        {
            // The controller or its commands are gone already: the processes are found below.
        }

        // slurmd, slurmctld, munged: the reverse of their start.
        for (int i = _daemons.Count - 1; i >= 0; i--)
        {
            Process daemon = _daemons[i];
            if (!daemon.HasExited)
            {
                _ = kill(daemon.Id, 15);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                try
                {
                    await daemon.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    daemon.Kill(entireProcessTree: true);
                }
            }

            daemon.Dispose();
        }

        _daemons.Clear();
        KillStrays();
    }

    private string Configuration(int daemonPort)
    {
        string host = Dns.GetHostName().Split('.')[0];
        long memoryMb = 1024;
        try
        {
            string? total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (total is not null && long.TryParse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture, out long kb))
            {
                memoryMb = Math.Max(256, kb / 1024 / 2);
            }
        }
        catch (IOException)
        {
            // The default is enough for the tests' jobs (memory is not a consumable resource here).
        }

        var text = new StringBuilder();
        foreach (string line in (string[])[
            "ClusterName=transmogtest",
            $"SlurmctldHost={host}(127.0.0.1)",
            $"SlurmctldPort={Port}",
            $"SlurmdPort={daemonPort}",
            "AuthType=auth/munge",
            "CredType=cred/munge",
            "AuthInfo=socket=" + MungeSocket,
            "SlurmUser=" + UserName,
            "SlurmdUser=" + UserName,
            "StateSaveLocation=" + Path.Combine(Directory, "state"),
            "SlurmdSpoolDir=" + Path.Combine(Directory, "spool"),
            "SlurmctldPidFile=" + Path.Combine(Directory, "slurmctld.pid"),
            "SlurmdPidFile=" + Path.Combine(Directory, "slurmd.pid"),
            "SlurmctldLogFile=" + Path.Combine(Directory, "slurmctld.log"),
            "SlurmdLogFile=" + Path.Combine(Directory, "slurmd.log"),
            "SlurmctldDebug=info",
            "SlurmdDebug=info",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "JobAcctGatherType=jobacct_gather/none",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "SwitchType=switch/none",
            "MpiDefault=none",
            "MailProg=/bin/true",
            "SchedulerType=sched/builtin",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_CPU",
            // Pending jobs are looked at every second; a job whose dependency failed is cancelled, not left pending.
            "SchedulerParameters=sched_interval=1",
            "DependencyParameters=kill_invalid_depend",
            // Finished jobs stay known to the controller (squeue --states=all) for an hour.
            "MinJobAge=3600",
            "ReturnToService=2",
            "KillWait=2",
            "InactiveLimit=0",
            $"NodeName={NodeName} NodeAddr=127.0.0.1 NodeHostname={host} CPUs={Environment.ProcessorCount} RealMemory={memoryMb} State=UNKNOWN",
            $"PartitionName=main Nodes={NodeName} Default=YES MaxTime=INFINITE State=UP"])
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private void StartDaemon(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Directory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SLURM_CONF"] = ConfigPath;
        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {Path.GetFileName(file)}.");
        _daemons.Add(process);
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private async Task WaitUntilAsync(Func<Task<bool>> ready, TimeSpan timeout, string failure, params string[] logs)
    {
        var clock = Stopwatch.StartNew();
        while (!await ready().ConfigureAwait(false))
        {
            Process? ended = _daemons.FirstOrDefault(d => d.HasExited);
            if (ended is not null || clock.Elapsed > timeout)
            {
                string why = ended is not null ? $"{Path.GetFileName(ended.StartInfo.FileName)} exited with {ended.ExitCode}" : $"after {timeout.TotalSeconds:0} s";
                throw new InvalidOperationException($"{failure} ({why}). {string.Join(' ', logs.Select(LogTail))}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    private string LogTail(string name)
    {
        string path = Path.Combine(Directory, name);
        try
        {
            return File.Exists(path) ? name + ": " + Tail(File.ReadAllText(path)) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private async Task<string> ClientAsync(string command, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(FindBinary("/usr/bin/" + command) ?? command) { WorkingDirectory = Directory };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SLURM_CONF"] = ConfigPath;
        TimeSpan limit = timeout ?? ClientTimeout;
        ChildProcess.Result result = await Task.Run(() => ChildProcess.Run(start, limit)).ConfigureAwait(false);
        if (result.TimedOut)
        {
            throw new TimeoutException($"{command} did not finish in {limit.TotalSeconds:0} s.");
        }

        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', start.ArgumentList)} exited with {result.ExitCode}: {Tail(result.Output + result.Error)}");
        }

        return result.Output;
    }

    /// <summary>
    /// Kills what this cluster left running after its daemons stopped: a job step (slurmstepd) or job process that
    /// outlived them. They are recognised by this cluster's own <c>SLURM_CONF</c> in their environment.
    /// </summary>
    private void KillStrays()
    {
        byte[] mark = Encoding.UTF8.GetBytes("SLURM_CONF=" + ConfigPath + "\0");
        int self = Environment.ProcessId;
        foreach (string dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid == self)
            {
                continue;
            }

            try
            {
                byte[] environment = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (environment.AsSpan().IndexOf(mark) >= 0)
                {
                    _ = kill(pid, 9);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone already, or another user's.
            }
        }
    }
}
