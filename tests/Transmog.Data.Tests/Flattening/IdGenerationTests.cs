namespace Transmog.Data.Tests.Flattening;

public class IdGenerationTests
{
    private const string Input = """[{"id":"c1","xs":[{"a":1},{"a":1}]},{"id":"c2","xs":[{"a":1}]}]""";

    [Fact]
    public void Hash_ids_are_python_compatible_for_root_records()
    {
        using var result = TestData.Flatten("""{"b":1,"a":"X","c":[1.0,null,true],"d":"é\n"}""", new TransmogOptions { IdGeneration = IdGeneration.Hash });
        Assert.Equal(Guid.Parse("697dc60a-6339-511f-a2f5-577482260ce7"), result.Main.Rows()[0]["_id"]);
    }

    [Fact]
    public void Fields_ids_are_python_compatible_for_root_records()
    {
        using var result = TestData.Flatten("""{"a":"X","b":2}""", new TransmogOptions { IdGeneration = IdGeneration.Fields("b", "a", "z") });
        Assert.Equal(Guid.Parse("c936fd38-ca21-5e8a-8685-152b69b44021"), result.Main.Rows()[0]["_id"]);
    }

    [Fact]
    public void Hash_ids_are_deterministic_and_child_ids_unique()
    {
        var options = new TransmogOptions { IdGeneration = IdGeneration.Hash };
        using var first = TestData.Flatten(Input, options);
        using var second = TestData.Flatten(Input, options);
        var ids1 = first.AllTables.SelectMany(t => t.Rows()).Select(r => r["_id"]).ToList();
        var ids2 = second.AllTables.SelectMany(t => t.Rows()).Select(r => r["_id"]).ToList();
        Assert.Equal(ids1, ids2);
        Assert.Equal(ids1.Count, ids1.Distinct().Count());
    }

    [Fact]
    public void Random_ids_are_unique_v4_uuids_and_differ_between_runs()
    {
        using var first = TestData.Flatten(Input);
        using var second = TestData.Flatten(Input);
        var ids = first.AllTables.SelectMany(t => t.Rows()).Select(r => (Guid)r["_id"]).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids.Take(2), id => Assert.Equal(4, id.Version));
        Assert.NotEqual(ids[0], second.Main.Rows()[0]["_id"]);
    }

    [Fact]
    public void Random_ids_are_stable_across_reads_of_one_result()
    {
        using var result = TestData.Flatten(Input);
        Assert.Equal(result.Main.Rows()[0]["_id"], result.Main.Rows()[0]["_id"]);
    }

    [Fact]
    public void Natural_ids_use_the_records_own_field()
    {
        using var result = TestData.Flatten(Input, new TransmogOptions { IdGeneration = IdGeneration.Natural, IdField = "id" });
        var main = result.Main.Rows();
        Assert.Equal(["c1", "c2"], main.Select(r => r["id"]));
        Assert.Equal("id", result.Main.Schema.Columns[0].Name);
        Assert.Equal(TransmogColumnRole.Id, result.Main.Schema.Columns[0].Role);
        var children = result["data_xs"].Rows();
        Assert.Equal(["c1", "c1", "c2"], children.Select(r => r["_parent_id"]));
        Assert.Equal(3, children.Select(r => r["id"]).Distinct().Count());
    }

    [Fact]
    public void Natural_id_missing_is_an_error_naming_the_record()
    {
        var ex = Assert.Throws<TransmogInputException>(() =>
            TestData.Flatten("[{\"id\":1},\n{\"x\":2}]", new TransmogOptions { IdGeneration = IdGeneration.Natural, IdField = "id" }));
        Assert.Contains("natural", ex.Message);
        Assert.Equal(2, ex.Position.RecordNumber);
        Assert.Equal(2, ex.Line);
    }

    [Fact]
    public void Natural_id_empty_is_an_error()
    {
        Assert.Throws<TransmogInputException>(() =>
            TestData.Flatten("""{"id":""}""", new TransmogOptions { IdGeneration = IdGeneration.Natural, IdField = "id" }));
    }

    [Theory]
    [InlineData("random", nameof(IdGenerationKind.Random))]
    [InlineData("hash", nameof(IdGenerationKind.Hash))]
    [InlineData("natural", nameof(IdGenerationKind.Natural))]
    [InlineData("a, b", nameof(IdGenerationKind.Fields))]
    public void IdGeneration_parses_cli_spelling(string text, string kind)
    {
        // The kind is internal: compared by name.
        Assert.Equal(Enum.Parse<IdGenerationKind>(kind), IdGeneration.Parse(text).Kind);
    }
}
