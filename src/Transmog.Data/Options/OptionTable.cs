using System.Globalization;
using System.Text;

namespace Transmog.Data;

/// <summary>
/// The one place that knows every <see cref="TransmogOptions"/> setting as text: the connection-string builder
/// (<see cref="TransmogConnectionStringBuilder"/>), the CLI's flags and help, and the README's option table all derive
/// from <see cref="Entries"/>.
/// </summary>
/// <remarks>
/// <see cref="TransmogOptions.Schema"/> has no entry: an explicit schema is an object graph, set in code
/// (<see cref="CodeOnly"/>).
/// </remarks>
internal static class OptionTable
{
    /// <summary>The <see cref="TransmogOptions"/> properties that are set in code only, not as text.</summary>
    public static IReadOnlyList<string> CodeOnly { get; } = [nameof(TransmogOptions.Schema), nameof(TransmogOptions.LoggerFactory)];

    /// <summary>Every option that can be written as text, in the order help and docs list them.</summary>
    public static IReadOnlyList<OptionEntry> Entries { get; } =
    [
        Choice(nameof(TransmogOptions.ArrayMode), "Array Mode", [], "--array-mode",
            "How arrays become tables: smart (arrays holding objects become child tables, arrays of scalars stay as JSON text), separate (every array a child table), inline (every array as JSON text), skip (left out).",
            o => o.ArrayMode, (o, v) => o with { ArrayMode = v }),
        new(nameof(TransmogOptions.IdGeneration), "Id Generation", [], "--id-generation",
            "How row ids are made: random UUIDs, the record's own natural id field, a hash of the record, the record's place (file name and byte offset: the same for every shard split), or a hash of the named fields (FIELD,FIELD,...).",
            OptionValueKind.Ids, typeof(IdGeneration), "random|natural|hash|position|FIELD,FIELD,...",
            text => IdGeneration.Parse(text), value => ((IdGeneration)value!).ToString(),
            o => o.IdGeneration, (o, v) => o with { IdGeneration = (IdGeneration)v! }),
        Text(nameof(TransmogOptions.IdField), "Id Field", [], "--id-field",
            "The id column of every table (and the record field holding a natural id).",
            o => o.IdField, (o, v) => o with { IdField = v! }),
        Text(nameof(TransmogOptions.ParentField), "Parent Field", [], "--parent-field",
            "The column of child rows holding their parent row's id.",
            o => o.ParentField, (o, v) => o with { ParentField = v! }),
        Text(nameof(TransmogOptions.TimeField), "Time Field", [], "--time-field",
            "The column holding the run's UTC timestamp; none leaves it out.",
            o => o.TimeField, (o, v) => o with { TimeField = v }, nullText: "none", negation: "--no-timestamp"),
        Switch(nameof(TransmogOptions.IncludeNulls), "Include Nulls", [], "--include-nulls",
            "Keep columns for null and empty values.",
            o => o.IncludeNulls, (o, v) => o with { IncludeNulls = v }),
        Switch(nameof(TransmogOptions.StringifyValues), "Stringify", [], "--stringify",
            "Every value as text (numbers as their exact source text).",
            o => o.StringifyValues, (o, v) => o with { StringifyValues = v }),
        Switch(nameof(TransmogOptions.InferDates), "Dates", ["Infer Dates"], "--dates",
            "Type string columns of ISO 8601 dates, date-times and date-times with offset as date, timestamp and timestamptz (the text is kept); false keeps them strings.",
            o => o.InferDates, (o, v) => o with { InferDates = v }, negation: "--no-dates"),
        Number(nameof(TransmogOptions.MaxDepth), "Max Depth", [], "--max-depth", 1, 10_000,
            "Nesting depth flattened into columns; deeper objects are kept as JSON text.",
            o => o.MaxDepth, (o, v) => o with { MaxDepth = v }),
        Text(nameof(TransmogOptions.Separator), "Separator", [], "--separator",
            "Joins the keys of a nested path into a column name.",
            o => o.Separator, (o, v) => o with { Separator = v! }),
        Number(nameof(TransmogOptions.BatchSize), "Batch Size", [], "--batch-size", 1, 10_000_000,
            "Rows handed on at a time between reading, flattening and writing (not the Parquet row group size: see --row-group-mb and --row-group-rows).",
            o => o.BatchSize, (o, v) => o with { BatchSize = v }),
        Number(nameof(TransmogOptions.CacheSize), "Cache Size", [], "--cache-size", 0, 100_000_000,
            "Entries of the path-to-column cache.",
            o => o.CacheSize, (o, v) => o with { CacheSize = v }),
        Choice(nameof(TransmogOptions.RecoveryMode), "Recovery Mode", ["On Error"], "--on-error",
            "strict: the first bad record stops the run; skip: bad records go to the rejects (_rejects.jsonl) and the run goes on.",
            o => o.RecoveryMode, (o, v) => o with { RecoveryMode = v }),
        Switch(nameof(TransmogOptions.LastWriteWins), "Last Write Wins", [], "--last-write-wins",
            "Two paths of one record giving one column name: the later value wins, as Python transmog does (otherwise an error).",
            o => o.LastWriteWins, (o, v) => o with { LastWriteWins = v }),
        Switch(nameof(TransmogOptions.IncludeArrayIndex), "Array Index", [], "--array-index",
            "Add _array_index (the item's 0-based position) to child rows.",
            o => o.IncludeArrayIndex, (o, v) => o with { IncludeArrayIndex = v }),
        Switch(nameof(TransmogOptions.IncludeRootId), "Root Id", [], "--root-id",
            "Add _root_id (the root record's id) to child rows.",
            o => o.IncludeRootId, (o, v) => o with { IncludeRootId = v }),
        Choice(nameof(TransmogOptions.RealNumbers), "Real Numbers", [], "--real-numbers",
            "The type of numbers with a fraction or exponent: double or decimal.",
            o => o.RealNumbers, (o, v) => o with { RealNumbers = v }, [TransmogColumnType.Double, TransmogColumnType.Decimal]),
        Choice(nameof(TransmogOptions.SchemaInference), "Schema Inference", [], "--schema-inference",
            "Where the schema comes from: auto (full-scan for files, window for streams), full-scan (an exact scan first), window (the first records).",
            o => o.SchemaInference, (o, v) => o with { SchemaInference = v }),
        Number(nameof(TransmogOptions.InferenceWindow), "Inference Window", [], "--inference-window", 1, 100_000_000,
            "Records the window inference holds in memory.",
            o => o.InferenceWindow, (o, v) => o with { InferenceWindow = v }),
        Choice(nameof(TransmogOptions.SchemaDrift), "Schema Drift", [], "--schema-drift",
            "A record that does not fit a fixed schema: strict (stop with an error naming table and column) or skip (reject it).",
            o => o.SchemaDrift, (o, v) => o with { SchemaDrift = v }),
        Number(nameof(TransmogOptions.MaxColumns), "Max Columns", [], "--max-columns", 1, 1_000_000,
            "The most columns one table may have.",
            o => o.MaxColumns, (o, v) => o with { MaxColumns = v }),
        Number(nameof(TransmogOptions.MaxTables), "Max Tables", [], "--max-tables", 1, 1_000_000,
            "The most tables one input may produce.",
            o => o.MaxTables, (o, v) => o with { MaxTables = v }),
        new(nameof(TransmogOptions.MaxInputBytes), "Max Input Bytes", [], "--max-input-bytes",
            "The most bytes the input may have once decompressed (a gzip-bomb guard).",
            OptionValueKind.Number, typeof(long?), "BYTES|none",
            text => ParseLong(text), value => ((long)value!).ToString(CultureInfo.InvariantCulture),
            o => o.MaxInputBytes, (o, v) => o with { MaxInputBytes = (long?)v })
        {
            Min = 1, Max = long.MaxValue, NullText = "none", NullMeaning = "no limit",
        },
        Text(nameof(TransmogOptions.RecordsPath), "Records Path", [], "--records-path",
            "Where the records are inside an envelope: statuses, data.items, plugins.* (an object map; member names in the key field), * (a root object map).",
            o => o.RecordsPath, (o, v) => o with { RecordsPath = v }, nullText: "none"),
        Text(nameof(TransmogOptions.KeyField), "Key Field", [], "--key-field",
            "The column holding the member name of records taken from an object map by the records path.",
            o => o.KeyField, (o, v) => o with { KeyField = v ?? TransmogOptions.Default.KeyField }),
        Text(nameof(TransmogOptions.SourceFileField), "Source File Field", ["Source Field"], "--source-field",
            "Add a main-table column of this name holding each record's file (relative to its directory or pattern; a file named on its own, single or among several: as given).",
            o => o.SourceFileField, (o, v) => o with { SourceFileField = v }, nullText: "none"),
        Switch(nameof(TransmogOptions.AllowComments), "Allow Comments", [], "--allow-comments",
            "Accept // and /* */ comments in the input (in JSON Lines a comment ends on its line; a line of comments only is skipped).",
            o => o.AllowComments, (o, v) => o with { AllowComments = v }),
        Switch(nameof(TransmogOptions.AllowTrailingCommas), "Allow Trailing Commas", [], "--allow-trailing-commas",
            "Accept a comma after the last member of an object or array.",
            o => o.AllowTrailingCommas, (o, v) => o with { AllowTrailingCommas = v }),
        new(nameof(TransmogOptions.MaxDegreeOfParallelism), "Max Degree Of Parallelism", ["Threads"], "--threads",
            "Threads flattening records at once (the output is the same); 0 = every core.",
            OptionValueKind.Number, typeof(int?), "1-1024|0",
            text => ParseInt(text), value => ((int)value!).ToString(CultureInfo.InvariantCulture),
            o => o.MaxDegreeOfParallelism, (o, v) => o with { MaxDegreeOfParallelism = (int?)v })
        {
            Min = 1, Max = 1024, NullText = "0", NullMeaning = "every core",
        },
    ];

