using Transmog.Data.TestSupport.Servers;
using System.Data.Common;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Transmog.Data.Loading.Tests.Servers;

namespace Transmog.Data.Loading.Tests;

/// <summary>
/// Incremental loads into every database, checked by SQL: day 1 created, day 2 appended with evolution (a new field, a
/// new nested array, integers turning real, a re-delivered record with one more order, which is skipped whole), day 3
/// merged (a record re-delivered with fewer orders replaces the old one with all its nested rows, also in a child
/// table day 3 lacks). Failures — a widening that would change rows, a bad record after the DDL, a killed connection —
/// leave the tables as they were.
/// </summary>
public abstract class IncrementalLoadTestsBase
{
    protected abstract SqlDialect Dialect { get; }

    /// <summary>A connection (closed) to a new, empty database.</summary>
    protected abstract Task<DbConnection> NewDatabaseAsync();

    protected static readonly TransmogOptions NaturalIds = new() { IdGeneration = IdGeneration.Natural };

    /// <summary>Day 1's settings: with foreign keys, but where the database cannot alter a table they refer to (DuckDB).</summary>
    protected LoadOptions Day1 => new() { Name = "customers", Flatten = NaturalIds, ForeignKeys = Dialect != SqlDialect.DuckDb };

    protected static JsonInput Day(int day) => JsonInput.FromFile(DayPath(day));

    internal static string DayPath(int day) =>
        Path.Combine(Path.GetDirectoryName(Repository.SamplePath)!, "incremental", "day" + day.ToString(CultureInfo.InvariantCulture) + ".jsonl");

    protected string Quote(string name) => Loading.Dialect.Of(Dialect).Quote(name);

    protected async Task<long> CountAsync(DbConnection connection, string table, string? where = null) =>
        await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {Quote(table)}{(where is null ? string.Empty : " WHERE " + where)}");

