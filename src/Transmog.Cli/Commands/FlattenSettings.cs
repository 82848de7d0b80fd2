using System.CommandLine;
using Transmog.Data;

namespace Transmog.Cli.Commands;

/// <summary>
/// The flattening options shared by the commands, and their translation into <see cref="TransmogOptions"/>: one flag per
/// <see cref="OptionTable"/> entry, named, described and parsed by the table.
/// </summary>
internal sealed class FlattenSettings
{
    private readonly TransmogOptions _defaults;

    private readonly List<(OptionEntry Entry, Option Option, Option<bool>? Negation)> _flattening = [];

    public Argument<string[]> Input { get; } = new("input")
    {
        Description = "JSON, JSON Lines or value-stream files (plain, gzip, zstd, .br), directories (their *.json, *.jsonl, *.ndjson files, recursively), "
            + "quoted glob patterns ('logs/*.jsonl.gz'), or - for stdin. Several are read in the order given as one input.",
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<string> Name { get; } = new("--name", "-n") { Description = "Entity name: the main table's name.", DefaultValueFactory = _ => "data" };

    public Option<string?> Preset { get; } = new("--preset") { Description = "Start from a preset: memory, performance, parquet, csv, simple, tolerant." };

    public Option<string?> Shard { get; } = new("--shard")
    {
        Description = "Read only task K's share of the input when N tasks each run this command (K from 0): JSON Lines files are split at lines, "
            + "other files go whole to one task. Example: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT.",
        HelpName = "K/N",
    };

    public Option<string?> SchemaFile { get; } = new("--schema")
    {
        Description = "A schema file (transmog schema --save, or --merge of the shards' files): its tables, columns and types, found by their arrays even if renamed; "
            + "data outside it follows --schema-drift. Its entity is the default --name.",
        HelpName = "FILE",
    };

    /// <summary>Creates the options of every <see cref="OptionTable"/> entry, their help text showing <paramref name="defaults"/>.</summary>
    /// <param name="defaults">The options the command starts from when no preset is given (default <see cref="TransmogOptions.Default"/>).</param>
    public FlattenSettings(TransmogOptions? defaults = null)
    {
        _defaults = defaults ?? TransmogOptions.Default;
        foreach (OptionEntry entry in OptionTable.Entries)
        {
            string description = $"{entry.Description} Default: {entry.DefaultText(_defaults)}.";
            Option option = entry.Kind == OptionValueKind.Switch
                ? new Option<bool>(entry.CliFlag, [.. entry.CliAliases]) { Description = description }
                : new Option<string?>(entry.CliFlag, [.. entry.CliAliases]) { Description = description, HelpName = entry.Values };
            Option<bool>? negation = entry.CliNegation is { } flag
                ? new Option<bool>(flag) { Description = $"The same as {entry.CliFlag} {(entry.NegatedValue is null ? entry.NullText : entry.Format(entry.NegatedValue))}." }
                : null;
            _flattening.Add((entry, option, negation));
        }
    }

    public void AddTo(Command command)
    {
        // Several inputs are allowed, so an unknown option would be taken for one: say it is not an option.
        Input.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.StartsWith("--", StringComparison.Ordinal))
                {
                    result.AddError($"Unrecognized option '{token.Value}'.");
                }
            }
        });
        command.Arguments.Add(Input);
        command.Options.Add(Name);
        command.Options.Add(Preset);
        command.Options.Add(Shard);
        command.Options.Add(SchemaFile);
        foreach ((_, Option option, Option<bool>? negation) in _flattening)
        {
            command.Options.Add(option);
            if (negation is not null)
            {
                command.Options.Add(negation);
            }
        }
    }

    /// <summary>
    /// The options the command line gives: the preset (or <paramref name="fallbackPreset"/>, or the defaults given to the
    /// constructor) with every flag given applied, parsed by its <see cref="OptionTable"/> entry.
    /// </summary>
    /// <exception cref="ArgumentException">A value is invalid (the message names the flag and the value).</exception>
    public TransmogOptions ToOptions(ParseResult parsed, TransmogOptions? fallbackPreset = null)
    {
        TransmogOptions options = parsed.GetValue(Preset) is { } preset ? TransmogOptions.FromPreset(preset) : fallbackPreset ?? _defaults;
        foreach ((OptionEntry entry, Option option, Option<bool>? negation) in _flattening)
        {
            if (negation is not null && parsed.GetValue(negation))
            {
                options = entry.Set(options, entry.NegatedValue);
                continue;
            }

            if (parsed.GetResult(option) is not { Implicit: false })
            {
                continue;
            }

            object? value = option is Option<bool> flag
                ? parsed.GetValue(flag)
                : entry.Parse(parsed.GetValue((Option<string?>)option) ?? string.Empty, entry.CliFlag);
            options = entry.Set(options, value);
        }

        if (parsed.GetValue(SchemaFile) is { } schemaFile)
        {
            options = options with { Schema = TransmogSchema.Load(schemaFile) };
        }

        return options.Validate();
    }

    /// <summary>The entity name: <c>--name</c>, or else the main table of the <c>--schema</c> file, or else <c>data</c>.</summary>
    public string EntityName(ParseResult parsed, TransmogOptions options) =>
        parsed.GetResult(Name) is { Implicit: false } || options.Schema is null
            ? parsed.GetValue(Name)!
            : options.Schema.Tables[0].Name;

    internal static T ParseEnum<T>(string option, string text)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out T value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"{option} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'.");

    /// <summary>What <c>-</c> reads: the process's stdin unless a test gives another stream.</summary>
    internal static readonly AsyncLocal<Stream?> StandardInput = new();

    /// <summary>The input named on the command line (<see cref="OpenInput(string[])"/>), narrowed to this task's share under <c>--shard K/N</c>.</summary>
    /// <exception cref="ArgumentException">The shard is not <c>K/N</c> with 0 &lt;= K &lt; N, or the input is stdin.</exception>
    public JsonInput OpenInput(ParseResult parsed)
    {
        JsonInput input = OpenInput(parsed.GetValue(Input)!);
        if (parsed.GetValue(Shard) is not { } shard)
        {
            return input;
        }

        (int index, int count) = ParseShard(shard);
        return input.Shard(index, count);
    }

    /// <summary>Parses <c>K/N</c>.</summary>
    /// <exception cref="ArgumentException">It is not two integers with 0 &lt;= K &lt; N.</exception>
    internal static (int Index, int Count) ParseShard(string text)
    {
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int count)
            && count > 0 && index < count)
        {
            return (index, count);
        }

        throw new ArgumentException($"--shard must be K/N with 0 <= K < N (K counts from 0, as $SLURM_ARRAY_TASK_ID does), not '{text}'.");
    }

    /// <summary>
    /// The input named on the command line: <c>-</c> is stdin (read once; the schema comes from the first records);
    /// one file is that file; anything else (several paths, a directory, a glob) is <see cref="JsonInput.FromFiles"/>.
    /// </summary>
    public static JsonInput OpenInput(string[] paths)
    {
        if (paths.Length == 1 && paths[0] == "-")
        {
            return JsonInput.FromStream(StandardInput.Value ?? Console.OpenStandardInput(), leaveOpen: StandardInput.Value is not null);
        }

        if (Array.IndexOf(paths, "-") >= 0)
        {
            throw new ArgumentException("'-' (stdin) cannot be combined with other inputs.");
        }

        return paths.Length == 1 && File.Exists(paths[0]) ? JsonInput.FromFile(paths[0]) : JsonInput.FromFiles(paths);
    }
}