    private static readonly Dictionary<string, OptionEntry> ByName = Index();

    /// <summary>The entry of a connection-string keyword or synonym (case-insensitive), or <c>null</c>.</summary>
    /// <param name="keyword">The keyword.</param>
    public static OptionEntry? Find(string keyword) => ByName.GetValueOrDefault(keyword.Trim());

    /// <summary>The entry of a <see cref="TransmogOptions"/> property.</summary>
    /// <param name="property">The property name.</param>
    public static OptionEntry ForProperty(string property)
    {
        foreach (OptionEntry entry in Entries)
        {
            if (entry.Property == property)
            {
                return entry;
            }
        }

        throw new ArgumentException($"No option entry for '{property}'.", nameof(property));
    }

    /// <summary>
    /// The option table as Markdown, as the README shows it: property, keyword and synonyms, CLI flag, values,
    /// default and description.
    /// </summary>
    public static string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| `TransmogOptions` | connection string: keyword, synonyms | CLI flags | values | default | what it does |\n");
        text.Append("|---|---|---|---|---|---|\n");
        foreach (OptionEntry entry in Entries)
        {
            var keywords = new StringBuilder("`" + entry.Keyword + "`");
            foreach (string synonym in entry.Synonyms)
            {
                keywords.Append(", `").Append(synonym).Append('`');
            }

            var flags = new StringBuilder("`" + entry.CliFlag + "`");
            foreach (string flag in (string[])[.. entry.CliAliases, .. entry.CliNegation is { } negation ? [negation] : Array.Empty<string>()])
            {
                flags.Append(", `").Append(flag).Append('`');
            }

            string values = "`" + (entry.Kind == OptionValueKind.Switch ? "true|false" : entry.Values).Replace("|", "\\|", StringComparison.Ordinal) + "`";
            string defaults = entry.Get(TransmogOptions.Default) is null ? entry.DefaultText(TransmogOptions.Default) : "`" + entry.DefaultText(TransmogOptions.Default) + "`";
            text.Append(CultureInfo.InvariantCulture, $"| `{entry.Property}` | {keywords} | {flags} | {values} | {defaults} | {entry.Description} |\n");
        }