    protected async Task<object?> ValueAsync(DbConnection connection, string sql)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    protected string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>Every table, column and database type, for before/after comparisons.</summary>
    protected async Task<string> SchemaOfAsync(DbConnection connection)
    {
        Dictionary<string, List<DbColumn>> catalog = await Catalog.DescribeAsync(connection, Loading.Dialect.Of(Dialect), CancellationToken.None);
        return string.Join("\n", catalog.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + ": " + string.Join(", ", t.Value.Select(c => $"{c.Name} {c.Type}"))));
    }

    protected async Task<TransmogColumnType?> FamilyAsync(DbConnection connection, string table, string column)
    {
        Dictionary<string, List<DbColumn>> catalog = await Catalog.DescribeAsync(connection, Loading.Dialect.Of(Dialect), CancellationToken.None);
        return SchemaEvolution.FamilyOf(Loading.Dialect.Of(Dialect), catalog[table].Single(c => c.Name == column));
    }

    protected async Task<Dictionary<string, long>> CountsAsync(DbConnection connection)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string table in (await Catalog.TablesAsync(connection, Loading.Dialect.Of(Dialect), CancellationToken.None)).Keys)
        {
            counts[table] = await CountAsync(connection, table);
        }

        return counts;
    }

    [SkippableFact]
    public async Task Three_days_create_append_with_evolution_then_merge()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        LoadResult day1 = await TransmogLoader.LoadAsync(Day(1), connection, Day1);
        Assert.Empty(day1.Changes);
        Assert.Equal(["customers", "customers_orders", "customers_orders_items"], day1.Tables.Select(t => t.DatabaseName));

        // Day 2: a new field, a new nested array, integers turning real; C1 re-delivered with a third order is skipped whole.
        LoadResult day2 = await TransmogLoader.LoadAsync(Day(2), connection, Day1 with { Mode = LoadMode.Append, Evolve = true });
        Assert.Equal(
            [
                $"widened column customers.score from {TypeName("Int64")} to {TypeName("Double")}",
                "added column customers.tier",
                $"widened column customers_orders.total from {TypeName("Int64")} to {TypeName("Double")}",
                "created table customers_reviews",
            ],
            day2.Changes.Select(c => c.Kind == SchemaChangeKind.AddColumn ? $"added column {c.Table}.{c.Column}" : c.ToString()));
        Assert.Equal(SchemaChangeKind.AddColumn, day2.Changes[1].Kind);
        Assert.Equal(["customers", "customers_orders", "customers_reviews", "customers_orders_items"], day2.Tables.Select(t => t.DatabaseName));
        Assert.Equal([1L, 1, 1, 0], day2.Tables.Select(t => t.RowsInserted));
        Assert.Equal([2L, 4, 1, 1], day2.Tables.Select(t => t.RowsRead));

        await connection.OpenAsync();
        Assert.Equal(3, await CountAsync(connection, "customers"));
        Assert.Equal(4, await CountAsync(connection, "customers_orders"));
        Assert.Equal(0, await CountAsync(connection, "customers_orders", $"{Quote("order_no")} = 'A3'"));
        Assert.Equal(1, await CountAsync(connection, "customers_orders_items"));
        Assert.Equal(1, await CountAsync(connection, "customers_reviews"));
        Assert.Equal(TransmogColumnType.Double, await FamilyAsync(connection, "customers", "score"));
        Assert.Equal(8.5, Convert.ToDouble(await ValueAsync(connection, $"SELECT {Quote("score")} FROM {Quote("customers")} WHERE {Quote("_id")} = 'C3'"), CultureInfo.InvariantCulture));
        Assert.Equal(7.0, Convert.ToDouble(await ValueAsync(connection, $"SELECT {Quote("score")} FROM {Quote("customers")} WHERE {Quote("_id")} = 'C1'"), CultureInfo.InvariantCulture));
        Assert.Null(await ValueAsync(connection, $"SELECT {Quote("tier")} FROM {Quote("customers")} WHERE {Quote("_id")} = 'C1'"));
        Assert.Equal("gold", await ValueAsync(connection, $"SELECT {Quote("tier")} FROM {Quote("customers")} WHERE {Quote("_id")} = 'C3'"));
        await connection.CloseAsync();

        // The same day again adds nothing and changes nothing.
        LoadResult again = await TransmogLoader.LoadAsync(Day(2), connection, Day1 with { Mode = LoadMode.Append, Evolve = true });
        Assert.Empty(again.Changes);
        Assert.Equal(0, again.RowsInserted);

        // Day 3: C1 with fewer orders and C3 without its review replace the old records whole; C4 is new.
        LoadResult day3 = await TransmogLoader.LoadAsync(Day(3), connection, Day1 with { Mode = LoadMode.Merge, Evolve = true });
        Assert.Empty(day3.Changes);
        Assert.Equal(2, day3.Tables.Single(t => t.Name == "customers").RowsReplaced);
        Assert.Equal(3, day3.Tables.Single(t => t.Name == "customers_orders").RowsReplaced);
        Assert.Equal(1, day3.Tables.Single(t => t.Name == "customers_orders_items").RowsReplaced);
        LoadedTable reviews = day3.Tables.Single(t => t.DatabaseName == "customers_reviews");
        Assert.Equal((0L, 0L, 1L), (reviews.RowsRead, reviews.RowsInserted, reviews.RowsReplaced));

        await connection.OpenAsync();
        Assert.Equal(4, await CountAsync(connection, "customers"));
        Assert.Equal("Ana B", await ValueAsync(connection, $"SELECT {Quote("name")} FROM {Quote("customers")} WHERE {Quote("_id")} = 'C1'"));
        Assert.Equal(9.0, Convert.ToDouble(await ValueAsync(connection, $"SELECT {Quote("score")} FROM {Quote("customers")} WHERE {Quote("_id")} = 'C1'"), CultureInfo.InvariantCulture));
        Assert.Null(await ValueAsync(connection, $"SELECT {Quote("active")} FROM {Quote("customers")} WHERE {Quote("_id")} = 'C3'"));
        Assert.Equal(1, await CountAsync(connection, "customers_orders", $"{Quote("_parent_id")} = 'C1'"));
        Assert.Equal(11.0, Convert.ToDouble(await ValueAsync(connection, $"SELECT {Quote("total")} FROM {Quote("customers_orders")} WHERE {Quote("_parent_id")} = 'C1'"), CultureInfo.InvariantCulture));
        Assert.Equal(4, await CountAsync(connection, "customers_orders"));
        Assert.Equal(1, await CountAsync(connection, "customers_orders_items"));
        Assert.Equal("S9", await ValueAsync(connection, $"SELECT {Quote("sku")} FROM {Quote("customers_orders_items")}"));
        Assert.Equal(0, await CountAsync(connection, "customers_reviews"));

        // Every nested row still joins its parent.
        Assert.Equal(0, await TestData.ScalarAsync(connection,
            $"SELECT COUNT(*) FROM {Quote("customers_orders")} o LEFT JOIN {Quote("customers")} c ON o.{Quote("_parent_id")} = c.{Quote("_id")} WHERE c.{Quote("_id")} IS NULL"));
        Assert.Equal(0, await TestData.ScalarAsync(connection,
            $"SELECT COUNT(*) FROM {Quote("customers_orders_items")} i LEFT JOIN {Quote("customers_orders")} o ON i.{Quote("_parent_id")} = o.{Quote("_id")} WHERE o.{Quote("_id")} IS NULL"));
    }

    /// <summary>How the database names a type the three-day test widens.</summary>
    protected abstract string TypeName(string type);

    [SkippableFact]
    public async Task Append_skips_a_redelivered_record_whole_whether_identical_or_changed()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        await TransmogLoader.LoadAsync(Day(1), connection, Day1);
        LoadOptions append = Day1 with { Mode = LoadMode.Append };

        // Identical: nothing added.
        LoadResult same = await TransmogLoader.LoadAsync(Day(1), connection, append);
        Assert.Equal(0, same.RowsInserted);

        // Changed: one more order, a changed item and a new nested array; none of it half-merges into the old record.
        string changed = """{"_id": "C2", "name": "Ben", "score": 3, "active": false, "orders": [{"order_no": "B1", "total": 5, "items": [{"sku": "new", "qty": 9}]}, {"order_no": "B2", "total": 6}]}""";
        LoadResult skipped = await TransmogLoader.LoadAsync(JsonInput.FromString(changed), connection, append);
        Assert.Equal(0, skipped.RowsInserted);
        Assert.Equal([1L, 2, 1], skipped.Tables.Select(t => t.RowsRead));

        await connection.OpenAsync();
        Assert.Equal(2, await CountAsync(connection, "customers"));
        Assert.Equal(3, await CountAsync(connection, "customers_orders"));
        Assert.Equal(1, await CountAsync(connection, "customers_orders_items"));
    }

    [SkippableFact]
    public async Task Two_versions_of_one_record_in_one_input_are_refused_and_nothing_changes()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        await TransmogLoader.LoadAsync(Day(1), connection, Day1);
        string twice = """
            {"_id": "C1", "name": "v1", "score": 1, "orders": [{"order_no": "A1", "total": 1}]}
            {"_id": "C1", "name": "v2", "score": 2, "orders": [{"order_no": "A1", "total": 2}, {"order_no": "A9", "total": 9}]}
            """;
        foreach (LoadMode mode in (LoadMode[])[LoadMode.Merge, LoadMode.Append])
        {
            TransmogException refused = await Assert.ThrowsAsync<TransmogException>(() =>
                TransmogLoader.LoadAsync(JsonInput.FromString(twice), connection, Day1 with { Mode = mode }));
            Assert.Contains("1 record id(s) of table 'customers' appear more than once", refused.Message, StringComparison.Ordinal);
        }

        await connection.OpenAsync();
        Assert.Equal("Ana", await ValueAsync(connection, $"SELECT {Quote("name")} FROM {Quote("customers")} WHERE {Quote("_id")} = 'C1'"));
        Assert.Equal(3, await CountAsync(connection, "customers_orders"));
    }

    [SkippableFact]
    public async Task Without_evolve_a_new_column_or_a_wider_type_is_a_clear_error()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        await TransmogLoader.LoadAsync(Day(1), connection, Day1);
        TransmogException wider = await Assert.ThrowsAsync<TransmogException>(() =>
            TransmogLoader.LoadAsync(Day(2), connection, Day1 with { Mode = LoadMode.Append }));
        Assert.Contains("'score'", wider.Message, StringComparison.Ordinal);
        Assert.Contains("'customers'", wider.Message, StringComparison.Ordinal);
        Assert.Contains("Double", wider.Message, StringComparison.Ordinal);
        Assert.Contains("--evolve", wider.Message, StringComparison.Ordinal);

        TransmogException added = await Assert.ThrowsAsync<TransmogException>(() =>
            TransmogLoader.LoadAsync(JsonInput.FromString("""{"_id": "C9", "name": "Z", "score": 1, "tier": "x"}"""), connection, Day1 with { Mode = LoadMode.Append }));
        Assert.Contains("no column 'tier'", added.Message, StringComparison.Ordinal);

        ArgumentException random = await Assert.ThrowsAsync<ArgumentException>(() =>
            TransmogLoader.LoadAsync(Day(3), connection, Day1 with { Mode = LoadMode.Merge, Flatten = new TransmogOptions() }));
        Assert.Contains("random ids", random.Message, StringComparison.Ordinal);
        await connection.OpenAsync();
        Assert.Equal(2, await CountAsync(connection, "customers"));
    }

    [SkippableFact]
    public async Task A_widening_that_would_change_rows_is_refused_and_nothing_changes()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        var options = new LoadOptions { Name = "m", Flatten = NaturalIds };
        await TransmogLoader.LoadAsync(JsonInput.FromString("""{"_id": "a", "n": 9007199254740993, "b": true}"""), connection, options);
        await connection.OpenAsync();
        string before = await SchemaOfAsync(connection);
        await connection.CloseAsync();

        // 2^53 + 1 has no double: integer -> real is refused, and the new column of the same load is not added either.
        TransmogException refused = await Assert.ThrowsAsync<TransmogException>(() => TransmogLoader.LoadAsync(
            JsonInput.FromString("""{"_id": "b", "n": 1.5, "extra": "x"}"""), connection, options with { Mode = LoadMode.Append, Evolve = true }));
        Assert.Contains("column 'n' of table 'm'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Double", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was changed", refused.Message, StringComparison.Ordinal);
        await connection.OpenAsync();
        Assert.Equal(before, await SchemaOfAsync(connection));
        Assert.Equal(1, await CountAsync(connection, "m"));
        await connection.CloseAsync();

        // Boolean -> text: MySQL and SQL Server keep booleans as 0/1, so only the others widen.
        string text = """{"_id": "c", "b": "maybe"}""";
        if (Dialect == SqlDialect.MySql)
        {
            TransmogException boolean = await Assert.ThrowsAsync<TransmogException>(() =>
                TransmogLoader.LoadAsync(JsonInput.FromString(text), connection, options with { Mode = LoadMode.Append, Evolve = true }));
            Assert.Contains("column 'b' of table 'm' (database type tinyint(1))", boolean.Message, StringComparison.Ordinal);
            Assert.Contains("String values", boolean.Message, StringComparison.Ordinal);
            await connection.OpenAsync();
            Assert.Equal(before, await SchemaOfAsync(connection));
            return;
        }

        LoadResult widened = await TransmogLoader.LoadAsync(JsonInput.FromString(text), connection, options with { Mode = LoadMode.Append, Evolve = true });
        Assert.Equal(SchemaChangeKind.WidenColumn, Assert.Single(widened.Changes).Kind);
        await connection.OpenAsync();
        Assert.Equal(TransmogColumnType.String, await FamilyAsync(connection, "m", "b"));
        Assert.Equal(Dialect == SqlDialect.Sqlite ? "1" : "true", await ValueAsync(connection, $"SELECT {Quote("b")} FROM {Quote("m")} WHERE {Quote("_id")} = 'a'"));
        Assert.Equal("maybe", await ValueAsync(connection, $"SELECT {Quote("b")} FROM {Quote("m")} WHERE {Quote("_id")} = 'c'"));
        Assert.Equal("9007199254740993", Convert.ToString(await ValueAsync(connection, $"SELECT {Quote("n")} FROM {Quote("m")} WHERE {Quote("_id")} = 'a'"), CultureInfo.InvariantCulture));
    }

    [SkippableFact]
    public async Task A_failure_after_the_evolution_leaves_the_tables_as_they_were()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        await TransmogLoader.LoadAsync(Day(1), connection, Day1);
        await connection.OpenAsync();
        string before = await SchemaOfAsync(connection);
        Dictionary<string, long> counts = await CountsAsync(connection);
        await connection.CloseAsync();

        // A stream: its schema comes from a window, so the bad record at the end is met after the DDL, while rows are sent.
        var text = new StringBuilder(File.ReadAllText(DayPath(2)));
        for (int i = 0; i < 30; i++)
        {
            text.Append($$"""{"_id": "N{{i}}", "name": "n", "score": 0.5, "tier": "t", "orders": [{"order_no": "x", "total": 1.5}], "reviews": [{"stars": 1}]}""").Append('\n');
        }

        text.Append("{\"_id\": \"bad\", \"name\": \n");
        var flatten = NaturalIds with { InferenceWindow = 5, BatchSize = 4 };
        await Assert.ThrowsAnyAsync<TransmogInputException>(() => TransmogLoader.LoadAsync(
            JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()))), connection, Day1 with { Mode = LoadMode.Append, Evolve = true, Flatten = flatten }));

        await connection.OpenAsync();
        Assert.Equal(before, await SchemaOfAsync(connection));
        Assert.Equal(counts, await CountsAsync(connection));
    }

    [SkippableFact]
    public async Task A_shortened_name_is_found_again_and_new_long_names_are_added_once()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        string longKey = TestData.LongKey;
        string otherLong = new string('z', 80);
        var options = new LoadOptions { Name = "n", Flatten = NaturalIds };
        LoadResult first = await TransmogLoader.LoadAsync(JsonInput.FromString($$"""{"_id": "a", "{{longKey}}": 1, "Name": "x"}"""), connection, options);
        LoadResult second = await TransmogLoader.LoadAsync(
            JsonInput.FromString($$"""{"_id": "b", "name": "lower", "{{otherLong}}": 2, "{{longKey}}": 3, "Name": "y"}"""), connection, options with { Mode = LoadMode.Append, Evolve = true });

        Assert.Equal(2, second.Changes.Count);
        Assert.All(second.Changes, c => Assert.Equal(SchemaChangeKind.AddColumn, c.Kind));
        Assert.StartsWith("name", second.Changes[0].Column, StringComparison.Ordinal);
        Assert.StartsWith("zzzz", second.Changes[1].Column, StringComparison.Ordinal);
        await connection.OpenAsync();
        Dictionary<string, List<DbColumn>> catalog = await Catalog.DescribeAsync(connection, Loading.Dialect.Of(Dialect), CancellationToken.None);
        Assert.Equal(first.Tables[0].DatabaseName, second.Tables[0].DatabaseName);
        Assert.Equal(4 + 2, catalog["n"].Count); // _id, long, Name, _timestamp + name, otherLong
        string longColumn = catalog["n"].Select(c => c.Name).Single(c => c.StartsWith("kkkk", StringComparison.Ordinal));
        Assert.Equal(2, await CountAsync(connection, "n", $"{Quote(longColumn)} IN (1, 3)"));
    }
}

