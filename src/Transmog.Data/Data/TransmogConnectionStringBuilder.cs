using System.Data.Common;
using System.Globalization;

namespace Transmog.Data;

/// <summary>
/// Builds and checks connection strings of <see cref="TransmogConnection"/>: <c>Data Source</c> names the JSON input,
/// the other keywords are the flattening options. Unknown keywords are an error that lists the known ones.
/// </summary>
/// <example><c>Data Source=orders.jsonl;Name=orders;Id Generation=hash;Batch Size=5000</c></example>
public sealed class TransmogConnectionStringBuilder : DbConnectionStringBuilder
{
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["data source"] = "Data Source", ["datasource"] = "Data Source", ["file"] = "Data Source", ["path"] = "Data Source",
        ["name"] = "Name", ["entity"] = "Name",
        ["array mode"] = "Array Mode", ["arraymode"] = "Array Mode",
        ["id generation"] = "Id Generation", ["idgeneration"] = "Id Generation",
        ["id field"] = "Id Field", ["idfield"] = "Id Field",
        ["parent field"] = "Parent Field", ["parentfield"] = "Parent Field",
        ["time field"] = "Time Field", ["timefield"] = "Time Field",
        ["include nulls"] = "Include Nulls", ["includenulls"] = "Include Nulls",
        ["stringify"] = "Stringify", ["stringify values"] = "Stringify",
        ["max depth"] = "Max Depth", ["maxdepth"] = "Max Depth",
        ["batch size"] = "Batch Size", ["batchsize"] = "Batch Size",
        ["cache size"] = "Cache Size", ["cachesize"] = "Cache Size",
        ["separator"] = "Separator",
        ["recovery mode"] = "Recovery Mode", ["recoverymode"] = "Recovery Mode",
        ["schema inference"] = "Schema Inference", ["schemainference"] = "Schema Inference",
        ["inference window"] = "Inference Window", ["inferencewindow"] = "Inference Window",
        ["real numbers"] = "Real Numbers", ["realnumbers"] = "Real Numbers",
        ["array index"] = "Array Index", ["arrayindex"] = "Array Index",
        ["root id"] = "Root Id", ["rootid"] = "Root Id",
        ["max degree of parallelism"] = "Max Degree Of Parallelism", ["maxdegreeofparallelism"] = "Max Degree Of Parallelism", ["threads"] = "Max Degree Of Parallelism",
        ["preset"] = "Preset",
    };

    private static readonly string[] Keywords = [.. Synonyms.Values.Distinct()];

    /// <summary>Creates an empty builder.</summary>
    public TransmogConnectionStringBuilder()
    {
    }

    /// <summary>Creates a builder from a connection string.</summary>
    /// <param name="connectionString">The connection string.</param>
    public TransmogConnectionStringBuilder(string? connectionString)
    {
        ConnectionString = connectionString ?? string.Empty;
    }

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.AllowNull]
    public override object this[string keyword]
    {
        get => base[Canonical(keyword)];
        set => base[Canonical(keyword)] = value;
    }

    /// <inheritdoc />
    public override bool ContainsKey(string keyword) => Synonyms.TryGetValue(keyword, out string? canonical) && base.ContainsKey(canonical);

    /// <inheritdoc />
    public override bool Remove(string keyword) => base.Remove(Canonical(keyword));

    /// <inheritdoc />
    public override bool TryGetValue(string keyword, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object? value)
    {
        value = null;
        return Synonyms.TryGetValue(keyword, out string? canonical) && base.TryGetValue(canonical, out value);
    }

    /// <summary>The JSON, JSON Lines or gzip file.</summary>
    public string DataSource { get => Get("Data Source") ?? string.Empty; set => this["Data Source"] = value; }

    /// <summary>The entity name (main table name). Default <c>data</c>.</summary>
    public string Name { get => Get("Name") ?? "data"; set => this["Name"] = value; }

    /// <summary>A preset to start from: memory, performance, parquet, csv, simple, tolerant.</summary>
    public string? Preset { get => Get("Preset"); set => Set("Preset", value); }

    /// <summary>See <see cref="TransmogOptions.ArrayMode"/>.</summary>
    public ArrayMode ArrayMode { get => Enum<ArrayMode>("Array Mode") ?? ArrayMode.Smart; set => this["Array Mode"] = value.ToString(); }

    /// <summary>See <see cref="TransmogOptions.IdGeneration"/>: random, natural, hash, or field names separated by commas.</summary>
    public string IdGeneration { get => Get("Id Generation") ?? "random"; set => this["Id Generation"] = value; }

    /// <summary>See <see cref="TransmogOptions.IdField"/>.</summary>
    public string IdField { get => Get("Id Field") ?? "_id"; set => this["Id Field"] = value; }

    /// <summary>See <see cref="TransmogOptions.ParentField"/>.</summary>
    public string ParentField { get => Get("Parent Field") ?? "_parent_id"; set => this["Parent Field"] = value; }

    /// <summary>See <see cref="TransmogOptions.TimeField"/>; <c>none</c> disables the timestamp column.</summary>
    public string TimeField { get => Get("Time Field") ?? "_timestamp"; set => this["Time Field"] = value; }

    /// <summary>See <see cref="TransmogOptions.IncludeNulls"/>.</summary>
    public bool IncludeNulls { get => Bool("Include Nulls") ?? false; set => this["Include Nulls"] = value; }

    /// <summary>See <see cref="TransmogOptions.StringifyValues"/>.</summary>
    public bool Stringify { get => Bool("Stringify") ?? false; set => this["Stringify"] = value; }

    /// <summary>See <see cref="TransmogOptions.MaxDepth"/>.</summary>
    public int MaxDepth { get => Int("Max Depth") ?? 100; set => this["Max Depth"] = value; }

    /// <summary>See <see cref="TransmogOptions.BatchSize"/>.</summary>
    public int BatchSize { get => Int("Batch Size") ?? 1000; set => this["Batch Size"] = value; }

    /// <summary>See <see cref="TransmogOptions.MaxDegreeOfParallelism"/>; 0 when not set (every core).</summary>
    public int MaxDegreeOfParallelism { get => Int("Max Degree Of Parallelism") ?? 0; set => this["Max Degree Of Parallelism"] = value; }

    /// <summary>See <see cref="TransmogOptions.SchemaInference"/>.</summary>
    public SchemaInference SchemaInference { get => Enum<SchemaInference>("Schema Inference") ?? SchemaInference.Auto; set => this["Schema Inference"] = value.ToString(); }

    /// <summary>See <see cref="TransmogOptions.RecoveryMode"/>.</summary>
    public RecoveryMode RecoveryMode { get => Enum<RecoveryMode>("Recovery Mode") ?? RecoveryMode.Strict; set => this["Recovery Mode"] = value.ToString(); }

    /// <summary>The flattening options the connection string describes.</summary>
    /// <exception cref="ArgumentException">A value is invalid.</exception>
    public TransmogOptions ToOptions()
    {
        TransmogOptions options = Get("Preset") is { } preset ? TransmogOptions.FromPreset(preset) : new TransmogOptions();
        if (Get("Array Mode") is not null)
        {
            options = options with { ArrayMode = ArrayMode };
        }

        if (Get("Id Generation") is { } ids)
        {
            options = options with { IdGeneration = Data.IdGeneration.Parse(ids) };
        }

        if (Get("Id Field") is not null)
        {
            options = options with { IdField = IdField };
        }

        if (Get("Parent Field") is not null)
        {
            options = options with { ParentField = ParentField };
        }

        if (Get("Time Field") is { } time)
        {
            options = options with { TimeField = time.Length == 0 || time.Equals("none", StringComparison.OrdinalIgnoreCase) ? null : time };
        }

        if (Get("Include Nulls") is not null)
        {
            options = options with { IncludeNulls = IncludeNulls };
        }

        if (Get("Stringify") is not null)
        {
            options = options with { StringifyValues = Stringify };
        }

        if (Get("Max Depth") is not null)
        {
            options = options with { MaxDepth = MaxDepth };
        }

        if (Get("Batch Size") is not null)
        {
            options = options with { BatchSize = BatchSize };
        }

        if (Int("Cache Size") is { } cache)
        {
            options = options with { CacheSize = cache };
        }

        if (Get("Separator") is { } separator)
        {
            options = options with { Separator = separator };
        }

        if (Get("Recovery Mode") is not null)
        {
            options = options with { RecoveryMode = RecoveryMode };
        }

        if (Get("Schema Inference") is not null)
        {
            options = options with { SchemaInference = SchemaInference };
        }

        if (Int("Inference Window") is { } window)
        {
            options = options with { InferenceWindow = window };
        }

        if (Enum<TransmogColumnType>("Real Numbers") is { } reals)
        {
            options = options with { RealNumbers = reals };
        }

        if (Bool("Array Index") is { } index)
        {
            options = options with { IncludeArrayIndex = index };
        }

        if (Bool("Root Id") is { } root)
        {
            options = options with { IncludeRootId = root };
        }

        if (Int("Max Degree Of Parallelism") is { } threads and not 0)
        {
            options = options with { MaxDegreeOfParallelism = threads };
        }

        return options.Validate();
    }

    private static string Canonical(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        return Synonyms.TryGetValue(keyword.Trim(), out string? canonical)
            ? canonical
            : throw new ArgumentException($"Unknown connection string keyword '{keyword}'. Known keywords: {string.Join(", ", Keywords)}.");
    }

    private string? Get(string keyword) => base.TryGetValue(keyword, out object? value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private void Set(string keyword, string? value)
    {
        if (value is null)
        {
            base.Remove(keyword);
        }
        else
        {
            this[keyword] = value;
        }
    }

    private bool? Bool(string keyword) => Get(keyword) is { } text
        ? text.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "1" or "on" => true,
            "false" or "no" or "0" or "off" => false,
            _ => throw new ArgumentException($"Connection string keyword '{keyword}' needs true or false, not '{text}'."),
        }
        : null;

    private int? Int(string keyword) => Get(keyword) is { } text
        ? int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"Connection string keyword '{keyword}' needs a whole number, not '{text}'.")
        : null;

    private T? Enum<T>(string keyword)
        where T : struct, Enum => Get(keyword) is { } text
        ? System.Enum.TryParse(text.Replace(" ", string.Empty, StringComparison.Ordinal), ignoreCase: true, out T value) && System.Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"Connection string keyword '{keyword}' must be one of {string.Join(", ", System.Enum.GetNames<T>())}, not '{text}'.")
        : null;
}
