using Transmog.Data.Feeds;
using Transmog.Data.Flattening;
using Transmog.Data.Output;

namespace Transmog.Data;

/// <summary>
/// The entry points, after Python transmog's <c>flatten()</c> and <c>flatten_stream()</c>: flatten nested JSON into
/// a main table and one child table per nested array of objects, linked by <c>_id</c> / <c>_parent_id</c>.
/// </summary>
public static class JsonFlattener
{
    /// <summary>
    /// Flattens a small input into tables held in memory, like Python's <c>flatten()</c>. For large inputs use
    /// <see cref="FlattenStreamAsync"/> or <see cref="OpenReader"/>, whose memory does not grow with the input.
    /// </summary>
    /// <param name="input">The JSON.</param>
    /// <param name="name">The entity name: the main table's name and the start of every child table's name.</param>
    /// <param name="options">The flattening options; <see cref="TransmogOptions.Default"/> when <c>null</c>.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    /// <exception cref="TransmogException">The input or the options are invalid.</exception>
    public static FlattenResult Flatten(JsonInput input, string name = "data", TransmogOptions? options = null, CancellationToken cancellationToken = default)
    {
        var rejects = new List<RejectedRecord>();
        FlattenRun run = FlattenRun.Start(input, name, options, null, cancellationToken, _ => new StoreFeed(RowStore.InMemory()), rejects.Add);
        try
        {
            if (!run.RowsKept)
            {
                run.BeginData([.. run.Tables.Select(_ => new StoreFeed(RowStore.InMemory()))], rejects.Add);
                run.RunToEnd();
            }

            return new FlattenResult(run, rejects);
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Flattens an input of any size straight into one file per non-empty table, like Python's
    /// <c>flatten_stream()</c>. Memory is bounded by the batch size, not the input size. Files appear under their
    /// final names (<c>&lt;table&gt;.csv</c> or <c>.parquet</c>) only when all are complete; rejected records
    /// (under <see cref="RecoveryMode.Skip"/>) go to <c>_rejects.jsonl</c>.
    /// </summary>
    /// <param name="input">The JSON.</param>
    /// <param name="outputDirectory">Where the files go (created if missing).</param>
    /// <param name="name">The entity name.</param>
    /// <param name="format">CSV or Parquet.</param>
    /// <param name="options">The flattening options; <see cref="TransmogOptions.ForMemory"/> when <c>null</c>, as in Python.</param>
    /// <param name="formatOptions">CSV or Parquet settings matching <paramref name="format"/>; defaults when <c>null</c>.</param>
    /// <param name="progress">Receives progress every few thousand records.</param>
    /// <param name="cancellationToken">Stops the run; no file is left looking complete.</param>
    /// <returns>The paths written, tables first (main first), then the rejects file if any.</returns>
    public static Task<IReadOnlyList<string>> FlattenStreamAsync(
        JsonInput input,
        string outputDirectory,
        string name = "data",
        OutputFormat format = OutputFormat.Csv,
        TransmogOptions? options = null,
        FormatOptions? formatOptions = null,
        IProgress<FlattenProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        FormatOptions checkedOptions = TableFileNames.Check(format, formatOptions);
        options ??= TransmogOptions.ForMemory();

        // Parsing is synchronous CPU work over buffered reads: run it off the caller's thread.
        return Task.Run(() => WriteFilesAsync(input, outputDirectory, name, format, options, checkedOptions, progress, cancellationToken), cancellationToken);
    }

    private static async Task<IReadOnlyList<string>> WriteFilesAsync(
        JsonInput input, string outputDirectory, string name, OutputFormat format, TransmogOptions options,
        FormatOptions formatOptions, IProgress<FlattenProgress>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(outputDirectory);
        using var pending = new PendingFiles();
        RejectsFile? rejects = null;
        string? rejectsTemporary = null;
        if (options.RecoveryMode == RecoveryMode.Skip || options.SchemaDrift == SchemaDriftPolicy.Reject)
        {
            rejectsTemporary = pending.Add(SafeFileName.Inside(outputDirectory, RejectsFile.FileName));
            rejects = new RejectsFile(rejectsTemporary);
        }

        try
        {
            // An exact scan keeps every table's rows in a spill file, so the input is parsed once; a stream
            // (inference window) is flattened after the window, its main table live and the others spilled.
            using FlattenRun run = FlattenRun.Start(input, name, options, progress, cancellationToken, _ => new StoreFeed(RowStore.SpillFile(null)), rejects is null ? null : rejects.Write);
            IReadOnlyList<TableModel> tables = run.Tables;
            if (!run.RowsKept)
            {
                run.BeginData([.. tables.Select(t => t.Index == 0 ? new LiveFeed() : (TableFeed)new StoreFeed(RowStore.SpillFile(null)))], rejects is null ? null : rejects.Write);
            }

            // Every table gets its file name first (in table order, so names are stable), then the files are written:
            // CSV in parallel, one table per thread (MaxDegreeOfParallelism), when the scan kept every table's rows;
            // otherwise in table order (the main table is live, pulling the pass forward; Parquet holds row groups in
            // memory, so one file at a time keeps the peak bounded, its row groups encoded on another thread).
            var names = new TableFileNames(format, RejectsFile.FileName);
            var work = new List<(TableModel Table, string Temporary)>();
            foreach (TableModel table in tables)
            {
                if (table.Public!.RowCount == 0)
                {
                    continue;
                }

                work.Add((table, pending.Add(SafeFileName.Inside(outputDirectory, names.For(table.Name)))));
            }

            async ValueTask WriteOneAsync((TableModel Table, string Temporary) item, CancellationToken token)
            {
                using var reader = new TransmogDataReader([ReaderTableOf(run, item.Table)], run.Timestamp, null, options.BatchSize);
                long rows;
                await using (var stream = new FileStream(item.Temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: false))
                {
                    rows = await WriteTableAsync(reader, stream, format, formatOptions, options, token).ConfigureAwait(false);
                }

                if (rows == 0)
                {
                    pending.Drop(item.Temporary);
                }

                progress?.Report(new FlattenProgress("write", run.Records, 0, input.Length, run.Rejected));
            }

            if (run.RowsKept && format == OutputFormat.Csv)
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

            IReadOnlyList<string> paths = pending.Commit();
            progress?.Report(new FlattenProgress("done", run.Records, 0, input.Length, run.Rejected));
            return paths;
        }
        catch (IOException ex)
        {
            throw new TransmogOutputException($"Writing to '{outputDirectory}' failed: {ex.Message}", ex);
        }
        finally
        {
            rejects?.Dispose();
        }
    }

    internal static Task<long> WriteTableAsync(TransmogDataReader reader, Stream stream, OutputFormat format, FormatOptions formatOptions, TransmogOptions options, CancellationToken cancellationToken) =>
        format == OutputFormat.Csv
            ? CsvTableWriter.WriteAsync(reader, stream, (CsvFormatOptions)formatOptions, null, cancellationToken)
            : ParquetTableWriter.WriteAsync(reader, stream, (ParquetFormatOptions)formatOptions, ((ParquetFormatOptions)formatOptions).RowGroupSize ?? int.MaxValue, null, cancellationToken, options.EffectiveParallelism);

    /// <summary>
    /// Opens a forward-only reader over one table (<paramref name="table"/>; rows of other tables are discarded at no
    /// cost) or, when <paramref name="table"/> is <c>null</c>, over all tables as consecutive result sets (main first,
    /// then children in first-seen order; rows of tables not yet read wait in temporary spill files).
    /// </summary>
    /// <param name="input">The JSON.</param>
    /// <param name="name">The entity name.</param>
    /// <param name="table">The table to read, or <c>null</c> for all.</param>
    /// <param name="options">The flattening options.</param>
    /// <exception cref="TransmogException">The input, the options or the table name are invalid.</exception>
    public static TransmogDataReader OpenReader(JsonInput input, string name = "data", string? table = null, TransmogOptions? options = null)
    {
        // An exact scan keeps the wanted table(s) in spill files as it goes: the input is parsed once.
        var rejects = new List<RejectedRecord>();
        FlattenRun run = FlattenRun.Start(input, name, options, null, CancellationToken.None,
            t => table is null || string.Equals(t.Name, table, StringComparison.OrdinalIgnoreCase) ? new StoreFeed(RowStore.SpillFile(null)) : DiscardFeed.Instance,
            rejects.Add);
        try
        {
            IReadOnlyList<TableModel> tables = run.Tables;
            List<TableModel> wanted;
            if (table is null)
            {
                wanted = [.. tables];
                if (!run.RowsKept)
                {
                    // Result sets: the main table live, the others wait in spill files until their turn.
                    run.BeginData([.. tables.Select(t => t.Index == 0 ? new LiveFeed() : (TableFeed)new StoreFeed(RowStore.SpillFile(null)))], rejects.Add);
                }
            }
            else
            {
                TransmogTable found = run.Schema.Require(table);
                TableModel model = tables.First(t => t.Public == found);
                wanted = [model];
                if (!run.RowsKept || run.FeedOf(model) is DiscardFeed)
                {
                    // The data pass reports every reject again.
                    rejects.Clear();
                    run.BeginData([.. tables.Select(t => t == model ? new LiveFeed() : (TableFeed)DiscardFeed.Instance)], rejects.Add);
                }
            }

            return new TransmogDataReader([.. wanted.Select(t => ReaderTableOf(run, t))], run.Timestamp, run, run.Options.BatchSize) { RejectsList = rejects };
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>Reads the input once and returns its tables, columns and types (with row counts).</summary>
    /// <param name="input">The JSON.</param>
    /// <param name="name">The entity name.</param>
    /// <param name="options">The flattening options.</param>
    /// <param name="cancellationToken">Checked between records.</param>
    public static TransmogSchema ReadSchema(JsonInput input, string name = "data", TransmogOptions? options = null, CancellationToken cancellationToken = default)
    {
        using FlattenRun run = FlattenRun.Start(input, name, options, null, cancellationToken);
        return run.Schema;
    }

    internal static ReaderTable ReaderTableOf(FlattenRun run, TableModel table) =>
        new(table.Public!, table.PublicToIndex, table.Columns.Count, () => run.OpenSource(table));
}