public sealed class SqliteIncrementalLoadTests : IncrementalLoadTestsBase, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-sqlite-inc-").FullName;

    protected override SqlDialect Dialect => SqlDialect.Sqlite;

    protected override Task<DbConnection> NewDatabaseAsync() =>
        Task.FromResult<DbConnection>(new SqliteConnection($"Data Source={Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db")};Pooling=false"));

    protected override string TypeName(string type) => type == "Int64" ? "INTEGER" : "REAL";

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

public sealed class DuckDbIncrementalLoadTests : IncrementalLoadTestsBase, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-duckdb-inc-").FullName;

    protected override SqlDialect Dialect => SqlDialect.DuckDb;

    protected override Task<DbConnection> NewDatabaseAsync() =>
        Task.FromResult<DbConnection>(new DuckDBConnection($"Data Source={Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".duckdb")}"));

    protected override string TypeName(string type) => type == "Int64" ? "BIGINT" : "DOUBLE";

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Altering_a_table_that_foreign_keys_refer_to_is_a_clear_error_and_nothing_changes()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        await TransmogLoader.LoadAsync(Day(1), connection, Day1 with { ForeignKeys = true });
        await connection.OpenAsync();
        string before = await SchemaOfAsync(connection);
        await connection.CloseAsync();
        TransmogException refused = await Assert.ThrowsAsync<TransmogException>(() =>
            TransmogLoader.LoadAsync(Day(2), connection, Day1 with { Mode = LoadMode.Append, Evolve = true, ForeignKeys = true }));
        Assert.Contains("DuckDB cannot alter table 'customers'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("foreign keys", refused.Message, StringComparison.Ordinal);
        await connection.OpenAsync();
        Assert.Equal(before, await SchemaOfAsync(connection));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresIncrementalLoadTests(PostgresServer server) : IncrementalLoadTestsBase
{
    protected override SqlDialect Dialect => SqlDialect.PostgreSql;

    protected override async Task<DbConnection> NewDatabaseAsync() => new NpgsqlConnection(await server.CreateDatabaseAsync());

    protected override string TypeName(string type) => type == "Int64" ? "bigint" : "double precision";

    [SkippableFact]
    public async Task A_connection_killed_mid_evolution_leaves_the_tables_as_they_were()
    {
        string connectionString = await server.CreateDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await TransmogLoader.LoadAsync(Day(1), connection, Day1);
        await connection.OpenAsync();
        string before = await SchemaOfAsync(connection);
        int backend = connection.ProcessID;
        bool killed = false;
        var progress = new SyncProgress<LoadProgress>(p =>
        {
            if (!killed && p.TotalRows >= 1)
            {
                killed = true;
                using var admin = new NpgsqlConnection(server.AdminConnectionString);
                admin.Open();
                using var command = new NpgsqlCommand($"SELECT pg_terminate_backend({backend})", admin);
                command.ExecuteScalar();
            }
        });

        await Assert.ThrowsAnyAsync<Exception>(() => TransmogLoader.LoadAsync(Day(2), connection, Day1 with { Mode = LoadMode.Append, Evolve = true, BatchSize = 1 }, progress));
        Assert.True(killed);
        await using var check = new NpgsqlConnection(connectionString);
        await check.OpenAsync();
        Assert.Equal(before, await SchemaOfAsync(check));
        Assert.Equal(2, await TestData.ScalarAsync(check, "SELECT COUNT(*) FROM customers"));
    }
}

[Collection(MariaDbCollection.Name)]
public sealed class MariaDbIncrementalLoadTests(MariaDbServer server) : IncrementalLoadTestsBase
{
    protected override SqlDialect Dialect => SqlDialect.MySql;

    protected override async Task<DbConnection> NewDatabaseAsync() => new MySqlConnection(await server.CreateDatabaseAsync());

    protected override string TypeName(string type) => type == "Int64" ? "bigint(20)" : "DOUBLE";

    /// <summary>MariaDB commits each ALTER at once: after the connection dies mid-load, the loader reconnects and undoes them.</summary>
    [SkippableFact]
    public async Task A_connection_killed_mid_evolution_is_undone_on_reconnect()
    {
        string connectionString = await server.CreateDatabaseAsync();
        await using var connection = new MySqlConnection(connectionString);
        await TransmogLoader.LoadAsync(Day(1), connection, Day1);
        await connection.OpenAsync();
        string before = await SchemaOfAsync(connection);
        int id = connection.ServerThread;
        bool killed = false;
        var progress = new SyncProgress<LoadProgress>(p =>
        {
            if (!killed && p.TotalRows >= 1)
            {
                killed = true;
                using var admin = new MySqlConnection(server.AdminConnectionString);
                admin.Open();
                using var command = new MySqlCommand($"KILL {id}", admin);
                command.ExecuteNonQuery();
            }
        });

        await Assert.ThrowsAnyAsync<Exception>(() => TransmogLoader.LoadAsync(Day(2), connection, Day1 with { Mode = LoadMode.Append, Evolve = true, BatchSize = 1 }, progress));
        Assert.True(killed);
        await using var check = new MySqlConnection(connectionString);
        await check.OpenAsync();
        Assert.Equal(before, await SchemaOfAsync(check));
        Assert.Equal(2, await TestData.ScalarAsync(check, "SELECT COUNT(*) FROM customers"));
    }
}
