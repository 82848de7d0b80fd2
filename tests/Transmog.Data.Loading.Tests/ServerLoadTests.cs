using System.Data.Common;
using MySqlConnector;
using Npgsql;
using Transmog.Data.Loading.Tests.Servers;
using Transmog.Data.TestSupport.Servers;

namespace Transmog.Data.Loading.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLoadTests(PostgresServer server) : LoadTestsBase
{
    protected override SqlDialect Dialect => SqlDialect.PostgreSql;

    protected override async Task<DbConnection> NewDatabaseAsync() => new NpgsqlConnection(await server.CreateDatabaseAsync());

    [SkippableFact]
    public async Task Dropped_connection_mid_load_commits_nothing()
    {
        string connectionString = await server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        int backend = connection.ProcessID;
        bool killed = false;
        var progress = new SyncProgress<LoadProgress>(p =>
        {
            if (!killed && p.TotalRows >= 5)
            {
                killed = true;
                using var admin = new NpgsqlConnection(server.AdminConnectionString);
                admin.Open();
                using var command = new NpgsqlCommand($"SELECT pg_terminate_backend({backend})", admin);
                command.ExecuteScalar();
            }
        });

        await Assert.ThrowsAnyAsync<Exception>(() => TransmogLoader.LoadAsync(
            JsonInput.FromFile(Repository.SamplePath), connection, new LoadOptions { Name = "customers", BatchSize = 1 }, progress));
        Assert.True(killed);
        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync();
        Assert.Equal(0, await TestData.ScalarAsync(check, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCliTests(PostgresServer server)
{
    [SkippableFact]
    public async Task Cli_loads_into_postgres_with_a_connection_string()
    {
        string connectionString = await server.CreateDatabaseAsync();
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await Transmog.Cli.TransmogCli.RunAsync(
            ["load", Repository.SamplePath, "--to", connectionString, "--provider", "postgres", "--name", "customers", "--foreign-keys", "--id-generation", "hash"], output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("(postgres)", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Host=", error.ToString(), StringComparison.Ordinal);

        code = await Transmog.Cli.TransmogCli.RunAsync(
            ["load", Repository.SamplePath, "--to", connectionString, "--provider", "postgres", "--name", "customers", "--append", "--id-generation", "hash"], output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Matches(@"customers\s+20 rows \(0 new\)", error.ToString());
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(20, await TestData.ScalarAsync(connection, "SELECT COUNT(*) FROM customers"));
    }
}

[Collection(MariaDbCollection.Name)]
public sealed class MariaDbLoadTests(MariaDbServer server) : LoadTestsBase
{
    protected override SqlDialect Dialect => SqlDialect.MySql;

    protected override async Task<DbConnection> NewDatabaseAsync() => new MySqlConnection(await server.CreateDatabaseAsync());

    [SkippableFact]
    public async Task Connection_without_AllowLoadLocalInfile_is_refused_clearly()
    {
        string connectionString = new MySqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { AllowLoadLocalInfile = false }.ConnectionString;
        await using var connection = new MySqlConnection(connectionString);
        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() =>
            TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, new LoadOptions { Name = "customers" }));
        Assert.Contains("AllowLoadLocalInfile=true", refused.Message, StringComparison.Ordinal);
    }
}
