using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Transmog.Data.Reliability.Tests.Properties;

public static class Arbitraries
{
    public static Arbitrary<GeneratedInput> Inputs() => JsonGen.Arbitrary();
}

/// <summary>
/// Property-based tests (FsCheck) over generated JSON records: no value is lost or duplicated, every row leads to
/// its root record, and the tables rebuild the input modulo DESIGN.md's normalisations.
/// </summary>
[Properties(Arbitrary = [typeof(Arbitraries)], MaxTest = 150, EndSize = 20)]
public class FlattenProperties
{
    private static readonly TransmogOptions Options = new() { IncludeArrayIndex = true, IncludeRootId = true };

    // Three threads over chunks of 128 bytes: every generated input is cut into many chunks flattened in parallel.
    private static readonly TransmogOptions ParallelOptions = Options with { MaxDegreeOfParallelism = 3, ChunkBytes = 128 };

    private static FlattenResult Run(GeneratedInput input, TransmogOptions options) =>
        JsonFlattener.Flatten(JsonInput.FromString(input.Text), "data", options);

    /// <summary>(a) Every scalar of the input is in exactly one cell, at the path its column and table name say.</summary>
    [Property]
    public Property Every_scalar_is_in_exactly_one_cell_with_its_path(GeneratedInput input)
    {
        using FlattenResult result = Run(input, Options);
        List<JsonObject> expected = Normalise.Records(input.Records);
        List<JsonObject> rebuilt = Unflatten.Records(result);
        int cells = result.AllTables.SelectMany(Unflatten.ReadRows).Sum(r => CountCells(r.Data) + (r.IsValueItem ? 1 : 0));
        int scalars = expected.Sum(Normalise.Cells);
        string why = "";
        bool same = expected.Count == rebuilt.Count
            && expected.Zip(rebuilt).All(p => Normalise.Equivalent(p.First, p.Second, out why));
        return (cells == scalars).Label($"cells {cells} != scalars {scalars}")
            .And(same.Label("a value is not at its path: " + why));
    }

    /// <summary>(b) Every child row's parent chain leads to a main row, and that main row is its _root_id.</summary>
    [Property]
    public bool Parent_chain_of_every_row_leads_to_its_root(GeneratedInput input) => ParentChainsLeadToRoots(input, Options);

    /// <summary>(b) on three threads in small chunks: ids depend on the record, not on the thread.</summary>
    [Property(MaxTest = 75)]
    public bool Parent_chain_of_every_row_leads_to_its_root_on_three_threads(GeneratedInput input) => ParentChainsLeadToRoots(input, ParallelOptions);

    private static bool ParentChainsLeadToRoots(GeneratedInput input, TransmogOptions options)
    {
        using FlattenResult result = Run(input, options);
        var rows = result.AllTables.ToDictionary(t => t.Name, t => Unflatten.ReadRows(t).ToDictionary(r => r.Id));
        foreach (FlattenedTable table in result.AllTables.Skip(1))
        {
            foreach (Unflatten.Row row in rows[table.Name].Values)
            {
                Unflatten.Row current = row;
                int hops = 0;
                while (current.Table.ParentName is { } parent)
                {
                    if (current.ParentId is null || !rows[parent].TryGetValue(current.ParentId, out Unflatten.Row? up))
                    {
                        return false;
                    }

                    current = up;
                    if (++hops > 100)
                    {
                        return false;
                    }
                }

                if (current.Table.Name != result.Main.Name || row.RootId != current.Id)
                {
                    return false;
                }
            }
        }

        // Ids are unique across each table.
        return result.AllTables.All(t => rows[t.Name].Count == t.RowCount);
    }

    /// <summary>(c) Unflatten(Flatten(x)) == normalise(x), with typed values.</summary>
    [Property]
    public Property Unflatten_gives_back_the_input(GeneratedInput input) => RoundTrip(input, Options);

    /// <summary>(c) The same with <see cref="TransmogOptions.StringifyValues"/> and hash ids over the same records.</summary>
    /// <summary>(c) on three threads in small chunks.</summary>
    [Property(MaxTest = 75)]
    public Property Unflatten_gives_back_the_input_on_three_threads(GeneratedInput input) => RoundTrip(input, ParallelOptions);

    [Property(MaxTest = 75)]
    public Property Unflatten_gives_back_the_input_stringified_with_hash_ids(GeneratedInput input) =>
        RoundTrip(input, Options with { StringifyValues = true, IdGeneration = IdGeneration.Hash });

    /// <summary>Streaming to CSV writes as many rows per table as the in-memory result holds, and nothing else.</summary>
    [Property(MaxTest = 40)]
    public bool Csv_output_has_the_same_row_counts(GeneratedInput input)
    {
        using FlattenResult result = Run(input, Options);
        using var dir = Io.TempDir("prop");
        IReadOnlyList<string> files = JsonFlattener.FlattenStreamAsync(JsonInput.FromString(input.Text), dir.Path, "data", new CsvFormatOptions(), Options).GetAwaiter().GetResult();
        var expected = result.AllTables.Where(t => t.RowCount > 0).ToDictionary(t => t.Name + ".csv", t => (int)t.RowCount);
        return files.Count == expected.Count && files.All(f => expected.TryGetValue(Path.GetFileName(f), out int n) && Io.CsvRowCount(f) == n);
    }

    private static Property RoundTrip(GeneratedInput input, TransmogOptions options)
    {
        using FlattenResult result = Run(input, options);
        List<JsonObject> expected = Normalise.Records(input.Records);
        List<JsonObject> rebuilt = Unflatten.Records(result);
        string why = "";
        bool same = expected.Count == rebuilt.Count && expected.Zip(rebuilt).All(p => Normalise.Equivalent(p.First, p.Second, out why));
        return same.Label($"records {expected.Count} vs {rebuilt.Count}: {why}");
    }

    private static int CountCells(JsonObject o) => o.Sum(m => m.Value is JsonObject child ? CountCells(child) : 1);
}
