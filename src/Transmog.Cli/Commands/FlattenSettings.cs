using System.CommandLine;
using Transmog.Data;

namespace Transmog.Cli.Commands;

/// <summary>The flattening options shared by the commands, and their translation into <see cref="TransmogOptions"/>.</summary>
internal sealed class FlattenSettings
{
    public Argument<string> Input { get; } = new("input") { Description = "The JSON, JSON Lines or gzip file." };

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
        command.Arguments.Add(Input);
        foreach (Option option in (Option[])[Name, Preset, ArrayMode, IdGeneration, IdField, ParentField, TimeField, NoTimestamp, IncludeNulls, Stringify, MaxDepth, BatchSize, OnError, Separator, ArrayIndex, RootId, Threads])
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
                    _ => throw new TransmogConfigurationException($"--on-error must be strict or skip, not '{onError}'."),
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

        return options.Validate();
    }

    internal static T ParseEnum<T>(string option, string text)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out T value) && Enum.IsDefined(value)
            ? value
            : throw new TransmogConfigurationException($"{option} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{text}'.");

    public static JsonInput OpenInput(string path)
    {
        if (!File.Exists(path))
        {
            throw new TransmogConfigurationException($"The input file '{path}' does not exist.");
        }

        return JsonInput.FromFile(path);
    }
}
