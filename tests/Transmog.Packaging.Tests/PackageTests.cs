using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;
using Microsoft.Data.Sqlite;
using Transmog.Data;

namespace Transmog.Packaging.Tests;

/// <summary>
/// The packages as a user meets them: packed into a folder, then installed and referenced from that folder only
/// (plus the ordinary feed for their dependencies), never through project references.
/// </summary>
public sealed class PackageTests : IClassFixture<PackedFeed>
{
    private static readonly TimeSpan Slow = TimeSpan.FromMinutes(5);
    private readonly PackedFeed _feed;

    public PackageTests(PackedFeed feed) => _feed = feed;

    private static string SamplePath => Path.Combine(DotnetProcess.RepositoryRoot, "samples", "data", "customers.jsonl");

    [Theory]
    [InlineData("Transmog.Data", "lib/net10.0/Transmog.Data.dll")]
    [InlineData("Transmog.Data.Loading", "lib/net10.0/Transmog.Data.Loading.dll")]
    [InlineData("Transmog.Cli", "tools/net10.0/any/transmog.dll")]
    public void Packages_carry_metadata_docs_symbols_and_no_test_or_sample_code(string id, string assembly)
    {
        using ZipArchive package = ZipFile.OpenRead(_feed.PackPath(id));
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains(assembly, entries);
        Assert.Contains("README.md", entries);
        Assert.DoesNotContain(entries, e => e.Contains("Tests", StringComparison.OrdinalIgnoreCase) || e.Contains("Sample", StringComparison.OrdinalIgnoreCase)
            || e.Contains("Benchmark", StringComparison.OrdinalIgnoreCase) || e.Contains("Fuzz", StringComparison.OrdinalIgnoreCase)
            || e.Contains("xunit", StringComparison.OrdinalIgnoreCase) || e.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase));
        if (id != "Transmog.Cli")
        {
            Assert.Contains(Path.ChangeExtension(assembly, ".xml"), entries);
        }

        XElement metadata = Nuspec(package);
        string Get(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
        Assert.Equal(id, Get("id"));
        Assert.Equal(_feed.Version, Get("version"));
        Assert.Equal("MIT", Get("license"));
        Assert.Equal("README.md", Get("readme"));
        Assert.True(Get("description").Length > 40, "description");
        Assert.Contains("json", Get("tags").Split(' '));
        Assert.StartsWith("0.1.0", Get("releaseNotes"), StringComparison.Ordinal);
        Assert.Equal("git", metadata.Elements().Single(e => e.Name.LocalName == "repository").Attribute("type")?.Value);
        Assert.NotEmpty(Get("authors"));
        using (var reader = new StreamReader(package.GetEntry("README.md")!.Open()))
        {
            Assert.Contains("dotnet", reader.ReadToEnd(), StringComparison.Ordinal);
        }

        using ZipArchive symbols = ZipFile.OpenRead(_feed.PackPath(id, "snupkg"));
        Assert.Contains(symbols.Entries, e => e.FullName.EndsWith(Path.GetFileNameWithoutExtension(assembly) + ".pdb", StringComparison.Ordinal));
        if (id == "Transmog.Cli")
        {
            Assert.Contains("DotnetTool", metadata.Descendants().Where(e => e.Name.LocalName == "packageType").Select(e => e.Attribute("name")?.Value));
            Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", entries);
        }
        else if (id == "Transmog.Data.Loading")
        {
            var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").ToDictionary(e => e.Attribute("id")!.Value, e => e.Attribute("version")!.Value);
            Assert.Equal(_feed.Version, dependencies["Transmog.Data"]);
        }
    }

    [Fact]
    public async Task The_tool_installs_from_the_folder_and_flattens_the_sample()
    {
        string tools = Path.Combine(_feed.Root, "tools");
        string packages = Path.Combine(_feed.Root, "tool-packages");
        var (code, output, error) = await DotnetProcess.DotnetAsync(_feed.Root, Slow, new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages },
            "tool", "install", "Transmog.Cli", "--tool-path", tools, "--version", _feed.Version, "--source", _feed.Feed);
        Assert.True(code == 0, output + error);

        string outDir = Path.Combine(_feed.Root, "flattened");
        string transmog = Path.Combine(tools, OperatingSystem.IsWindows() ? "transmog.exe" : "transmog");
        (code, output, error) = await DotnetProcess.RunAsync(transmog, ["flatten", SamplePath, "--out", outDir, "--name", "customers"], _feed.Root, Slow);
        Assert.True(code == 0, output + error);

        // The same tables and row counts as the library gives in process.
        using FlattenResult expected = JsonFlattener.Flatten(JsonInput.FromFile(SamplePath), "customers", TransmogOptions.ForMemory());
        var files = Directory.GetFiles(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected.AllTables.Where(t => t.RowCount > 0).Select(t => t.Name + ".csv").Order(StringComparer.Ordinal), files);
        foreach (FlattenedTable table in expected.AllTables)
        {
            string[] lines = File.ReadAllLines(Path.Combine(outDir, table.Name + ".csv"));
            Assert.Equal(string.Join(',', table.Schema.Columns.Select(c => c.Name)), lines[0]);
            Assert.Equal(table.RowCount + 1, lines.Length);
        }

