using Transmog.Data.TestSupport.Servers;
using System.Data.Common;
using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Transmog.Data.Loading.Tests.Servers;

namespace Transmog.Data.Loading.Tests;

/// <summary>
/// Typed dates in every database, checked by SQL: the sample's <c>signup</c> (a date) and <c>placed_at</c> (an offset
/// date-time) get the dialect's date and timestamp types and compare as dates and instants; a date column that meets
/// date-times widens to a timestamp, a date-time column that meets text widens to text (<c>--evolve</c>).
/// </summary>
public abstract class DateLoadTestsBase
{
    protected abstract SqlDialect Dialect { get; }

    /// <summary>A connection (closed) to a new, empty database.</summary>
    protected abstract Task<DbConnection> NewDatabaseAsync();

    /// <summary>The database types of a date, a date-time and an offset date-time column, as the catalog reports them.</summary>
    protected abstract (string Date, string DateTime, string Offset) Types { get; }

    /// <summary>A date literal the database compares a date column with.</summary>
    protected abstract string DateLiteral(string date);

    /// <summary>A condition: the offset date-time column is before the UTC instant <paramref name="utc"/> (<c>yyyy-MM-dd HH:mm:ss</c>).</summary>
    protected abstract string Before(string column, string utc);

    private static readonly TransmogOptions HashIds = new() { IdGeneration = IdGeneration.Hash };

    private static readonly TransmogOptions NaturalIds = new() { IdGeneration = IdGeneration.Natural };

    private string Quote(string name) => Loading.Dialect.Of(Dialect).Quote(name);

    private async Task<string> TypeOfAsync(DbConnection connection, string table, string column)
    {
        Dictionary<string, List<DbColumn>> catalog = await Catalog.DescribeAsync(connection, Loading.Dialect.Of(Dialect), CancellationToken.None);
        return catalog[table].Single(c => c.Name == column).Type;
    }

    private static async Task<object?> ValueAsync(DbConnection connection, string sql)
    {
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        object? value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    [SkippableFact]
    public async Task The_sample_loads_dates_and_instants_that_SQL_compares()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        await TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, new LoadOptions { Name = "customers", Flatten = HashIds });