        return text.ToString();
    }

    private static Dictionary<string, OptionEntry> Index()
    {
        var index = new Dictionary<string, OptionEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (OptionEntry entry in Entries)
        {
            foreach (string name in (IEnumerable<string>)[entry.Keyword, .. entry.Synonyms])
            {
                if (!index.TryAdd(name, entry))
                {
                    throw new InvalidOperationException($"The option keyword '{name}' is used twice.");
                }
            }
        }

        return index;
    }

    private static OptionEntry Text(string property, string keyword, string[] synonyms, string flag, string description,
        Func<TransmogOptions, string?> get, Func<TransmogOptions, string?, TransmogOptions> set, string? nullText = null, string? negation = null) =>
        new(property, keyword, synonyms, flag, description, OptionValueKind.Text, typeof(string), nullText is null ? "TEXT" : "TEXT|" + nullText,
            text => text.Length == 0 ? throw new ArgumentException("expected a non-empty text") : text, value => (string)value!,
            o => get(o), (o, v) => set(o, (string?)v))
        {
            NullText = nullText,
            CliNegation = negation,
        };

    private static OptionEntry Switch(string property, string keyword, string[] synonyms, string flag, string description,
        Func<TransmogOptions, bool> get, Func<TransmogOptions, bool, TransmogOptions> set, string? negation = null) =>
        new(property, keyword, synonyms, flag, description, OptionValueKind.Switch, typeof(bool), "true|false",
            text => ParseBool(text), value => (bool)value! ? "true" : "false",
            o => get(o), (o, v) => set(o, (bool)v!))
        {
            CliNegation = negation,
            NegatedValue = negation is null ? null : false,
        };

    private static OptionEntry Number(string property, string keyword, string[] synonyms, string flag, int min, int max, string description,
        Func<TransmogOptions, int> get, Func<TransmogOptions, int, TransmogOptions> set) =>
        new(property, keyword, synonyms, flag, description, OptionValueKind.Number, typeof(int), string.Create(CultureInfo.InvariantCulture, $"{min}-{max}"),
            text => ParseInt(text), value => ((int)value!).ToString(CultureInfo.InvariantCulture),
            o => get(o), (o, v) => set(o, (int)v!))
        {
            Min = min,
            Max = max,
        };

    /// <summary>A choice among the values of <typeparamref name="T"/>, or only <paramref name="allowed"/> when given
    /// (so help, completion and the error list only the values the option takes).</summary>
    private static OptionEntry Choice<T>(string property, string keyword, string[] synonyms, string flag, string description,
        Func<TransmogOptions, T> get, Func<TransmogOptions, T, TransmogOptions> set, T[]? allowed = null)
        where T : struct, Enum
    {
        T[] values = allowed ?? Enum.GetValues<T>();
        return new(property, keyword, synonyms, flag, description, OptionValueKind.Choice, typeof(T), string.Join("|", ChoiceNames(values)),
            text => ParseChoice(text, values), value => OptionEntry.Kebab(((T)value!).ToString()),
            o => get(o), (o, v) => set(o, (T)v!));
    }

    private static string[] ChoiceNames<T>(T[] values)
        where T : struct, Enum
    {
        string[] names = new string[values.Length];
        for (int i = 0; i < names.Length; i++)
        {
            names[i] = OptionEntry.Kebab(values[i].ToString());
        }

        return names;
    }

    private static object? ParseChoice<T>(string text, T[] values)
        where T : struct, Enum
    {
        string wanted = Squeeze(text);
        foreach (T value in values)
        {
            if (string.Equals(value.ToString(), wanted, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    private static string Squeeze(string text)
    {
        var squeezed = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is not (' ' or '-' or '_'))
            {
                squeezed.Append(c);
            }
        }

        return squeezed.ToString();
    }

    private static object? ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "true" or "yes" or "1" or "on" => true,
        "false" or "no" or "0" or "off" => false,
        _ => null,
    };

    private static object? ParseInt(string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : null;

    private static object? ParseLong(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;
}
