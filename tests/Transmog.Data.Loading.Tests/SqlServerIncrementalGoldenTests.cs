using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Transmog.Data.Loading.Tests;

/// <summary>
/// No SQL Server runs here: the statements an incremental load sends it — the checks, the evolution DDL, the stages,
/// the whole-record append and the MERGE with the deletion of replaced nested rows — against golden files, planned
/// from the catalog SQL Server would report for the tables of the earlier days. Regenerate after a deliberate change
/// with <c>TRANSMOG_UPDATE_GOLDEN=1 dotnet test --filter SqlServerIncrementalGoldenTests</c> and review the diff.
/// </summary>
public sealed class SqlServerIncrementalGoldenTests
{
    private static readonly TransmogOptions Natural = new() { IdGeneration = IdGeneration.Natural };

    private static string Days(params int[] days) => string.Concat(days.Select(d => File.ReadAllText(IncrementalLoadTestsBase.DayPath(d))));

    /// <summary>What INFORMATION_SCHEMA.COLUMNS reports for tables our DDL created from <paramref name="json"/>.</summary>
    private static Dictionary<string, List<DbColumn>> CatalogOf(string json)
    {
        Dialect dialect = Dialect.SqlServer;
        IReadOnlyList<TransmogTable> tables = JsonFlattener.ReadSchema(JsonInput.FromString(json), "customers", Natural).Tables;
        TypeContext context = TransmogDdl.ContextOf(tables, widthsKnown: true);
        var catalog = new Dictionary<string, List<DbColumn>>(dialect.IdentifierComparer);
        foreach (TableNames table in TableNames.For(tables, dialect))
        {
            catalog[table.Name] = [.. table.Table.Columns.Select((c, i) => Reported(table.Columns[i], dialect.TypeOf(c, context)))];
        }

        return catalog;
    }

    private static DbColumn Reported(string name, string ddlType)
    {
        string type = ddlType.Split(" COLLATE", 2)[0].ToLowerInvariant();
        int paren = type.IndexOf('(', StringComparison.Ordinal);
        if (type.StartsWith("nvarchar(", StringComparison.Ordinal))
        {
            string width = type[(paren + 1)..^1];
            return new DbColumn(name, type, width == "max" ? 0 : int.Parse(width, CultureInfo.InvariantCulture));
        }

        return new DbColumn(name, paren < 0 ? type : type[..paren], 0);
    }

    private static string Statements(LoadOptions options, string json, Dictionary<string, List<DbColumn>> catalog)
    {
        Dialect dialect = Dialect.SqlServer;
        IReadOnlyList<TransmogTable> tables = JsonFlattener.ReadSchema(JsonInput.FromString(json), "customers", Natural).Tables;
        LoadPlan plan = SchemaEvolution.Plan(options, dialect, tables, catalog, TransmogDdl.ContextOf(tables, widthsKnown: true), Natural);
        IReadOnlyList<TableNames> names = [.. plan.Tables.Select(t => t.Names)];
        var sql = new List<string>();
        sql.AddRange(plan.Checks.Select(c => "-- must count 0: " + c.Sql));
        sql.AddRange(plan.Changes.Select(c => "-- " + c));
        sql.AddRange(plan.Ddl.Select(d => d.Sql!));
        for (int i = 0; i < names.Count; i++)
        {
            sql.AddRange(IncrementalSql.CreateStage(dialect, names[i], i));
            sql.Add($"-- SqlBulkCopy into {IncrementalSql.TempReference(dialect, IncrementalSql.StageName(i))}: {string.Join(", ", plan.Tables[i].Types)}");
        }

        if (options.Mode == LoadMode.Append)
        {
            for (int i = 0; i < names.Count; i++)
            {
                TableNames? parent = i == 0 ? null : TransmogDdl.ParentOf(names, names[i]);
                sql.AddRange(IncrementalSql.CreateSkip(dialect, names[i], i, parent, parent is null ? -1 : names.ToList().IndexOf(parent)));
                sql.Add(IncrementalSql.InsertSkipping(dialect, names[i], i));
            }
        }
        else
        {
            sql.Add(IncrementalSql.CountExisting(dialect, names[0], 0));
            sql.AddRange(plan.Nested.Select(n => IncrementalSql.DeleteBelow(dialect, n.Table, n.Chain, names[0].QuotedColumns[names[0].IdOrdinal])));
            sql.AddRange(names.Select((n, i) => IncrementalSql.Upsert(dialect, n, i, plan.OtherColumns[i])));
        }

        return string.Concat(sql.Select(s => s.EndsWith(';') ? s + "\n\n" : s + ";\n\n")).TrimEnd() + "\n";
    }

    [Theory]
    [InlineData("append-evolve")]
    [InlineData("merge")]
    public void Sql_server_statements_match_the_golden_file(string which)
    {
        var options = new LoadOptions { Name = "customers", Flatten = Natural, ForeignKeys = true, Evolve = true };
        string actual = which == "merge"
            ? Statements(options with { Mode = LoadMode.Merge }, Days(3), CatalogOf(Days(1, 2)))
            : Statements(options with { Mode = LoadMode.Append }, Days(2), CatalogOf(Days(1)));
        string file = "sqlserver-" + which + ".sql";
        if (Environment.GetEnvironmentVariable("TRANSMOG_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), "Golden", file), actual, new UTF8Encoding(false));
            return;
        }

        string path = Path.Combine(AppContext.BaseDirectory, "Golden", file);
        Assert.True(File.Exists(path), $"Golden file {file} is missing: run with TRANSMOG_UPDATE_GOLDEN=1.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }

    [Fact]
    public void Sql_server_refuses_widenings_it_would_do_with_loss()
    {
        var options = new LoadOptions { Name = "customers", Flatten = Natural, Mode = LoadMode.Append, Evolve = true };
        Dictionary<string, List<DbColumn>> catalog = CatalogOf("""{"_id": "a", "active": true, "score": 1.5}""");
        IReadOnlyList<TransmogTable> tables = JsonFlattener.ReadSchema(JsonInput.FromString("""{"_id": "b", "active": "yes"}"""), "customers", Natural).Tables;
        TransmogException boolean = Assert.Throws<TransmogException>(() =>
            SchemaEvolution.Plan(options, Dialect.SqlServer, tables, catalog, TransmogDdl.ContextOf(tables, true), Natural));
        Assert.Contains("column 'active' of table 'customers' (database type bit)", boolean.Message, StringComparison.Ordinal);

        tables = JsonFlattener.ReadSchema(JsonInput.FromString("""{"_id": "b", "score": "high"}"""), "customers", Natural).Tables;
        TransmogException real = Assert.Throws<TransmogException>(() =>
            SchemaEvolution.Plan(options, Dialect.SqlServer, tables, catalog, TransmogDdl.ContextOf(tables, true), Natural));
        Assert.Contains("6 significant digits", real.Message, StringComparison.Ordinal);
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
