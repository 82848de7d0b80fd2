using System.Runtime.CompilerServices;

namespace Transmog.Data.Loading.Tests;

/// <summary>
/// The DDL of every dialect against golden files (Golden/*.sql). After a deliberate change, regenerate them with
/// <c>TRANSMOG_UPDATE_GOLDEN=1 dotnet test --filter DdlTests</c> and review the diff.
/// </summary>
public sealed class DdlTests
{
    /// <summary>Every column type, metadata roles, nested tables, and keys that need quoting or shortening.</summary>
    internal static readonly string Input = string.Join('\n',
        """{"id": 1, "name": "Ana", "score": 7.5, "active": true, "big": 123456789012345678901234, "tags": ["a", 1], "long": "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ", "x\"; DROP TABLE y; --": "q", "back`tick]": 1, "Name": "case", "emoji 😀": 1, "a_very_long_key_that_goes_on_and_on_beyond_what_postgres_and_mysql_allow_for_identifiers": 1, "signup": "2024-03-01", "seen": "2024-03-01 10:20:30.5", "at": "2024-03-01T10:20:30+01:00", "orders": [{"sku": "S-1", "qty": 2, "lines": [{"note": "n"}]}]}""",
        """{"id": 2, "name": null, "orders": [{"sku": "S-2", "qty": 1}]}""");

    private static TransmogSchema Schema() =>
        JsonFlattener.ReadSchema(JsonInput.FromString(Input), "orders \"main\"", new TransmogOptions { IncludeArrayIndex = true, IncludeRootId = true });

    [Theory]
    [InlineData(SqlDialect.SqlServer, "sqlserver")]
    [InlineData(SqlDialect.PostgreSql, "postgres")]
    [InlineData(SqlDialect.MySql, "mysql")]
    [InlineData(SqlDialect.Sqlite, "sqlite")]
    [InlineData(SqlDialect.DuckDb, "duckdb")]
    public void Ddl_matches_the_golden_file(SqlDialect dialect, string file)
    {
        string actual = TransmogDdl.CreateTables(Schema(), dialect, foreignKeys: true);
        string path = Path.Combine(AppContext.BaseDirectory, "Golden", file + ".sql");
        if (Environment.GetEnvironmentVariable("TRANSMOG_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceDirectory(), "Golden", file + ".sql"), actual);
            return;
        }

        Assert.True(File.Exists(path), $"Golden file {file}.sql is missing: run with TRANSMOG_UPDATE_GOLDEN=1.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), actual);
    }

    [Theory]
    [InlineData(SqlDialect.SqlServer, "[a]]b]")]
    [InlineData(SqlDialect.PostgreSql, "\"a]b\"")]
    [InlineData(SqlDialect.MySql, "`a]b`")]
    public void Quoting_doubles_the_closing_quote(SqlDialect dialect, string expected)
    {
        Assert.Equal(expected, TransmogDdl.QuoteIdentifier("a]b", dialect));
        Assert.Equal("`x``; DROP TABLE y; --`", TransmogDdl.QuoteIdentifier("x`; DROP TABLE y; --", SqlDialect.MySql));
        Assert.Equal("\"x\"\"; DROP TABLE y; --\"", TransmogDdl.QuoteIdentifier("x\"; DROP TABLE y; --", SqlDialect.DuckDb));
    }

    [Fact]
    public void Long_names_are_shortened_stably_within_each_limit()
    {
        string longName = new string('é', 40);
        string pg = Naming.Fit(longName, Dialect.PostgreSql);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(pg) <= 63);
        Assert.Matches("^é+_[0-9a-f]{8}$", pg);
        Assert.Equal(pg, Naming.Fit(longName, Dialect.PostgreSql));
        Assert.Equal(longName, Naming.Fit(longName, Dialect.MySql));

        string seventy = new string('k', 70);
        string my = Naming.Fit(seventy, Dialect.MySql);
        Assert.Equal(64, my.Length);
        Assert.EndsWith("_" + Naming.Hash8(seventy), my, StringComparison.Ordinal);
        Assert.NotEqual(my, Naming.Fit(seventy + "x", Dialect.MySql));
    }

    [Fact]
    public void Names_a_dialect_refuses_or_confuses_are_made_unique()
    {
        Assert.Matches("^emoji __[0-9a-f]{8}$", Naming.Fit("emoji 😀", Dialect.MySql));
        Assert.Equal("emoji 😀", Naming.Fit("emoji 😀", Dialect.PostgreSql));
        Assert.Matches("^trailing_[0-9a-f]{8}$", Naming.Fit("trailing ", Dialect.MySql));
        Assert.Matches("^nul__[0-9a-f]{8}$", Naming.Fit("nul\0", Dialect.Sqlite));

        var names = new Naming.UniqueNames(Dialect.Sqlite);
        Assert.Equal("Name", names.Add("Name"));
        string second = names.Add("name");
        Assert.NotEqual("name", second, StringComparer.OrdinalIgnoreCase);
        Assert.StartsWith("name_", second, StringComparison.Ordinal);

        var caseSensitive = new Naming.UniqueNames(Dialect.PostgreSql);
        Assert.Equal("Name", caseSensitive.Add("Name"));
        Assert.Equal("name", caseSensitive.Add("name"));
    }

    [Fact]
    public void Text_keys_get_index_friendly_types_and_mysql_rows_stay_within_the_row_limit()
    {
        var wide = new Dictionary<string, string>();
        for (int i = 0; i < 80; i++)
        {
            wide["c" + i] = new string('x', 200);
        }

        TransmogSchema schema = JsonFlattener.ReadSchema(JsonInput.FromString(System.Text.Json.JsonSerializer.Serialize(wide)), "wide");
        string mysql = TransmogDdl.CreateTables(schema, SqlDialect.MySql);
        int varchars = mysql.Split("VARCHAR(255)").Length - 1;
        int texts = mysql.Split(" TEXT").Length - 1;
        Assert.Equal(80, varchars + texts);
        Assert.True(varchars * ((255 * 4) + 2) <= 65_000, mysql);

        TransmogSchema natural = JsonFlattener.ReadSchema(
            JsonInput.FromString("""{"_id": "k-1", "items": [{"_id": "i-1"}]}"""), "n", new TransmogOptions { IdGeneration = IdGeneration.Natural });
        Assert.Contains("`_id` VARCHAR(255) NOT NULL", TransmogDdl.CreateTables(natural, SqlDialect.MySql), StringComparison.Ordinal);
        Assert.Contains("[_id] NVARCHAR(450) COLLATE Latin1_General_100_BIN2 NOT NULL", TransmogDdl.CreateTables(natural, SqlDialect.SqlServer), StringComparison.Ordinal);
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