        // What the reader serves, to count against.
        int signedUpBeforeJune = 0, placedBefore = 0;
        var cutoff = new DateTimeOffset(2025, 1, 10, 9, 5, 0, TimeSpan.Zero);
        using (TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromFile(Repository.SamplePath), "customers", "customers", HashIds))
        {
            int signup = reader.GetOrdinal("signup");
            while (reader.Read())
            {
                signedUpBeforeJune += !reader.IsDBNull(signup) && reader.GetDateTime(signup) < new DateTime(2024, 6, 1) ? 1 : 0;
            }
        }

        using (TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromFile(Repository.SamplePath), "customers", "customers_orders", HashIds))
        {
            int placed = reader.GetOrdinal("placed_at");
            while (reader.Read())
            {
                placedBefore += !reader.IsDBNull(placed) && reader.GetFieldValue<DateTimeOffset>(placed) < cutoff ? 1 : 0;
            }
        }

        Assert.InRange(signedUpBeforeJune, 1, 19);
        Assert.InRange(placedBefore, 1, 29);

        await connection.OpenAsync();
        Assert.Equal(Types.Date, await TypeOfAsync(connection, "customers", "signup"));
        Assert.Equal(Types.Offset, await TypeOfAsync(connection, "customers_orders", "placed_at"));
        Assert.Equal(signedUpBeforeJune, await TestData.ScalarAsync(connection,
            $"SELECT COUNT(*) FROM {Quote("customers")} WHERE {Quote("signup")} < {DateLiteral("2024-06-01")}"));
        Assert.Equal(placedBefore, await TestData.ScalarAsync(connection,
            $"SELECT COUNT(*) FROM {Quote("customers_orders")} WHERE {Before(Quote("placed_at"), "2025-01-10 09:05:00")}"));
        Assert.Equal("2024-02-02", TestData.Canon(await ValueAsync(connection,
            $"SELECT {Quote("signup")} FROM {Quote("customers")} WHERE {Quote("customer_id")} = 1001"), TransmogColumnType.Date));
        Assert.Equal("2025-01-10 09:01:00.000000", TestData.Canon(await ValueAsync(connection,
            $"SELECT {Quote("placed_at")} FROM {Quote("customers_orders")} WHERE {Quote("order_id")} = 'O-001-1'"), TransmogColumnType.DateTimeOffset));
    }

    [SkippableFact]
    public async Task A_date_widens_to_a_timestamp_and_a_timestamp_to_text_under_evolve()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        const string day1 = """{"_id": "a", "d": "2024-01-01", "t": "2024-01-01T10:00:00.25", "z": "2024-01-01T10:00:00+01:00", "e": "2024-01-01"}""";
        const string day2 = """{"_id": "b", "d": "2024-01-02T08:30:00", "t": "not a time", "z": "2024-01-02T10:00:00Z", "e": "someday"}""";
        var options = new LoadOptions { Name = "events", Flatten = NaturalIds };
        LoadResult first = await TransmogLoader.LoadAsync(JsonInput.FromString(day1), connection, options);
        Assert.Equal(
            [TransmogColumnType.Date, TransmogColumnType.DateTime, TransmogColumnType.DateTimeOffset, TransmogColumnType.Date],
            JsonFlattener.ReadSchema(JsonInput.FromString(day1), "events", NaturalIds).Tables[0].Columns.Where(c => c.Name.Length == 1).Select(c => c.Type));
        Assert.Empty(first.Changes);

        await connection.OpenAsync();
        Assert.Equal(Types.Date, await TypeOfAsync(connection, "events", "d"));
        Assert.Equal(Types.DateTime, await TypeOfAsync(connection, "events", "t"));
        Assert.Equal(Types.Offset, await TypeOfAsync(connection, "events", "z"));
        string before = await TypeOfAsync(connection, "events", "d") + await TypeOfAsync(connection, "events", "t");
        await connection.CloseAsync();

        // Without --evolve: the clear error, nothing changed (SQLite keeps dates as text, which holds anything).
        if (Dialect != SqlDialect.Sqlite)
        {
            TransmogException refused = await Assert.ThrowsAsync<TransmogException>(() =>
                TransmogLoader.LoadAsync(JsonInput.FromString(day2), connection, options with { Mode = LoadMode.Append }));
            Assert.Contains("Column 'd' of table 'events'", refused.Message, StringComparison.Ordinal);
            await connection.OpenAsync();
            Assert.Equal(before, await TypeOfAsync(connection, "events", "d") + await TypeOfAsync(connection, "events", "t"));
            await connection.CloseAsync();
        }

        LoadResult second = await TransmogLoader.LoadAsync(JsonInput.FromString(day2), connection, options with { Mode = LoadMode.Append, Evolve = true });
        Assert.Equal(1, second.RowsInserted);
        await connection.OpenAsync();
        if (Dialect == SqlDialect.Sqlite)
        {
            Assert.Empty(second.Changes);
            Assert.Equal("2024-01-01", await ValueAsync(connection, $"SELECT {Quote("d")} FROM {Quote("events")} WHERE {Quote("_id")} = 'a'"));
            Assert.Equal("2024-01-01T10:00:00.25", await ValueAsync(connection, $"SELECT {Quote("t")} FROM {Quote("events")} WHERE {Quote("_id")} = 'a'"));
        }
        else
        {
            Assert.Equal(["events.d", "events.t", "events.e"], second.Changes.Select(c => $"{c.Table}.{c.Column}"));
            Assert.All(second.Changes, c => Assert.Equal(SchemaChangeKind.WidenColumn, c.Kind));
            Assert.Equal(Types.DateTime, await TypeOfAsync(connection, "events", "d"));
            Assert.Equal(TransmogColumnType.String, SchemaEvolution.FamilyOf(Loading.Dialect.Of(Dialect), new DbColumn("t", await TypeOfAsync(connection, "events", "t"), 0)));

            // The old date is its midnight; the old date-time's text keeps every digit.
            Assert.Equal(new DateTime(2024, 1, 1), Convert.ToDateTime(await ValueAsync(connection, $"SELECT {Quote("d")} FROM {Quote("events")} WHERE {Quote("_id")} = 'a'"), CultureInfo.InvariantCulture));
            string oldText = (string)(await ValueAsync(connection, $"SELECT {Quote("t")} FROM {Quote("events")} WHERE {Quote("_id")} = 'a'"))!;
            Assert.Equal(new DateTime(2024, 1, 1, 10, 0, 0, 250), DateTime.Parse(oldText, CultureInfo.InvariantCulture));

            // A date column meeting text: text, the old date as the database writes it.
            Assert.Equal(TransmogColumnType.String, SchemaEvolution.FamilyOf(Loading.Dialect.Of(Dialect), new DbColumn("e", await TypeOfAsync(connection, "events", "e"), 0)));
            Assert.Equal("2024-01-01", await ValueAsync(connection, $"SELECT {Quote("e")} FROM {Quote("events")} WHERE {Quote("_id")} = 'a'"));
        }

        Assert.Equal("someday", await ValueAsync(connection, $"SELECT {Quote("e")} FROM {Quote("events")} WHERE {Quote("_id")} = 'b'"));

        Assert.Equal(new DateTime(2024, 1, 2, 8, 30, 0), Convert.ToDateTime(await ValueAsync(connection, $"SELECT {Quote("d")} FROM {Quote("events")} WHERE {Quote("_id")} = 'b'"), CultureInfo.InvariantCulture));
        Assert.Equal("not a time", await ValueAsync(connection, $"SELECT {Quote("t")} FROM {Quote("events")} WHERE {Quote("_id")} = 'b'"));
        Assert.Equal(Types.Offset, await TypeOfAsync(connection, "events", "z"));
        Assert.Equal(1, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {Quote("events")} WHERE {Before(Quote("z"), "2024-01-01 09:30:00")}"));
    }
}