        Assert.Contains("customers_orders_items.csv", output, StringComparison.Ordinal);
        Assert.Contains("Ana", File.ReadAllText(Path.Combine(outDir, "customers.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_console_project_referencing_the_packages_loads_sqlite_and_queries_with_dapper()
    {
        string project = Path.Combine(_feed.Root, "consumer");
        Directory.CreateDirectory(project);

        // Transmog.* come from the folder (a version no other feed has); dependencies from the ordinary feeds,
        // already in this user's package folder when the repository was restored; extraction into a private folder.
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{Path.Combine(_feed.Root, "consumer-packages")}" /></config>
              <packageSources><add key="transmog-local" value="{_feed.Feed}" /></packageSources>
              <fallbackPackageFolders><add key="user" value="{DotnetProcess.GlobalPackagesFolder}" /></fallbackPackageFolders>
            </configuration>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <WarningsNotAsErrors>NU1603;NU1901;NU1902;NU1903;NU1904</WarningsNotAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Transmog.Data" Version="[{_feed.Version}]" />
                <PackageReference Include="Transmog.Data.Loading" Version="[{_feed.Version}]" />
                <PackageReference Include="Dapper" Version="2.1.66" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), """
            using Dapper;
            using Microsoft.Data.Sqlite;
            using Transmog.Data;
            using Transmog.Data.Loading;

            string input = args[0];
            string database = args[1];

            // A DbDataReader over one table, read by hand.
            long orders = 0;
            using (TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromFile(input), "customers", table: "customers_orders"))
            {
                while (reader.Read())
                {
                    orders++;
                }
            }

            Console.WriteLine($"reader customers_orders {orders}");

            // Every table's reader into SQLite, in one transaction.
            await using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
            LoadResult result = await TransmogLoader.LoadAsync(JsonInput.FromFile(input), connection,
                new LoadOptions { Name = "customers", Mode = LoadMode.Create, ForeignKeys = true });
            foreach (LoadedTable table in result.Tables)
            {
                Console.WriteLine($"loaded {table.DatabaseName} {table.RowsInserted}");
            }

            // Dapper over the database, and over the JSON itself through TransmogConnection.
            var top = connection.QuerySingle<(string Name, long Orders)>(
                "SELECT c.name_first, COUNT(o._id) FROM customers c JOIN customers_orders o ON o._parent_id = c._id GROUP BY c._id ORDER BY 2 DESC, 1 LIMIT 1");
            Console.WriteLine($"dapper-sqlite {top.Name} {top.Orders}");
            using var json = new TransmogConnection($"Data Source={input};Name=customers");
            Console.WriteLine($"dapper-transmog customers {json.Query("customers").Count()}");
            """);

        string database = Path.Combine(_feed.Root, "consumer.db");
        var (code, output, error) = await DotnetProcess.DotnetAsync(project, Slow, null,
            "run", "-c", "Release", "--", SamplePath, database);
        Assert.True(code == 0, output + error);

        // The packages restored are the folder's, at the folder's version.
        string assets = await File.ReadAllTextAsync(Path.Combine(project, "obj", "project.assets.json"));
        Assert.Contains($"\"Transmog.Data.Loading/{_feed.Version}\"", assets, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Path.Combine(_feed.Root, "consumer-packages", "transmog.data", _feed.Version)));

        using FlattenResult expected = JsonFlattener.Flatten(JsonInput.FromFile(SamplePath), "customers");
        Assert.Contains($"reader customers_orders {expected["customers_orders"].RowCount}", output, StringComparison.Ordinal);
        Assert.Contains($"dapper-transmog customers {expected.Main.RowCount}", output, StringComparison.Ordinal);
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=false");
        await connection.OpenAsync();
        foreach (FlattenedTable table in expected.AllTables)
        {
            Assert.Contains($"loaded {table.Name} {table.RowCount}", output, StringComparison.Ordinal);
            await using SqliteCommand count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table.Name}\"";
            Assert.Equal(table.RowCount, Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
        }

        await using SqliteCommand top = connection.CreateCommand();
        top.CommandText = "SELECT c.name_first || ' ' || COUNT(o._id) FROM customers c JOIN customers_orders o ON o._parent_id = c._id GROUP BY c._id ORDER BY COUNT(o._id) DESC, 1 LIMIT 1";
        Assert.Contains($"dapper-sqlite {await top.ExecuteScalarAsync()}", output, StringComparison.Ordinal);
    }

    private static XElement Nuspec(ZipArchive package)
    {
        ZipArchiveEntry entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using Stream stream = entry.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }
}
