using Npgsql;

namespace Transmog.Data.TestSupport.Servers;

/// <summary>A private PostgreSQL: initdb into a temporary directory, started with pg_ctl on a free loopback port.</summary>
public sealed class PostgresServer : LocalServer
{
    private string? _pgCtl;

    public override string Name => "PostgreSQL";

    private string DataDirectory => Path.Combine(Directory, "data");

    protected override async Task StartAsync()
    {
        string initdb = FindBinary("/usr/lib/postgresql/*/bin/initdb", "/usr/local/bin/initdb", "/usr/bin/initdb")
            ?? throw new InvalidOperationException("initdb not found (Debian package postgresql)");
        string bin = Path.GetDirectoryName(Path.GetFullPath(ResolveLink(initdb)))!;
        _pgCtl = Path.Combine(bin, "pg_ctl");
        Run(initdb, ["-D", DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"], asAccount: true, workingDirectory: Directory);
        string serverOptions = $"-c listen_addresses=127.0.0.1 -p {Port} -k {Directory} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50";
        Run(_pgCtl, ["-D", DataDirectory, "-l", Path.Combine(Directory, "server.log"), "-o", serverOptions, "-w", "-t", "60", "start"], asAccount: true, workingDirectory: Directory);
        AdminConnectionString = $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Timeout=30;Command Timeout=120";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
    }

    protected override Task StopAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_pgCtl is not null && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            Run(_pgCtl, ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], asAccount: true, workingDirectory: Directory);
        }

        return Task.CompletedTask;
    }

    /// <summary>A new empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        Require();
        string name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    private static string ResolveLink(string path)
    {
        FileSystemInfo? target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName ?? path;
    }
}
