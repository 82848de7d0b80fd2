using Transmog.Data.Input;

namespace Transmog.Data;

public abstract partial class JsonInput
{
    /// <summary>
    /// Task <paramref name="index"/>'s share of this input when <paramref name="count"/> tasks (a Slurm job array,
    /// a Kubernetes Indexed Job, Spark partitions) each flatten a part: every record of the input is read by exactly one
    /// task, and every task computes the same plan alone from the file list and the files' sizes.
    /// </summary>
    /// <remarks>
    /// <para>The files, in the input's order, are laid end to end and their total size cut into <paramref name="count"/>
    /// even byte ranges. An uncompressed JSON Lines file (named <c>.jsonl</c>/<c>.ndjson</c>, or any file when
    /// <see cref="Format"/> is <see cref="InputFormat.JsonLines"/>) is split at line starts: each range reads the lines
    /// that start inside it, finishing the one that straddles its end. Any other file (compressed, a document, an
    /// array, a value stream, UTF-16/32, or any file under <see cref="TransmogOptions.RecordsPath"/>) goes whole to the
    /// range that holds its first byte. A task whose range holds no record has an empty share.</para>
    /// <para>Positions keep the file's own lines and byte offsets; record numbers count within the share. For the same
    /// rows in every task whatever the split, use deterministic ids (<see cref="IdGeneration.Position"/>,
    /// <see cref="IdGeneration.Hash"/>, <see cref="IdGeneration.Fields"/>, <see cref="IdGeneration.Natural"/>) and one
    /// schema for all tasks (<see cref="TransmogOptions.Schema"/>, merged from the tasks' own schemas).</para>
    /// </remarks>
    /// <param name="index">The task's 0-based index (<c>$SLURM_ARRAY_TASK_ID</c>, <c>$JOB_COMPLETION_INDEX</c>).</param>
    /// <param name="count">The number of tasks.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive, or <paramref name="index"/> is not in [0, count).</exception>
    /// <exception cref="ArgumentException">The input is not files (a stream, text or records cannot be shared out).</exception>
    public JsonInput Shard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        IReadOnlyList<InputFile> files = this switch
        {
            FileInput file => [new InputFile(file.Path, file.Path)],
            FilesInput several => several.Files,
            ShardInput => throw new ArgumentException("The input is a shard already."),
            _ => throw new ArgumentException($"Only files can be shared out among tasks, not a {Description} input: every task must see the same files."),
        };
        return new ShardInput(files, index, count) { Format = Format };
    }

    /// <summary>One task's share of several files (<see cref="Shard"/>); the plan is made when a pass opens it.</summary>
    internal sealed class ShardInput(IReadOnlyList<InputFile> files, int index, int count) : JsonInput
    {
        private (RecordsPathKey Key, IReadOnlyList<InputFile> Files)? _plan;

        public IReadOnlyList<InputFile> AllFiles { get; } = files;

        public int Index { get; } = index;

        public int Count { get; } = count;

        public override string Description => $"shard {Index}/{Count} of {(AllFiles.Count == 1 ? AllFiles[0].Name : AllFiles.Count + " files")}";

        public override bool CanReopen => true;

        public override long? Length
        {
            get
            {
                long total = 0;
                foreach (InputFile file in Plan(TransmogOptions.Default))
                {
                    total += file.Range is { } range ? range.End - range.Start : File.Exists(file.Path) ? new FileInfo(file.Path).Length : 0;
                }

                return total;
            }
        }

        /// <summary>This task's files and parts of files (the same for every pass of a run).</summary>
        public IReadOnlyList<InputFile> Plan(TransmogOptions options)
        {
            var key = new RecordsPathKey(options.RecordsPath is not null);
            if (_plan is { } plan && plan.Key == key)
            {
                return plan.Files;
            }

            IReadOnlyList<InputFile> files = ShardPlan.For(AllFiles, Index, Count, Format, options);
            _plan = (key, files);
            return files;
        }

        /// <summary>Not used: each file is opened on its own (<see cref="RecordParser"/>).</summary>
        internal override Stream OpenBytes() => throw new NotSupportedException("A shard's files are opened one by one.");

        /// <summary>What the plan depends on besides the files: whether records are taken from an envelope.</summary>
        private readonly record struct RecordsPathKey(bool HasRecordsPath);
    }
}
