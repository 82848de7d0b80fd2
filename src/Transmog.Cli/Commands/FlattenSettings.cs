using System.CommandLine;
using Transmog.Data;

namespace Transmog.Cli.Commands;

/// <summary>The flattening options shared by the commands, and their translation into <see cref="TransmogOptions"/>.</summary>
internal sealed class FlattenSettings
{
    public Argument<string[]> Input { get; } = new("input")
    {
        Description = "JSON, JSON Lines or value-stream files (plain, gzip, zstd, .br), directories (their *.json, *.jsonl, *.ndjson files, recursively), "
            + "quoted glob patterns ('logs/*.jsonl.gz'), or - for stdin. Several are read in the order given as one input.",
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<string?> RecordsPath { get; } = new("--records-path") { Description = "Where the records are inside an envelope: statuses, data.items, plugins.* (object map; member names in --key-field), * (root object map)." };

    public Option<string?> KeyField { get; } = new("--key-field") { Description = "The column holding the member name of records taken from an object map by --records-path. Default _key." };

    public Option<string?> SourceField { get; } = new("--source-field") { Description = "Add a main-table column of this name holding each record's file (relative to its directory or pattern)." };

    public Option<string> Name { get; } = new("--name", "-n") { Description = "Entity name: the main table's name.", DefaultValueFactory = _ => "data" };

    public Option<string?> Preset { get; } = new("--preset") { Description = "Start from a preset: memory, performance, parquet, csv, simple, tolerant." };

    public Option<string?> ArrayMode { get; } = new("--array-mode") { Description = "smart (default), separate, inline or skip." };

    public Option<string?> IdGeneration { get; } = new("--id-generation") { Description = "random (default), natural, hash, or FIELD,FIELD,... for a composite key." };

    public Option<string?> IdField { get; } = new("--id-field") { Description = "The id column (and the natural id field). Default _id." };

    public Option<string?> ParentField { get; } = new("--parent-field") { Description = "The parent id column. Default _parent_id." };

    public Option<string?> TimeField { get; } = new("--time-field") { Description = "The timestamp column. Default _timestamp." };

    public Option<bool> NoTimestamp { get; } = new("--no-timestamp") { Description = "Leave the timestamp column out." };

    public Option<bool> IncludeNulls { get; } = new("--include-nulls") { Description = "Keep columns of null and empty values." };

    public Option<bool> Stringify { get; } = new("--stringify") { Description = "Every value as text (numbers exact)." };

    public Option<int?> MaxDepth { get; } = new("--max-depth") { Description = "Nesting depth kept as columns; deeper data is kept as JSON text. Default 100." };

    public Option<int?> BatchSize { get; } = new("--batch-size") { Description = "Rows handed on at a time (Parquet row groups are sized by --row-group-mb)." };

    public Option<string?> OnError { get; } = new("--on-error") { Description = "strict (default): stop at the first bad record; skip: write bad records to _rejects.jsonl and go on." };

    public Option<string?> Separator { get; } = new("--separator") { Description = "Joins nested keys into column names. Default _." };

    public Option<bool> ArrayIndex { get; } = new("--array-index") { Description = "Add _array_index to child rows." };

    public Option<bool> RootId { get; } = new("--root-id") { Description = "Add _root_id to child rows." };

    public Option<int?> Threads { get; } = new("--threads") { Description = "Threads flattening records at once (output is the same). Default: every core." };

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
        foreach (Option option in (Option[])[Name, Preset, ArrayMode, IdGeneration, IdField, ParentField, TimeField, NoTimestamp, IncludeNulls, Stringify, MaxDepth, BatchSize, OnError, Separator, ArrayIndex, RootId, Threads, RecordsPath, KeyField, SourceField])
        {
            command.Options.Add(option);
        }
    }

    public TransmogOptions ToOptions(ParseResult parsed, TransmogOptions? fallbackPreset = null)
    {
        TransmogOptions options = parsed.GetValue(Preset) is { } preset ? TransmogOptions.FromPreset(preset) : fallbackPreset ?? TransmogOptions.Default;
        if (parsed.GetValue(ArrayMode) is { } mode)
        {
            options = options with { ArrayMode = ParseEnum<Data.ArrayMode>("--array-mode", mode) };
        }

        if (parsed.GetValue(IdGeneration) is { } ids)
        {
            options = options with { IdGeneration = Data.IdGeneration.Parse(ids) };
        }

        if (parsed.GetValue(IdField) is { } idField)
        {
            options = options with { IdField = idField };
        }

        if (parsed.GetValue(ParentField) is { } parentField)
        {
            options = options with { ParentField = parentField };
        }

        if (parsed.GetValue(TimeField) is { } timeField)
        {
            options = options with { TimeField = timeField };
        }

        if (parsed.GetValue(NoTimestamp))
        {
            options = options with { TimeField = null };
        }

        if (parsed.GetValue(IncludeNulls))
        {
            options = options with { IncludeNulls = true };
        }

        if (parsed.GetValue(Stringify))
        {
            options = options with { StringifyValues = true };
        }

        if (parsed.GetValue(MaxDepth) is { } depth)
        {
            options = options with { MaxDepth = depth };
        }

        if (parsed.GetValue(BatchSize) is { } batch)
        {
            options = options with { BatchSize = batch };
        }

        if (parsed.GetValue(OnError) is { } onError)
        {
            options = options with
            {
                RecoveryMode = onError.ToLowerInvariant() switch
                {
                    "strict" => RecoveryMode.Strict,
                    "skip" => RecoveryMode.Skip,
                    _ => throw new ArgumentException($"--on-error must be strict or skip, not '{onError}'."),
                },
            };
        }

        if (parsed.GetValue(Separator) is { } separator)
        {
            options = options with { Separator = separator };
        }

        if (parsed.GetValue(ArrayIndex))
        {
            options = options with { IncludeArrayIndex = true };
        }

        if (parsed.GetValue(RootId))
        {
            options = options with { IncludeRootId = true };
        }

        if (parsed.GetValue(Threads) is { } threads)
        {
            options = options with { MaxDegreeOfParallelism = threads };
        }

        if (parsed.GetValue(RecordsPath) is { } recordsPath)
        {
            options = options with { RecordsPath = recordsPath };
        }

        if (parsed.GetValue(KeyField) is { } keyField)
        {
            options = options with { KeyField = keyField };
        }

        if (parsed.GetValue(SourceField) is { } sourceField)
        {
            options = options with { SourceFileField = sourceField };
        }

        return options.Validate();
    }

    internal static T ParseEnum<T>(string option, string text)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out T value) && Enum.IsDefined(value)
            ? value
            : throw new ArgumentException($"{option} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'.");

    /// <summary>What <c>-</c> reads: the process's stdin unless a test gives another stream.</summary>
    internal static readonly AsyncLocal<Stream?> StandardInput = new();

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
