using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Transmog.Data.Loading.Tests.Servers;
using Transmog.Data.TestSupport.Servers;

namespace Transmog.Data.Loading.Tests;

/// <summary>
/// <c>load --shard K/N --schema S --append</c>: the shards of one input loaded into one database, concurrently, give the
/// rows of a one-shot load; a rerun of a shard adds nothing.
/// </summary>
public abstract class CliShardLoadTestsBase : IDisposable
{
    private const int Shards = 3;

    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-shard-load-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>The database to load into (a connection string or a file) and a connection to check it.</summary>
    protected abstract Task<(string[] Target, Func<DbConnection> Connect)> NewDatabaseAsync(string name);

    protected virtual bool Concurrently => true;

    [SkippableFact]
    public async Task Shards_appended_concurrently_equal_a_one_shot_load_and_a_rerun_adds_nothing()
    {
        string input = Path.Combine(_directory, "events.jsonl");
        await File.WriteAllLinesAsync(input, Enumerable.Range(0, 600).Select(i =>
            $"{{\"id\":{i},\"score\":{(i > 450 ? (i + 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture) : i.ToString(System.Globalization.CultureInfo.InvariantCulture))},"
            + $"\"items\":[{string.Join(",", Enumerable.Range(0, i % 3).Select(j => $"{{\"n\":{j}}}"))}]{(i > 500 ? ",\"late\":\"x\"" : "")}}}"));

        // One schema for every shard: each shard's own, merged.
        var schemaFiles = new List<string>();
        for (int k = 0; k < Shards; k++)
        {
            string file = Path.Combine(_directory, $"schema-{k}.json");
            var (code, _, error) = await CliRunner.RunAsync("schema", input, "--name", "events", "--shard", $"{k}/{Shards}", "--save", file, "-q");
            Assert.True(code == 0, error);
            schemaFiles.Add(file);
        }

        string schema = Path.Combine(_directory, "schema.json");
        Assert.Equal(0, (await CliRunner.RunAsync(["schema", "--merge", .. schemaFiles, "--save", schema, "-q"])).Code);

        (string[] whole, Func<DbConnection> connectWhole) = await NewDatabaseAsync("whole");
        (string[] sharded, Func<DbConnection> connectSharded) = await NewDatabaseAsync("sharded");
        var one = await CliRunner.RunAsync(["load", input, .. whole, "--name", "events", "--id-generation", "position", "--quiet"]);
        Assert.True(one.Code == 0, one.Err);

        async Task LoadShard(int k)
        {
            var (code, _, error) = await CliRunner.RunAsync(["load", input, .. sharded, "--schema", schema, "--shard", $"{k}/{Shards}",
                "--id-generation", "position", "--append", "--quiet"]);
            Assert.True(code == 0, $"shard {k}: {error}");
        }

        if (Concurrently)
        {
            // The first shard creates the tables; the others append at the same time.
            await LoadShard(0);
            await Task.WhenAll(Enumerable.Range(1, Shards - 1).Select(k => Task.Run(() => LoadShard(k))));
        }
        else
        {
            for (int k = 0; k < Shards; k++)
            {
                await LoadShard(k);
            }
        }

        await LoadShard(1);
        foreach (string table in (string[])["events", "events_items"])
        {
            await using DbConnection a = connectWhole();
            await using DbConnection b = connectSharded();
            await a.OpenAsync();
            await b.OpenAsync();
            Assert.Equal(await Ids(a, table), await Ids(b, table));
        }

        await using DbConnection check = connectSharded();
        await check.OpenAsync();
        Assert.Equal(600, await TestData.ScalarAsync(check, "SELECT COUNT(*) FROM events"));
        Assert.Equal(99, await TestData.ScalarAsync(check, "SELECT COUNT(*) FROM events WHERE late IS NOT NULL"));
    }

    private static async Task<List<string>> Ids(DbConnection connection, string table)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT _id FROM {table}";
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!.ToLowerInvariant());
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }
}

/// <summary>SQLite: one writer at a time, so shards are loaded one after another.</summary>
public sealed class SqliteCliShardLoadTests : CliShardLoadTestsBase
{
    private readonly string _files = Directory.CreateTempSubdirectory("transmog-shard-sqlite-").FullName;

    protected override bool Concurrently => false;

    protected override Task<(string[] Target, Func<DbConnection> Connect)> NewDatabaseAsync(string name)
    {
        string path = Path.Combine(_files, name + ".db");
        return Task.FromResult<(string[], Func<DbConnection>)>((["--to", path], () => new SqliteConnection($"Data Source={path};Pooling=false")));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCliShardLoadTests(PostgresServer server) : CliShardLoadTestsBase
{
    protected override async Task<(string[] Target, Func<DbConnection> Connect)> NewDatabaseAsync(string name)
    {
        server.Require();
        string connectionString = await server.CreateDatabaseAsync();
        return (["--to", connectionString, "--provider", "postgres"], () => new NpgsqlConnection(connectionString));
    }
}
