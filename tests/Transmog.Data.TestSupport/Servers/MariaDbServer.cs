using System.Diagnostics;
using MySqlConnector;

namespace Transmog.Data.TestSupport.Servers;

/// <summary>
/// A private MariaDB (or MySQL): mariadb-install-db into a temporary directory, mariadbd on a free loopback port
/// with <c>local_infile=ON</c> and without grant tables (root, no password; the server is reachable from this
/// machine only and deleted afterwards).
/// </summary>
public sealed class MariaDbServer : LocalServer
{
    private Process? _process;

    public override string Name => "MariaDB";

    private string DataDirectory => Path.Combine(Directory, "data");

    protected override async Task StartAsync()
    {
        string server = FindBinary("/usr/sbin/mariadbd", "/usr/sbin/mysqld", "/usr/bin/mariadbd")
            ?? throw new InvalidOperationException("mariadbd not found (Debian package mariadb-server)");
        string install = FindBinary("/usr/bin/mariadb-install-db", "/usr/bin/mysql_install_db", "/usr/scripts/mariadb-install-db")
            ?? throw new InvalidOperationException("mariadb-install-db not found (Debian package mariadb-server)");
        List<string> user = IsRoot ? ["--user=" + Account] : [];
        Run(install, ["--no-defaults", .. user, "--datadir=" + DataDirectory, "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve"], timeoutSeconds: 180, workingDirectory: Directory);
        var start = new ProcessStartInfo(server) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, WorkingDirectory = Directory };
        foreach (string argument in (string[])[
            "--no-defaults", .. user, "--datadir=" + DataDirectory, "--socket=" + Path.Combine(Directory, "mysqld.sock"),
            "--pid-file=" + Path.Combine(Directory, "mysqld.pid"), "--log-error=" + Path.Combine(Directory, "error.log"),
            "--tmpdir=" + Directory, "--port=" + Port, "--bind-address=127.0.0.1", "--skip-grant-tables", "--skip-name-resolve",
            "--local-infile=1", "--skip-log-bin", "--innodb-flush-log-at-trx-commit=0", "--innodb-buffer-pool-size=64M",
            "--innodb-log-file-size=16M", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_bin"])
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Cannot start mariadbd.");
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        AdminConnectionString = $"Server=127.0.0.1;Port={Port};User ID=root;AllowLoadLocalInfile=true;Connection Timeout=5;Default Command Timeout=120";
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new MySqlConnection(AdminConnectionString);
                await connection.OpenAsync().ConfigureAwait(false);
                return;
            }
            catch (MySqlException) when (clock.Elapsed < TimeSpan.FromSeconds(60) && !_process.HasExited)
            {
                await Task.Delay(200).ConfigureAwait(false);
            }
            catch (MySqlException ex)
            {
                string log = Path.Combine(Directory, "error.log");
                throw new InvalidOperationException($"mariadbd did not accept connections: {ex.Message} {(File.Exists(log) ? Tail(File.ReadAllText(log)) : string.Empty)}");
            }
        }
    }

    protected override async Task StopAsync()
    {
        MySqlConnection.ClearAllPools();
        if (_process is { HasExited: false })
        {
            _ = kill(_process.Id, 15);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        Require();
        string name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new MySqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new MySqlCommand($"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new MySqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }
}
