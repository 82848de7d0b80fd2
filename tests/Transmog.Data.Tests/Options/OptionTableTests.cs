using System.CommandLine;
using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Transmog.Cli;
using Transmog.Cli.Commands;

namespace Transmog.Data.Tests.Options;

/// <summary>
/// The option table (<see cref="OptionTable"/>) against <see cref="TransmogOptions"/>, the connection-string builder,
/// the CLI and the README.
/// </summary>
public class OptionTableTests
{
    /// <summary>A non-default text for every entry and the value it means.</summary>
    private static readonly Dictionary<string, (string Text, object? Expected)> Examples = new()
    {
        [nameof(TransmogOptions.ArrayMode)] = ("separate", ArrayMode.Separate),
        [nameof(TransmogOptions.IdGeneration)] = ("a,b", IdGeneration.Fields("a", "b")),
        [nameof(TransmogOptions.IdField)] = ("key", "key"),
        [nameof(TransmogOptions.ParentField)] = ("parent", "parent"),
        [nameof(TransmogOptions.TimeField)] = ("ts", "ts"),
        [nameof(TransmogOptions.IncludeNulls)] = ("true", true),
        [nameof(TransmogOptions.StringifyValues)] = ("true", true),
        [nameof(TransmogOptions.InferDates)] = ("false", false),
        [nameof(TransmogOptions.MaxDepth)] = ("7", 7),
        [nameof(TransmogOptions.Separator)] = (".", "."),
        [nameof(TransmogOptions.BatchSize)] = ("5000", 5000),
        [nameof(TransmogOptions.CacheSize)] = ("0", 0),
        [nameof(TransmogOptions.RecoveryMode)] = ("skip", RecoveryMode.Skip),
        [nameof(TransmogOptions.LastWriteWins)] = ("true", true),
        [nameof(TransmogOptions.IncludeArrayIndex)] = ("true", true),
        [nameof(TransmogOptions.IncludeRootId)] = ("true", true),
        [nameof(TransmogOptions.RealNumbers)] = ("decimal", TransmogColumnType.Decimal),
        [nameof(TransmogOptions.SchemaInference)] = ("full-scan", SchemaInference.FullScan),
        [nameof(TransmogOptions.InferenceWindow)] = ("50", 50),
        [nameof(TransmogOptions.SchemaDrift)] = ("skip", RecoveryMode.Skip),
        [nameof(TransmogOptions.MaxColumns)] = ("12", 12),
        [nameof(TransmogOptions.MaxTables)] = ("3", 3),
        [nameof(TransmogOptions.MaxInputBytes)] = ("1048576", 1_048_576L),
        [nameof(TransmogOptions.RecordsPath)] = ("data.items", "data.items"),
        [nameof(TransmogOptions.KeyField)] = ("member", "member"),
        [nameof(TransmogOptions.SourceFileField)] = ("_file", "_file"),
        [nameof(TransmogOptions.AllowComments)] = ("true", true),
        [nameof(TransmogOptions.AllowTrailingCommas)] = ("true", true),
        [nameof(TransmogOptions.MaxDegreeOfParallelism)] = ("3", 3),
    };

    public static TheoryData<string> Properties()
    {
        var data = new TheoryData<string>();
        foreach (OptionEntry entry in OptionTable.Entries)
        {
            data.Add(entry.Property);
        }

        return data;
    }

    [Fact]
    public void Every_public_settable_option_has_an_entry_of_its_type()
    {
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (OptionEntry entry in OptionTable.Entries)
        {
            PropertyInfo? property = typeof(TransmogOptions).GetProperty(entry.Property, BindingFlags.Public | BindingFlags.Instance);
            Assert.NotNull(property);
            Assert.Equal(property.PropertyType, entry.ValueType);
            Assert.True(covered.Add(entry.Property), $"{entry.Property} has two entries.");
            Assert.True(Examples.ContainsKey(entry.Property), $"{entry.Property} needs an example in {nameof(OptionTableTests)}.");
        }

        foreach (PropertyInfo property in typeof(TransmogOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is { IsPublic: true } && property.Name != "EqualityContract")
            {
                Assert.True(covered.Contains(property.Name) || OptionTable.CodeOnly.Contains(property.Name),
                    $"TransmogOptions.{property.Name} has no entry in OptionTable.");
            }
        }

        Assert.Equal([nameof(TransmogOptions.Schema), nameof(TransmogOptions.LoggerFactory)], OptionTable.CodeOnly);
    }

