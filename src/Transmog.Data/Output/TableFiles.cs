using Transmog.Data.Feeds;
using Transmog.Data.Flattening;
using Transmog.Data.Pipeline;

namespace Transmog.Data.Output;

/// <summary>
/// Flattens an input straight into one file per non-empty table (the <see cref="TableUse.Files"/> plan), and
/// writes one table's reader as CSV or Parquet.
/// </summary>
internal static class TableFiles
{
    public static async Task<IReadOnlyList<string>> WriteAsync(
        JsonInput input, string outputDirectory, string name, TransmogOptions options,
        FormatOptions formatOptions, IProgress<FlattenProgress>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        using var pending = new PendingFiles();

        // A shard writes part files: DIR/<table>/part-K.ext and DIR/_rejects/part-K.jsonl.
        int? part = input is JsonInput.ShardInput shard ? shard.Index : null;
        var names = new TableFileNames(formatOptions, RejectsFile.FileName, RejectsFile.PartsFolder) { Part = part };
        string rejectsPath = part is null
            ? SafeFileName.Inside(outputDirectory, RejectsFile.FileName)
            : Path.Combine(SafeFileName.Inside(outputDirectory, RejectsFile.PartsFolder), names.PartFileName(".jsonl"));
        RejectsFile? rejects = null;
        string? rejectsTemporary = null;
        if (options.RecoveryMode == RecoveryMode.Skip || options.SchemaDrift == RecoveryMode.Skip)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(rejectsPath)!);
            PendingFiles.DeleteAbandoned(rejectsPath);
            rejectsTemporary = pending.Add(rejectsPath);
            rejects = new RejectsFile(rejectsTemporary);
        }

        try
        {
            // An exact scan keeps every table's rows in a spill file, so the input is parsed once; a stream
            // (inference window) is flattened after the window, its main table live and the others spilled.
            using FlattenRun run = FlattenRun.Open(input, name, options, TablePlan.Files(), new RejectSink(keep: false, rejects is null ? null : rejects.Write), progress, cancellationToken);
            IReadOnlyList<TableModel> tables = run.Tables;

            // Every table gets its file name first (in table order, so names are stable), then the files are written:
            // CSV in parallel, one table per thread (MaxDegreeOfParallelism), when the scan kept every table's rows;
            // otherwise in table order (the main table is live, pulling the pass forward; Parquet holds row groups in
            // memory, so one file at a time keeps the peak bounded, its row groups encoded on another thread).
            var work = new List<(TableModel Table, string Temporary, string Final)>();
            var stale = new List<string>();
            foreach (TableModel table in tables)
            {
                string path = Path.Combine(outputDirectory, names.For(table.Name));
                if (table.Public!.RowCount == 0)
                {
                    // A rerun of a shard replaces exactly its own parts: one from an earlier attempt goes too.
                    stale.Add(path);
                    continue;
                }

                // The temporary file of an earlier attempt that was killed goes (its name is this file's, hidden, with a suffix).
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                PendingFiles.DeleteAbandoned(path);

                work.Add((table, pending.Add(path), path));
            }

            async ValueTask WriteOneAsync((TableModel Table, string Temporary, string Final) item, CancellationToken token)
            {
                using TransmogDataReader reader = TransmogDataReader.Over(run, [item.Table], ownsRun: false);
                long rows;
                await using (var stream = new FileStream(item.Temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false))
                {
                    rows = await WriteTableAsync(reader, stream, formatOptions, options, token).ConfigureAwait(false);
                }

                if (rows == 0)
                {
                    pending.Drop(item.Temporary);
                    lock (stale)
                    {
                        stale.Add(item.Final);
                    }
                }

                progress?.Report(new FlattenProgress(FlattenPhase.Write, run.Records, 0, input.Length, run.Rejected));
            }

            if (run.RowsKept && formatOptions is CsvFormatOptions)
            {
                // Largest first: the last table to start is a small one, so the threads finish close together.
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.EffectiveParallelism, CancellationToken = cancellationToken };
                var largestFirst = work.OrderByDescending(item => run.FeedOf(item.Table) is StoreFeed store ? store.Store.Bytes : 0).ToList();
                await Parallel.ForEachAsync(largestFirst, parallel, WriteOneAsync).ConfigureAwait(false);
            }
            else
            {
                foreach (var item in work)
                {
                    await WriteOneAsync(item, cancellationToken).ConfigureAwait(false);
                }
            }

            if (!run.Ended)
            {
                run.RunToEnd();
            }

            if (rejects is { Count: 0 } && rejectsTemporary is not null)
            {
                rejects.Dispose();
                pending.Drop(rejectsTemporary);
            }

            // The rejects file describes this run: one left by an earlier run into the same place goes when this one has none.
            if (rejectsTemporary is null || rejects is { Count: 0 })
            {
                stale.Add(rejectsPath);
            }

            if (part is not null)
            {
                // A rerun of a shard replaces exactly its own parts: also those of tables this run has no rows for
                // or does not know at all (their records are gone from the input, or moved to another shard's share).
                var written = new HashSet<string>(work.Select(w => Path.GetFullPath(w.Final)), StringComparer.Ordinal);
                string partFileName = names.PartFileName(formatOptions is CsvFormatOptions ? ".csv" : ".parquet");
                foreach (string folder in Directory.EnumerateDirectories(outputDirectory))
                {
                    if (string.Equals(Path.GetFileName(folder), RejectsFile.PartsFolder, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    string earlier = Path.Combine(folder, partFileName);
                    if (!written.Contains(Path.GetFullPath(earlier)))
                    {
                        stale.Add(earlier);
                        PendingFiles.DeleteAbandoned(earlier);
                    }
                }
            }

            foreach (string path in stale)
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }

            IReadOnlyList<string> paths = pending.Commit();
            progress?.Report(new FlattenProgress(FlattenPhase.Done, run.Records, 0, input.Length, run.Rejected));
            return paths;
        }
        catch (IOException ex)
        {
            throw new TransmogException($"Writing to '{outputDirectory}' failed: {ex.Message}", ex);
        }
        finally
        {
            rejects?.Dispose();
        }
    }

    /// <summary>Writes one table's rows in the format; returns the rows written.</summary>
    public static Task<long> WriteTableAsync(TransmogDataReader reader, Stream stream, FormatOptions formatOptions, TransmogOptions options, CancellationToken cancellationToken) =>
        formatOptions switch
        {
            CsvFormatOptions csv => CsvTableWriter.WriteAsync(reader, stream, csv, null, cancellationToken),
            ParquetFormatOptions parquet => ParquetTableWriter.WriteAsync(reader, stream, parquet, parquet.RowGroupSize ?? int.MaxValue, null, cancellationToken, options.EffectiveParallelism),
            _ => throw new ArgumentException($"Unknown format options {formatOptions.GetType().Name}."),
        };
}
