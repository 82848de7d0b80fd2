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
    /// <summary>The keys a load adds after the rows (PostgreSQL builds each index once) are the ones the DDL declares.</summary>
    [SkippableFact]
    public async Task Keys_added_after_the_rows_equal_the_keys_the_ddl_declares()
    {
        var options = new TransmogOptions { IdGeneration = IdGeneration.Hash };
        await using var loaded = new NpgsqlConnection(await server.CreateDatabaseAsync());
        await TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), loaded,
            new LoadOptions { Name = "customers", ForeignKeys = true, Flatten = options });

        await using var declared = new NpgsqlConnection(await server.CreateDatabaseAsync());
        await declared.OpenAsync();
        TransmogSchema schema = JsonFlattener.ReadSchema(JsonInput.FromFile(Repository.SamplePath), "customers", options);
        await using (var create = new NpgsqlCommand(TransmogDdl.CreateTables(schema, SqlDialect.PostgreSql, foreignKeys: true), declared))
        {
            await create.ExecuteNonQueryAsync();
        }

        const string constraints = """
            SELECT c.conrelid::regclass::text || ' ' || c.conname || ' ' || c.contype::text || ' ' || pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = 'public' AND c.contype IN ('p', 'f') ORDER BY 1
            """;
        List<string> expected = await ListAsync(declared, constraints);
        List<string> actual = await ListAsync(loaded, constraints);
        Assert.Equal(schema.Tables.Count * 2 - 1, expected.Count);
        Assert.Contains(expected, c => c.StartsWith("customers_orders ", StringComparison.Ordinal) && c.EndsWith("FOREIGN KEY (_parent_id) REFERENCES customers(_id)", StringComparison.Ordinal));
        Assert.Equal(expected, actual);

        // The keys hold: a second row with a loaded id is refused.
        await using var duplicate = new NpgsqlCommand("INSERT INTO customers (_id) SELECT _id FROM customers LIMIT 1", loaded);
        await Assert.ThrowsAsync<PostgresException>(() => duplicate.ExecuteNonQueryAsync());
    }

    /// <summary>A duplicate id is found when the key is added after the rows: the load fails naming the table and commits nothing.</summary>
    [SkippableFact]
    public async Task Duplicate_ids_fail_when_the_key_is_added_and_commit_nothing()
    {
        // Two identical records get one hash id.
        string json = "{\"a\": 1, \"items\": [{\"b\": 2}]}\n{\"a\": 3}\n{\"a\": 1, \"items\": [{\"b\": 2}]}\n";
        string connectionString = await server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        TransmogException error = await Assert.ThrowsAsync<TransmogException>(() => TransmogLoader.LoadAsync(
            JsonInput.FromString(json), connection,
            new LoadOptions { Name = "dup", Flatten = new TransmogOptions { IdGeneration = IdGeneration.Hash } }));
        Assert.Contains("'dup'", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was committed", error.Message, StringComparison.Ordinal);
        Assert.Contains("same id", error.Message, StringComparison.Ordinal);

        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync();
        Assert.Equal(0, await TestData.ScalarAsync(check, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection connection, string sql)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync();
        }

        var list = new List<string>();
        await using var command = new NpgsqlCommand(sql, connection);
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetString(0));
        }

        return list;
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
