using System.Data.Common;
using System.Text;

namespace Transmog.Data.Loading.Tests;

/// <summary>
/// The checks every database must pass, by SQL on the loaded data: row counts equal the readers', every value
/// round-trips, every parent id joins its parent, append with hash ids is idempotent, and a failed or cancelled load
/// commits nothing.
/// </summary>
public abstract class LoadTestsBase
{
    protected abstract SqlDialect Dialect { get; }

    /// <summary>A connection (closed) to a new, empty database.</summary>
    protected abstract Task<DbConnection> NewDatabaseAsync();

    private static readonly TransmogOptions HashIds = new() { IdGeneration = IdGeneration.Hash };

    protected string Quote(string databaseName) => Dialect switch
    {
        SqlDialect.MySql => "`" + databaseName.Replace("`", "``", StringComparison.Ordinal) + "`",
        SqlDialect.SqlServer => "[" + databaseName.Replace("]", "]]", StringComparison.Ordinal) + "]",
        _ => "\"" + databaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
    };

    [SkippableFact]
    public async Task Sample_loads_every_table_with_equal_counts_values_and_joining_parents()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        var options = new LoadOptions { Name = "customers", Flatten = HashIds, ForeignKeys = true, BatchSize = 7 };
        var reports = new List<LoadProgress>();
        LoadResult result = await TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, options, new SyncProgress<LoadProgress>(reports.Add));

        Assert.Equal(
            ["customers", "customers_orders", "customers_orders_items", "customers_orders_items_discounts"],
            result.Tables.Select(t => t.Name));
        Assert.Equal(20, result.Tables[0].RowsRead);
        Assert.NotEmpty(reports);
        Assert.Equal(result.RowsRead, reports[^1].TotalRows);
        await CheckAgainstReadersAsync(connection, result, JsonInput.FromFile(Repository.SamplePath), "customers", HashIds);
    }

    [SkippableFact]
    public async Task Hostile_keys_exact_numbers_unicode_nulls_and_json_round_trip()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        TransmogOptions flatten = HashIds with { RealNumbers = TransmogColumnType.Decimal };
        const string name = "hostile `t` \"x\" [y]";
        LoadResult result = await TransmogLoader.LoadAsync(JsonInput.FromString(TestData.HostileJson), connection, new LoadOptions { Name = name, Flatten = flatten, ForeignKeys = true });

        await CheckAgainstReadersAsync(connection, result, JsonInput.FromString(TestData.HostileJson), name, flatten);
        await connection.OpenAsync();
        string main = Quote(result.Tables[0].DatabaseName);
        TransmogTable table = JsonFlattener.ReadSchema(JsonInput.FromString(TestData.HostileJson), name, flatten).Tables[0];
        string Column(string key) => Quote(DatabaseColumn(result, table, key));

        // Exact values, straight from SQL.
        Assert.Equal(1, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {main} WHERE {Column("big")} = 9223372036854775807"));
        Assert.Equal(1, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {main} WHERE {Column("neg")} = -9223372036854775807 - 1"));
        Assert.Equal(1, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {main} WHERE {Column("beyond_double")} = 9007199254740993"));
        Assert.Equal(1, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {main} WHERE {Column("Name")} IS NULL"));
        Assert.Equal(2, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {main} WHERE {Column("x\"; DROP TABLE y; --")} IS NULL"));
        await using (DbCommand command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT {Column("ünïcødé 名前")} FROM {main} WHERE {Column("id")} = 1";
            Assert.Equal("Zürich 東京 😀", await command.ExecuteScalarAsync());
            command.CommandText = $"SELECT {Column("beyond")} FROM {main} WHERE {Column("id")} = 2";
            Assert.Equal("123456789012345678901234567", TestData.Canon(await command.ExecuteScalarAsync(), TransmogColumnType.Decimal));
            command.CommandText = $"SELECT {Column("price")} FROM {main} WHERE {Column("id")} = 2";
            Assert.Equal("12345678.1234567891", TestData.Canon(await command.ExecuteScalarAsync(), TransmogColumnType.Decimal));
        }
    }

    [SkippableTheory]
    [InlineData(LoadMode.Create)]
    [InlineData(LoadMode.Replace)]
    [InlineData(LoadMode.Append)]
    [InlineData(LoadMode.Merge)]
    public async Task An_input_without_records_loads_nothing_and_leaves_the_tables_as_they_were(LoadMode mode)
    {
        await using DbConnection connection = await NewDatabaseAsync();
        LoadResult first = await TransmogLoader.LoadAsync(JsonInput.FromString("{\"a\":1}\n{\"a\":2}\n"), connection, new LoadOptions { Name = "empty_input", Flatten = HashIds });
        string main = Quote(first.Tables[0].DatabaseName);

        // No records, only empty objects: no table has a column, so none is created (CREATE TABLE t () is no SQL).
        foreach (string json in (string[])["", "  \n\n", "{}\n{}\n"])
        {
            LoadResult result = await TransmogLoader.LoadAsync(JsonInput.FromString(json), connection, new LoadOptions { Name = "empty_input", Flatten = HashIds, Mode = mode });
            Assert.Empty(result.Tables);
            Assert.Equal(0, result.RowsRead);
        }

        await connection.OpenAsync();
        Assert.Equal(2, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {main}"));
    }

    [SkippableFact]
    public async Task Second_load_in_append_mode_with_hash_ids_adds_nothing()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        var options = new LoadOptions { Name = "customers", Flatten = HashIds, ForeignKeys = true };
        LoadResult first = await TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, options);
        LoadResult second = await TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, options with { Mode = LoadMode.Append });

        Assert.Equal(first.RowsRead, first.RowsInserted);
        Assert.Equal(first.RowsRead, second.RowsRead);
        Assert.Equal(0, second.RowsInserted);
        await connection.OpenAsync();
        foreach (LoadedTable table in first.Tables)
        {
            Assert.Equal(table.RowsRead, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {Quote(table.DatabaseName)}"));
        }

        // A new record appended: only its rows are added.
        string extra = """{"customer_id": 9999, "name": {"first": "New"}, "orders": [{"order_id": "X-1", "items": [{"sku": "S", "qty": 1}]}]}""";
        string both = File.ReadAllText(Repository.SamplePath).TrimEnd() + "\n" + extra + "\n";
        LoadResult third = await TransmogLoader.LoadAsync(JsonInput.FromString(both), connection, options with { Mode = LoadMode.Append });
        Assert.Equal(3, third.RowsInserted);
    }

    [SkippableFact]
    public async Task Bad_record_at_the_end_under_strict_mode_commits_nothing()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        var good = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            good.Append($$"""{"id": {{i}}, "v": "value {{i}}", "items": [{"k": {{i}}}]}""").Append('\n');
        }

        // A stream is read once: its schema comes from a window, so the bad record is met while rows are being sent.
        var flatten = new TransmogOptions { IdGeneration = IdGeneration.Hash, InferenceWindow = 5, BatchSize = 4 };
        JsonInput Broken() => JsonInput.FromStream(new MemoryStream(Encoding.UTF8.GetBytes(good + "{\"id\": 40, \"v\": \n")));

        var options = new LoadOptions { Name = "events", Flatten = flatten, ForeignKeys = true };
        TransmogInputException bad = await Assert.ThrowsAnyAsync<TransmogInputException>(() => TransmogLoader.LoadAsync(Broken(), connection, options));
        Assert.Equal(41, bad.Line);
        await connection.OpenAsync();
        Assert.DoesNotContain(await Catalog.TablesAsync(connection, Loading.Dialect.Of(Dialect), CancellationToken.None), t => t.Key.StartsWith("events", StringComparison.Ordinal));
        await connection.CloseAsync();

        // Into existing tables: the rows already there stay, none of the failed load's are added.
        LoadResult loaded = await TransmogLoader.LoadAsync(JsonInput.FromString(good.ToString()), connection, options);
        await Assert.ThrowsAnyAsync<TransmogException>(() => TransmogLoader.LoadAsync(Broken(), connection, options with { Mode = LoadMode.Append }));
        await Assert.ThrowsAnyAsync<TransmogException>(() => TransmogLoader.LoadAsync(Broken(), connection, options with { Mode = LoadMode.Replace }));
        await connection.OpenAsync();
        foreach (LoadedTable table in loaded.Tables)
        {
            if (Loading.Dialect.Of(Dialect).TransactionalDdl)
            {
                Assert.Equal(40, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {Quote(table.DatabaseName)}"));
            }
        }
    }

    [SkippableFact]
    public async Task Cancelled_load_commits_nothing()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        using var cancel = new CancellationTokenSource();
        var progress = new SyncProgress<LoadProgress>(p =>
        {
            if (p.TotalRows >= 3)
            {
                cancel.Cancel();
            }
        });
        var options = new LoadOptions { Name = "customers", BatchSize = 1 };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, options, progress, cancel.Token));
        await connection.OpenAsync();
        Assert.DoesNotContain(await Catalog.TablesAsync(connection, Loading.Dialect.Of(Dialect), CancellationToken.None), t => t.Key.StartsWith("customers", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Create_refuses_existing_tables_and_replace_replaces_them()
    {
        await using DbConnection connection = await NewDatabaseAsync();
        var options = new LoadOptions { Name = "customers", ForeignKeys = true };
        await TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, options);
        TransmogException refused = await Assert.ThrowsAsync<TransmogException>(() => TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, options));
        Assert.Contains("already exists", refused.Message, StringComparison.Ordinal);

        LoadResult replaced = await TransmogLoader.LoadAsync(JsonInput.FromFile(Repository.SamplePath), connection, options with { Mode = LoadMode.Replace });
        await connection.OpenAsync();
        foreach (LoadedTable table in replaced.Tables)
        {
            Assert.Equal(table.RowsRead, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {Quote(table.DatabaseName)}"));
        }

        // Append refuses a table that lacks a column of the data.
        await connection.CloseAsync();
        string other = """{"customer_id": 1, "brand_new_column": "x"}""";
        TransmogException missing = await Assert.ThrowsAsync<TransmogException>(() =>
            TransmogLoader.LoadAsync(JsonInput.FromString(other), connection, options with { Mode = LoadMode.Append }));
        Assert.Contains("brand_new_column", missing.Message, StringComparison.Ordinal);
    }

    private static string DatabaseColumn(LoadResult result, TransmogTable table, string key)
    {
        Loading.Dialect dialect = Loading.Dialect.Of(result.Dialect);
        return TableNames.For([table], dialect)[0].Columns[table.IndexOf(key)];
    }

    private async Task CheckAgainstReadersAsync(DbConnection connection, LoadResult result, JsonInput input, string name, TransmogOptions flatten)
    {
        var expected = TestData.Expected(input, name, flatten);
        Assert.Equal(expected.Keys, result.Tables.Select(t => t.Name));
        await connection.OpenAsync();
        try
        {
            foreach (LoadedTable loaded in result.Tables)
            {
                (TransmogTable table, Dictionary<string, string[]> rows) = expected[loaded.Name];
                string quoted = Quote(loaded.DatabaseName);
                Assert.Equal(rows.Count, loaded.RowsRead);
                Assert.Equal(rows.Count, loaded.RowsInserted);
                Assert.Equal(rows.Count, await TestData.ScalarAsync(connection, $"SELECT COUNT(*) FROM {quoted}"));

                Dictionary<string, string[]> actual = await TestData.RowsAsync(connection, quoted, table);
                Assert.Equal(rows.Keys.Order(), actual.Keys.Order());
                foreach ((string id, string[] values) in rows)
                {
                    for (int i = 0; i < values.Length; i++)
                    {
                        if (table.Columns[i].Role != TransmogColumnRole.Timestamp)
                        {
                            Assert.True(values[i] == actual[id][i], $"{loaded.Name}.{table.Columns[i].Name} of {id}: expected {values[i]}, database has {actual[id][i]}");
                        }
                    }
                }

                if (table.ParentName is { } parentName)
                {
                    LoadedTable parent = result.Tables.Single(t => t.Name == parentName);
                    TransmogTable parentTable = expected[parentName].Table;
                    Loading.Dialect dialect = Loading.Dialect.Of(result.Dialect);
                    string parentId = Quote(TableNames.For([parentTable], dialect)[0].Columns[TestData.IdOrdinal(parentTable)]);
                    string childParent = Quote(TableNames.For([table], dialect)[0].Columns[TestData.ParentOrdinal(table)]);
                    long orphans = await TestData.ScalarAsync(connection,
                        $"SELECT COUNT(*) FROM {quoted} c LEFT JOIN {Quote(parent.DatabaseName)} p ON c.{childParent} = p.{parentId} WHERE p.{parentId} IS NULL");
                    Assert.Equal(0, orphans);
                }
            }
        }
        finally
        {
            await connection.CloseAsync();
        }
    }
}