public sealed class SqliteDateLoadTests : DateLoadTestsBase, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-sqlite-dates-").FullName;

    protected override SqlDialect Dialect => SqlDialect.Sqlite;

    protected override Task<DbConnection> NewDatabaseAsync() =>
        Task.FromResult<DbConnection>(new SqliteConnection($"Data Source={Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db")};Pooling=false"));

    protected override (string Date, string DateTime, string Offset) Types => ("TEXT", "TEXT", "TEXT");

    protected override string DateLiteral(string date) => "'" + date + "'";

    // SQLite's date functions read the ISO 8601 text, offsets included.
    protected override string Before(string column, string utc) => $"julianday({column}) < julianday('{utc}')";

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

public sealed class DuckDbDateLoadTests : DateLoadTestsBase, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("transmog-duckdb-dates-").FullName;

    protected override SqlDialect Dialect => SqlDialect.DuckDb;

    protected override Task<DbConnection> NewDatabaseAsync() =>
        Task.FromResult<DbConnection>(new DuckDBConnection($"Data Source={Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".duckdb")}"));

    protected override (string Date, string DateTime, string Offset) Types => ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE");

    protected override string DateLiteral(string date) => $"DATE '{date}'";

    protected override string Before(string column, string utc) => $"{column} < TIMESTAMPTZ '{utc}+00'";

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDateLoadTests(PostgresServer server) : DateLoadTestsBase
{
    protected override SqlDialect Dialect => SqlDialect.PostgreSql;

    protected override async Task<DbConnection> NewDatabaseAsync() => new NpgsqlConnection(await server.CreateDatabaseAsync());

    protected override (string Date, string DateTime, string Offset) Types => ("date", "timestamp without time zone", "timestamp with time zone");

    protected override string DateLiteral(string date) => $"DATE '{date}'";

    protected override string Before(string column, string utc) => $"{column} < TIMESTAMPTZ '{utc}+00'";
}

/// <summary>MariaDB: offset date-times are stored as their UTC date-time in DATETIME(6).</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MariaDbDateLoadTests(MariaDbServer server) : DateLoadTestsBase
{
    protected override SqlDialect Dialect => SqlDialect.MySql;

    protected override async Task<DbConnection> NewDatabaseAsync() => new MySqlConnection(await server.CreateDatabaseAsync());

    protected override (string Date, string DateTime, string Offset) Types => ("date", "datetime(6)", "datetime(6)");

    protected override string DateLiteral(string date) => $"DATE '{date}'";

    protected override string Before(string column, string utc) => $"{column} < TIMESTAMP '{utc}'";
}