    [Fact]
    public void Keywords_synonyms_and_flags_are_unique()
    {
        var keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Data Source", "DataSource", "File", "Path", "Name", "Entity", "Preset" };
        var flags = new HashSet<string>(StringComparer.Ordinal) { "--name", "-n", "--preset", "--out", "-o", "--format", "-f", "--compression", "--to", "--provider", "--create", "--append", "--replace", "--foreign-keys", "--ddl", "--schema", "--save" };
        foreach (OptionEntry entry in OptionTable.Entries)
        {
            foreach (string keyword in (string[])[entry.Keyword, .. entry.Synonyms])
            {
                Assert.True(keywords.Add(keyword), $"Keyword '{keyword}' is used twice.");
            }

            foreach (string flag in (string[])[entry.CliFlag, .. entry.CliAliases, .. entry.CliNegation is null ? [] : new[] { entry.CliNegation }])
            {
                Assert.True(flags.Add(flag), $"Flag '{flag}' is used twice.");
            }
        }
    }

    [Fact]
    public void Number_ranges_agree_with_the_options_setters()
    {
        foreach (OptionEntry entry in OptionTable.Entries)
        {
            if (entry.Kind != OptionValueKind.Number)
            {
                continue;
            }

            Type type = Nullable.GetUnderlyingType(entry.ValueType) ?? entry.ValueType;
            object Box(long value) => type == typeof(int) ? (object)(int)value : value;
            _ = entry.Set(TransmogOptions.Default, Box(entry.Min));
            _ = entry.Set(TransmogOptions.Default, Box(entry.Max));
            Assert.Throws<ArgumentException>(() => entry.Set(TransmogOptions.Default, Box(entry.Min - 1)));
            if (type == typeof(int) && entry.Max < int.MaxValue)
            {
                Assert.Throws<ArgumentException>(() => entry.Set(TransmogOptions.Default, Box(entry.Max + 1)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public void Every_option_round_trips_through_text(string property)
    {
        OptionEntry entry = OptionTable.ForProperty(property);
        (string text, object? expected) = Examples[property];
        object? parsed = entry.Parse(text, "test");
        Assert.Equal(expected, parsed);
        Assert.NotEqual(expected, entry.Get(TransmogOptions.Default));
        Assert.Equal(expected, entry.Parse(entry.Format(parsed), "test"));
        object? defaultValue = entry.Get(TransmogOptions.Default);
        Assert.Equal(defaultValue, entry.Parse(entry.Format(defaultValue), "test"));
        Assert.Equal(expected, entry.Get(entry.Set(TransmogOptions.Default, parsed)));
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public void Every_option_is_settable_through_the_connection_string_by_every_spelling(string property)
    {
        OptionEntry entry = OptionTable.ForProperty(property);
        (string text, object? expected) = Examples[property];
        foreach (string keyword in (string[])[entry.Keyword, .. entry.Synonyms, entry.Keyword.ToUpperInvariant()])
        {
            var builder = new TransmogConnectionStringBuilder($"Data Source=a.json;{keyword}={text}");
            Assert.Equal(expected, entry.Get(builder.ToOptions()));
            Assert.Equal(expected, builder[keyword]);
            Assert.Equal(expected, typeof(TransmogConnectionStringBuilder).GetProperty(property)!.GetValue(builder));
            Assert.True(builder.ShouldSerialize(keyword));
            Assert.Contains(entry.Keyword + "=", builder.ConnectionString, StringComparison.Ordinal);

            // The builder's own text reads back to the same options.
            var again = new TransmogConnectionStringBuilder(builder.ConnectionString);
            Assert.Equal(expected, entry.Get(again.ToOptions()));
            Assert.True(builder.EquivalentTo(again));

            Assert.True(builder.Remove(keyword));
            Assert.False(builder.ShouldSerialize(entry.Keyword));
            Assert.Equal(entry.Get(TransmogOptions.Default), entry.Get(builder.ToOptions()));
        }

        // The typed property sets it too, and the indexer takes the typed value.
        var typed = new TransmogConnectionStringBuilder();
        typeof(TransmogConnectionStringBuilder).GetProperty(property)!.SetValue(typed, expected);
        Assert.Equal(expected, entry.Get(typed.ToOptions()));
        var indexed = new TransmogConnectionStringBuilder { [entry.Keyword] = expected! };
        Assert.Equal(expected, entry.Get(indexed.ToOptions()));
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public void Every_option_is_settable_through_the_cli_by_every_flag(string property)
    {
        OptionEntry entry = OptionTable.ForProperty(property);
        (string text, object? expected) = Examples[property];
        foreach (string flag in (string[])[entry.CliFlag, .. entry.CliAliases])
        {
            // A bare switch means true; a switch whose example is false (its default is true) is given its value.
            string[] args = entry.Kind == OptionValueKind.Switch && expected is true ? ["input.json", flag] : ["input.json", flag, text];
            Assert.Equal(expected, entry.Get(CliOptions(args)));
        }

        if (entry.CliNegation is { } negation)
        {
            Assert.Equal(entry.NegatedValue, entry.Get(CliOptions("input.json", negation)));
        }

        Assert.Equal(entry.Get(TransmogOptions.Default), entry.Get(CliOptions("input.json")));
    }

    [Fact]
    public void Cli_switches_take_an_explicit_value_that_overrides_the_preset()
    {
        Assert.True(CliOptions("input.json", "--preset", "csv").IncludeNulls);
        Assert.False(CliOptions("input.json", "--preset", "csv", "--include-nulls", "false").IncludeNulls);
        Assert.False(CliOptions("input.json", "--preset", "csv", "--stringify", "false").StringifyValues);
        Assert.Equal(100, CliOptions("input.json", TransmogOptions.ForMemory()).BatchSize);
        Assert.Null(CliOptions("input.json", "--time-field", "ts", "--no-timestamp").TimeField);
        Assert.Null(CliOptions("input.json", "--threads", "0").MaxDegreeOfParallelism);
    }

    [Theory]
    [InlineData("Batch Size=zero", "Batch Size", "zero")]
    [InlineData("batchsize=0", "batchsize", "between 1 and 10000000")]
    [InlineData("Threads=many", "Threads", "many")]
    [InlineData("Max Degree Of Parallelism=2000", "Max Degree Of Parallelism", "2000")]
    [InlineData("Array Mode=sideways", "Array Mode", "smart, separate, inline, skip")]
    [InlineData("Include Nulls=maybe", "Include Nulls", "maybe")]
    [InlineData("Id Generation=,", "Id Generation", "','")]
    [InlineData("Id Field=' '", "Id Field", "non-empty")]
    [InlineData("Max Input Bytes=-5", "Max Input Bytes", "-5")]
    [InlineData("Last Write Wins=first", "Last Write Wins", "first")]
    [InlineData("Real Numbers=int64", "Real Numbers", "int64")]
    [InlineData("Schema Drift=ignore", "Schema Drift", "ignore")]
    [InlineData("Preset=turbo", "Preset", "turbo")]
    public void A_bad_value_fails_when_set_naming_the_keyword_and_the_value(string connectionString, string keyword, string detail)
    {
        var ex = Assert.Throws<ArgumentException>(() => new TransmogConnectionStringBuilder(connectionString));
        Assert.Contains($"'{keyword}'", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(detail, ex.Message, StringComparison.Ordinal);

        // The builder keeps its previous state when a new connection string fails.
        var builder = new TransmogConnectionStringBuilder("Data Source=a.json;Batch Size=5");
        Assert.Throws<ArgumentException>(() => builder.ConnectionString = connectionString);
        Assert.Equal(5, builder.BatchSize);
        Assert.Equal("a.json", builder.DataSource);
    }

    [Fact]
    public void Typed_setters_and_the_indexer_check_at_once()
    {
        var builder = new TransmogConnectionStringBuilder();
        var depth = Assert.Throws<ArgumentException>(() => builder.MaxDepth = 0);
        Assert.Contains("'Max Depth'", depth.Message, StringComparison.Ordinal);
        Assert.Contains("'0'", depth.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => builder.IdField = " ");
        Assert.Contains("'Separator'", Assert.Throws<ArgumentException>(() => builder.Separator = string.Empty).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => builder["Separator"] = string.Empty);
        Assert.Throws<ArgumentException>(() => builder["Batch Size"] = true);
        Assert.Throws<ArgumentException>(() => builder["Batch Size"] = 2.5);
        Assert.Throws<ArgumentException>(() => builder["Batch Size"] = long.MaxValue);
        Assert.Throws<ArgumentException>(() => builder["Array Mode"] = (ArrayMode)42);
        var unknown = Assert.Throws<ArgumentException>(() => builder["Colour"] = "blue");
        Assert.Contains("Colour", unknown.Message, StringComparison.Ordinal);
        Assert.False(builder.ShouldSerialize("Max Depth"));

        builder["Batch Size"] = 250L;
        builder["Array Mode"] = ArrayMode.Inline;
        builder["threads"] = "2";
        Assert.Equal(250, builder["batchsize"]);
        Assert.Equal(ArrayMode.Inline, builder.ArrayMode);
        Assert.Equal(2, builder.MaxDegreeOfParallelism);
        
        // As SqliteConnectionStringBuilder: written in keyword order, each value's own text.
        Assert.Equal("Array Mode=Inline;Batch Size=250;Max Degree Of Parallelism=2", builder.ConnectionString);
    }

    [Fact]
    public void Synonyms_keys_values_and_clear_behave_as_sqlite()
    {
        var builder = new TransmogConnectionStringBuilder("file=a.json;entity=orders;stringify values=yes;threads=3;time field=none");
        Assert.Equal("a.json", builder.DataSource);
        Assert.Equal("orders", builder.Name);
        Assert.True(builder.StringifyValues);
        Assert.Equal(3, builder.MaxDegreeOfParallelism);
        Assert.Null(builder.TimeField);
        Assert.Equal("none", builder["Time Field"]);
        Assert.Null(builder.ToOptions().TimeField);
        Assert.Contains("Time Field=none", builder.ConnectionString, StringComparison.Ordinal);
        Assert.Null(new TransmogConnectionStringBuilder(builder.ConnectionString).ToOptions().TimeField);

        // ContainsKey: known (set or not); ShouldSerialize: set; TryGetValue: the value the options will have.
        Assert.True(builder.ContainsKey("Max Depth"));
        Assert.True(builder.ContainsKey("MAXDEPTH"));
        Assert.False(builder.ContainsKey("Colour"));
        Assert.False(builder.ShouldSerialize("maxdepth"));
        Assert.True(builder.ShouldSerialize("Threads"));
        Assert.True(builder.TryGetValue("maxdepth", out object? depth));
        Assert.Equal(100, depth);
        Assert.False(builder.TryGetValue("Colour", out _));
        Assert.False(builder.Remove("Colour"));
        Assert.False(builder.Remove("Max Depth"));
        Assert.True(builder.Remove("path"));
        Assert.Equal(string.Empty, builder.DataSource);

        string[] keys = builder.Keys.Cast<string>().ToArray();
        Assert.Equal(3 + OptionTable.Entries.Count, keys.Length);
        Assert.Equal(["Data Source", "Name", "Preset"], keys[..3]);
        Assert.Equal(keys.Length, builder.Values.Count);

        builder.Clear();
        Assert.Equal(string.Empty, builder.ConnectionString);
        Assert.Equal("data", builder.Name);
        Assert.False(builder.StringifyValues);
        Assert.Null(builder.MaxDegreeOfParallelism);
        Assert.Equal("_timestamp", builder.TimeField);
    }

    [Fact]
    public void Today_spellings_keep_working()
    {
        var builder = new TransmogConnectionStringBuilder(
            "datasource=a.json;Name=n;Id Generation=hash;idfield=key;Parent Field=p;timefield=t;includenulls=true;Stringify=true;" +
            "maxdepth=5;Batch Size=7;cachesize=9;Separator=.;recoverymode=skip;Schema Inference=window;inferencewindow=4;" +
            "realnumbers=decimal;Array Index=true;rootid=true;Max Degree Of Parallelism=2;Preset=csv;Array Mode=skip");
        TransmogOptions options = builder.ToOptions();
        Assert.Equal(IdGeneration.Hash, options.IdGeneration);
        Assert.Equal(("key", "p", "t"), (options.IdField, options.ParentField, options.TimeField));
        Assert.True(options.IncludeNulls && options.StringifyValues && options.IncludeArrayIndex && options.IncludeRootId);
        Assert.Equal((5, 7, 9, 4, 2), (options.MaxDepth, options.BatchSize, options.CacheSize, options.InferenceWindow, options.MaxDegreeOfParallelism));
        Assert.Equal((".", RecoveryMode.Skip, SchemaInference.Window, TransmogColumnType.Decimal, ArrayMode.Skip),
            (options.Separator, options.RecoveryMode, options.SchemaInference, options.RealNumbers, options.ArrayMode));
    }

    [Fact]
    public void Presets_give_the_values_of_unset_keywords()
    {
        var builder = new TransmogConnectionStringBuilder("Preset=csv");
        Assert.True(builder.IncludeNulls);
        Assert.True((bool)builder["Stringify"]);
        builder.IncludeNulls = false;
        Assert.False(builder.ToOptions().IncludeNulls);
        Assert.True(builder.ToOptions().StringifyValues);
        builder.Preset = null;
        Assert.False(builder.StringifyValues);
        Assert.Equal("Include Nulls=False", builder.ConnectionString);
    }

    [Fact]
    public void Options_only_settable_from_code_before_now_work_end_to_end()
    {
        string dir = Io.TempDirectory();
        string file = Path.Combine(dir, "commented.json");
        File.WriteAllText(file, "[ // first\n {\"a\": 1, \"b\": {\"c\": 2},}, /* second */ {\"a\": 2, \"a_b\": 3}, ]");

        using (var strict = new TransmogConnection($"Data Source={file}"))
        {
            Assert.ThrowsAny<TransmogException>(() => Drain(strict));
        }

        using (var lenient = new TransmogConnection($"Data Source={file};Allow Comments=true;Allow Trailing Commas=true"))
        {
            Assert.Equal(2, Drain(lenient));
        }

        using (var tooFew = new TransmogConnection($"Data Source={file};allowcomments=yes;AllowTrailingCommas=on;Max Columns=2"))
        {
            var ex = Assert.ThrowsAny<TransmogException>(() => Drain(tooFew));
            Assert.Contains("2", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_cli_reports_a_bad_value_with_its_flag_and_applies_new_flags()
    {
        string dir = Io.TempDirectory();
        var error = new StringWriter();
        int code = await TransmogCli.RunAsync(["schema", Repository.SamplePath, "--batch-size", "zero"], new StringWriter(), error);
        Assert.Equal(2, code); // a usage error
        Assert.Contains("--batch-size", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("'zero'", error.ToString(), StringComparison.Ordinal);

        string file = Path.Combine(dir, "commented.json");
        await File.WriteAllTextAsync(file, "[ // first\n {\"a\": 1,}, ]");
        var output = new StringWriter();
        code = await TransmogCli.RunAsync(["schema", file, "--allow-comments", "--allow-trailing-commas", "--no-timestamp"], output, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains("data (1 rows)", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("_timestamp", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_readme_option_table_is_the_generated_one()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md")).ReplaceLineEndings("\n");
        const string beginMarker = "<!-- option table: generated from OptionTable.ToMarkdown(); OptionTableTests checks it -->\n";
        const string endMarker = "<!-- end of option table -->";
        int start = readme.IndexOf(beginMarker, StringComparison.Ordinal);
        int end = readme.IndexOf(endMarker, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no option table markers.");
        string expected = OptionTable.ToMarkdown();
        if (expected != readme[(start + beginMarker.Length)..end])
        {
            string generated = Path.Combine(Path.GetTempPath(), "transmog-option-table.md");
            File.WriteAllText(generated, expected);
            Assert.Fail($"README.md's option table differs from OptionTable.ToMarkdown(); the generated table is in {generated}.");
        }

        // The CLI usage blocks and the options paragraph mention every flag, keyword and property.
        foreach (OptionEntry entry in OptionTable.Entries)
        {
            Assert.Matches(Regex.Escape(entry.CliFlag) + @"(?![-\w])", readme);
            Assert.Contains($"`{entry.Property}`", readme, StringComparison.Ordinal);
        }
    }

    private static int Drain(TransmogConnection connection)
    {
        connection.Open();
        using DbCommand command = connection.CreateCommand();
        command.CommandText = "data";
        using DbDataReader reader = command.ExecuteReader();
        int rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        return rows;
    }

    private static TransmogOptions CliOptions(params string[] args) => CliOptions(args, null);

    private static TransmogOptions CliOptions(string input, TransmogOptions defaults) => CliOptions([input], defaults);

    private static TransmogOptions CliOptions(string[] args, TransmogOptions? defaults)
    {
        var settings = new FlattenSettings(defaults);
        var command = new Command("test");
        settings.AddTo(command);
        ParseResult parsed = command.Parse(args);
        Assert.Empty(parsed.Errors);
        return settings.ToOptions(parsed);
    }

    /// <summary>Real numbers are double or decimal: help, completion and the error list those two only.</summary>
    [Fact]
    public void Real_numbers_offer_only_the_types_they_take()
    {
        OptionEntry entry = OptionTable.Find("Real Numbers")!;
        Assert.Equal("double|decimal", entry.Values);
        Assert.Equal(TransmogColumnType.Decimal, entry.Parse("decimal", "--real-numbers"));
        var error = Assert.ThrowsAny<ArgumentException>(() => entry.Parse("string", "--real-numbers"));
        Assert.Contains("double, decimal", error.Message, StringComparison.Ordinal);
    }

    /// <summary>--threads takes 0 for every core: its range error says so.</summary>
    [Fact]
    public void Threads_out_of_range_says_that_0_is_every_core()
    {
        OptionEntry entry = OptionTable.Find("Threads")!;
        var error = Assert.ThrowsAny<ArgumentException>(() => entry.Parse("-1", "--threads"));
        Assert.Equal("--threads cannot be '-1': expected a whole number from 1 to 1024 or 0", error.Message);
        Assert.Null(entry.Parse("0", "--threads"));
    }
}
