using Transmog.Data.Input;

namespace Transmog.Data;

public abstract partial class JsonInput
{
    /// <summary>
    /// Several files read one after another as one input: one schema, one set of tables. Each argument is a file, a
    /// directory (its data files, recursively), or a glob pattern (<c>logs/*.jsonl.gz</c>, <c>data/**/*.json</c>).
    /// </summary>
    /// <remarks>
    /// <para>Order: the arguments in the order given; within a directory or a pattern, files sorted by their path
    /// relative to it, ordinal (byte) order. A file named twice is read once, at its first place.</para>
    /// <para>Data files in a directory: names ending in <c>.json</c>, <c>.jsonl</c>, <c>.ndjson</c> or <c>.jsonc</c>,
    /// each optionally followed by <c>.gz</c>, <c>.zst</c> or <c>.br</c>; names starting with <c>.</c> (files and
    /// folders) are skipped. A file named explicitly or matched by a pattern is read whatever its name.</para>
    /// <para>Each file's compression, encoding and layout are recognised on their own. Positions in errors and rejects
    /// name the file (<see cref="SourcePosition.File"/>: its path relative to its directory or pattern root; a file
    /// named explicitly: as given); <see cref="TransmogOptions.SourceFileField"/> adds that path as a column of the
    /// main table. Record numbers go on from file to file.</para>
    /// </remarks>
    /// <param name="paths">Files, directories and glob patterns.</param>
    /// <exception cref="ArgumentException">A path that does not exist, or a pattern or directory that matches no data file.</exception>
    public static JsonInput FromFiles(params IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return new FilesInput(InputFiles.Expand(paths));
    }

    internal sealed class FilesInput(IReadOnlyList<InputFile> files) : JsonInput
    {
        public IReadOnlyList<InputFile> Files { get; } = files;

        public override string Description => Files.Count == 1 ? Files[0].Name : $"{Files.Count} files";

        public override bool CanReopen => true;

        public override long? Length
        {
            get
            {
                long total = 0;
                foreach (InputFile file in Files)
                {
                    total += File.Exists(file.Path) ? new FileInfo(file.Path).Length : 0;
                }

                return total;
            }
        }

        /// <summary>Not used: each file is opened on its own (<see cref="RecordParser"/>).</summary>
        internal override Stream OpenBytes() => throw new NotSupportedException("Several files are opened one by one.");
    }
}
