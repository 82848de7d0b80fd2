using System.Data.Common;
using System.Diagnostics;
using Transmog.Data.Loading.Diagnostics;
using Transmog.Data.Loading.Writers;

namespace Transmog.Data.Loading;

/// <summary>
/// Loads every table of one JSON input into a database through the database's fast path — Npgsql binary
/// <c>COPY</c>, MySqlConnector <c>MySqlBulkCopy</c>, Microsoft.Data.Sqlite prepared inserts, the DuckDB appender,
/// <c>SqlBulkCopy</c> — parents before children, in one transaction.
/// </summary>
/// <remarks>
/// <para>The input is read once for its schema (an exact scan where it can be reopened) and once for its rows; rows
/// stream from the JSON to the database in batches, tables not yet loaded wait in temporary spill files.</para>
/// <para>Append and merge copy each table's rows into a temporary stage table first (the same fast path), then move
/// them with set-based SQL: an append skips whole records whose root id is there already; a merge deletes the nested
/// rows of the records it replaces and upserts every table with the database's own statement (<c>INSERT ... ON
/// CONFLICT</c>, <c>ON DUPLICATE KEY UPDATE</c>, <c>MERGE</c>).</para>
/// <para>Atomicity: the tables (CREATE/DROP/ALTER) and all rows are one transaction in PostgreSQL, SQLite, DuckDB and
/// SQL Server. MySQL/MariaDB commit DDL implicitly, so there the tables are created and altered before the rows'
/// transaction; when the load fails, the rows are rolled back and the DDL is undone: tables this load created are
/// dropped, columns it added dropped, columns it widened given their old type back (after a failed
/// <see cref="LoadMode.Replace"/> the replaced tables are therefore gone). Any failure — a bad record under strict
/// recovery, cancellation, a dropped connection, a refused value — leaves no row of the load committed.</para>
/// </remarks>
public static class TransmogLoader
{
    /// <summary>Loads every table of the input into the database behind <paramref name="connection"/>.</summary>
    /// <param name="input">The JSON.</param>
    /// <param name="connection">An Npgsql, MySqlConnector, Microsoft.Data.Sqlite, DuckDB.NET or Microsoft.Data.SqlClient connection; opened (and closed again) if it is closed. It must not have a transaction open.</param>
    /// <param name="options">The load settings; defaults when <c>null</c>.</param>
    /// <param name="progress">Receives progress every batch and at the end of each table.</param>
    /// <param name="cancellationToken">Stops the load and rolls it back.</param>
    /// <returns>The tables loaded with their row counts, parents before children.</returns>
    /// <exception cref="ArgumentException">The options or the connection are unsuitable.</exception>
    /// <exception cref="TransmogInputException">The input is bad (strict recovery); nothing is committed.</exception>
    /// <exception cref="TransmogException">The database refused the tables or rows; nothing is committed.</exception>
    /// <exception cref="OperationCanceledException">The load was cancelled; nothing is committed.</exception>
    public static async Task<LoadResult> LoadAsync(
        JsonInput input, DbConnection connection, LoadOptions? options = null, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new LoadOptions();
        BulkWriter writer = BulkWriter.For(connection);
        TransmogOptions flatten = (options.Flatten ?? TransmogOptions.Default).Validate();
        if (options.Mode == LoadMode.Merge && flatten.IdGeneration.Equals(IdGeneration.Random))
        {
            throw new ArgumentException(
                "Merge replaces records by their id, so it needs ids that a record keeps from load to load: natural ids (--id-generation natural, the record's own id field), a composite key of fields (--id-generation F1,F2), content hashes (hash) or the records' places in their files (position); random ids are new on every load.");
        }
        if (options.BatchSize is { } batchSize)
        {
            flatten = flatten with { BatchSize = batchSize };
        }

        bool opened = false;
        if (connection.State != System.Data.ConnectionState.Open)
        {
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException ex)
            {
                throw new TransmogException($"Cannot connect to the {writer.Dialect.Kind} database: {ex.Message}", ex);
            }

            opened = true;
        }

        try
        {
            // Flattening is synchronous CPU work over buffered reads: keep it off the caller's thread.
            return await Task.Run(() => LoadCoreAsync(input, connection, writer, options, flatten, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await writer.RestoreAsync(connection).ConfigureAwait(false);
            if (opened)
            {
                await connection.CloseAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<LoadResult> LoadCoreAsync(
        JsonInput input, DbConnection connection, BulkWriter writer, LoadOptions options, TransmogOptions flatten,
        IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        Dialect dialect = writer.Dialect;
        using LoadDiagnostics diagnostics = LoadDiagnostics.Start(flatten.LoggerFactory, input, dialect.Kind, options.Mode);
        using TransmogDataReader reader = JsonFlattener.OpenReader(input, options.Name, null, flatten);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<TransmogTable> tables = reader.Tables;
        bool widthsKnown = input.CanReopen && flatten.Schema is null && flatten.SchemaInference != SchemaInference.Window;
        TypeContext typeContext = TransmogDdl.ContextOf(tables, widthsKnown);

        Dictionary<string, List<DbColumn>> catalog;
        try
        {
            await writer.PrepareAsync(connection, options, cancellationToken).ConfigureAwait(false);
            catalog = await Catalog.DescribeAsync(connection, dialect, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException ex)
        {
            // The first statements that read the database: a file that is no database of this kind fails here, before
            // the load has changed anything.
            throw new TransmogException(writer.Unreadable(connection, ex), ex);
        }

        // A table without columns (an input of no records, or only of empty objects) holds no row and cannot be created
        // in SQL ("CREATE TABLE t ()"): it is left out of the plan, and an empty input loads nothing and succeeds.
        TransmogTable[] loadable = [.. tables.Where(t => t.Columns.Count > 0)];
        LoadPlan plan = SchemaEvolution.Plan(options, dialect, loadable, catalog, typeContext, flatten);
        IReadOnlyList<TableNames> names = [.. plan.Tables.Select(t => t.Names)];

        // Every widening is checked before anything changes: a value it would change leaves the database as it was.
        foreach (LossCheck check in plan.Checks)
        {
            if (await BulkWriter.ScalarAsync(connection, null, check.Sql, cancellationToken).ConfigureAwait(false) > 0)
            {
                throw new TransmogException(check.Error);
            }
        }

        bool staged = options.Mode is LoadMode.Append or LoadMode.Merge;
        bool rebuilds = plan.Ddl.Any(d => d.Rebuild is not null);
        var undo = new List<string>();
        var loaded = new List<LoadedTable>(names.Count);
        DbTransaction? transaction = null;
        string current = tables[0].Name;
        try
        {
            if (!dialect.TransactionalDdl)
            {
                foreach (DdlStep step in plan.Ddl)
                {
                    diagnostics.Ddl(step.Sql!);
                    await BulkWriter.ExecuteAsync(connection, null, step.Sql!, cancellationToken).ConfigureAwait(false);
                    if (step.Undo is not null)
                    {
                        undo.Add(step.Undo);
                    }
                }
            }
            else if (rebuilds && options.ForeignKeys)
            {
                // SQLite rebuilds a table to change a column's type: its children's foreign keys must not fire meanwhile
                // (checked again before the commit).
                await BulkWriter.ExecuteAsync(connection, null, "PRAGMA foreign_keys = OFF", cancellationToken).ConfigureAwait(false);
            }

            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (dialect.TransactionalDdl)
            {
                foreach (DdlStep step in plan.Ddl)
                {
                    if (step.Rebuild is { } rebuild)
                    {
                        await SqliteRebuild.RunAsync(connection, transaction, rebuild.Table, rebuild.Types, cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        diagnostics.Ddl(step.Sql!);
                        try
                        {
                            await BulkWriter.ExecuteAsync(connection, transaction, step.Sql!, cancellationToken).ConfigureAwait(false);
                        }
                        catch (DbException ex) when (dialect.Kind == SqlDialect.DuckDb && step.Table is { } altered && ex.Message.Contains("Dependency Error", StringComparison.Ordinal))
                        {
                            throw new TransmogException(
                                $"DuckDB cannot alter table '{altered}' while foreign keys of other tables refer to it (a DuckDB limitation), so nothing was changed; tables loaded without --foreign-keys can evolve.", ex);
                        }
                    }
                }
            }

            long total = 0;
            long[] read = new long[names.Count];
            long[] sent = new long[names.Count];
            for (int t = 0, i = 0; t < tables.Count; t++)
            {
                if (t > 0 && !reader.NextResult())
                {
                    break;
                }

                if (i >= names.Count || !ReferenceEquals(tables[t], loadable[i]))
                {
                    // Left out of the plan (no columns): read through all the same, so that the data pass ends and its
                    // rejects are counted.
                    while (reader.Read())
                    {
                    }

                    continue;
                }

                TableNames target = names[i];
                current = target.Table.Name;
                if (staged)
                {
                    foreach (string sql in IncrementalSql.CreateStage(dialect, target, i))
                    {
                        await BulkWriter.ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
                    }
                }

                long before = total;
                int index = i;
                var context = new WriteContext(connection, transaction, reader, plan.Tables[i].Types, target, i, staged, flatten.BatchSize,
                    rows => progress?.Report(new LoadProgress(target.Table.Name, index, names.Count, rows, before + rows)));
                using Activity? tableActivity = diagnostics.StartTable(target);
                long tableStarted = Stopwatch.GetTimestamp();
                try
                {
                    sent[i] = await writer.WriteAsync(context, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    if (!ReferenceEquals(context.Source, reader))
                    {
                        await context.Source.DisposeAsync().ConfigureAwait(false);
                    }
                }

                read[i] = reader.RowsRead;
                total += reader.RowsRead;
                diagnostics.TableLoaded(tableActivity, new LoadedTable(target.Table.Name, target.Name, read[i], sent[i]), Stopwatch.GetElapsedTime(tableStarted));
                i++;
            }

            foreach ((string table, string sql) in plan.Keys)
            {
                // A duplicate id fails here ("could not create unique index"), rolling the whole load back.
                current = table;
                diagnostics.Ddl(sql);
                try
                {
                    await BulkWriter.ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
                }
                catch (DbException ex) when (ex.SqlState == "23505")
                {
                    throw new TransmogException(
                        $"Loading table '{table}' into {dialect.Kind} failed, nothing was committed: two of its rows have the same id, so its primary key cannot be created ({ex.Message.Split('\n')[0]}). "
                        + "Hash ids repeat for identical records and natural or field ids for records with the same key: use position or random ids, or remove the duplicates.", ex);
                }
            }

            current = tables[0].Name;
            if (staged && names.Count > 0)
            {
                await FinishStagesAsync(connection, transaction, dialect, options.Mode, flatten.IdGeneration, plan, names, read, sent, loaded, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                for (int i = 0; i < names.Count; i++)
                {
                    loaded.Add(new LoadedTable(names[i].Table.Name, names[i].Name, read[i], sent[i]));
                }
            }

            if (rebuilds && options.ForeignKeys
                && await BulkWriter.ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM pragma_foreign_key_check", cancellationToken).ConfigureAwait(false) > 0)
            {
                throw new TransmogException("After changing column types, rows of the database break its foreign keys; nothing was changed.");
            }

            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            diagnostics.Committed(loaded);
        }
        catch (Exception ex)
        {
            diagnostics.RolledBack(ex);
            await RollBackAsync(connection, transaction, undo).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The load was cancelled and rolled back.", ex, cancellationToken);
            }

            if (ex is TransmogException or OperationCanceledException)
            {
                throw;
            }

            // A driver that read the rows itself (MySqlBulkCopy, SqlBulkCopy) may wrap the reader's own error.
            for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            {
                if (inner is TransmogException transmog)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(transmog);
                }
            }

            throw new TransmogException($"Loading table '{current}' into {dialect.Kind} failed, nothing was committed: {ex.Message}", ex);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            if (rebuilds && options.ForeignKeys && connection.State == System.Data.ConnectionState.Open)
            {
                await BulkWriter.ExecuteAsync(connection, null, "PRAGMA foreign_keys = ON", CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new LoadResult(dialect.Kind, loaded, clock.Elapsed, plan.Changes);
    }

    /// <summary>
    /// Moves the staged rows into the tables, set-based. Append: a record whose root id is there already is skipped
    /// whole (its nested rows too), other rows whose id is there are skipped. Merge: the nested rows of the records
    /// being replaced are deleted (children first, in every child table of the entity), then every table is upserted
    /// (parents first).
    /// </summary>
    private static async Task FinishStagesAsync(
        DbConnection connection, DbTransaction transaction, Dialect dialect, LoadMode mode, IdGeneration idGeneration, LoadPlan plan, IReadOnlyList<TableNames> names,
        long[] read, long[] sent, List<LoadedTable> loaded, CancellationToken cancellationToken)
    {
        var temps = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Count; i++)
        {
            index[names[i].Table.Name] = i;
            temps.Add(IncrementalSql.StageName(i));
        }

        // One version of a record per load: two with one root id would mix their nested rows (their ids derive from the
        // root's), and which one wins would depend on the database. Identical copies under hash ids are harmless.
        if (mode == LoadMode.Merge || !idGeneration.Equals(IdGeneration.Hash))
        {
            long duplicates = await BulkWriter.ScalarAsync(connection, transaction, IncrementalSql.CountDuplicates(dialect, names[0], 0), cancellationToken).ConfigureAwait(false);
            if (duplicates > 0)
            {
                throw new TransmogException(
                    $"{duplicates} record id(s) of table '{names[0].Table.Name}' appear more than once in the input; {(mode == LoadMode.Merge ? "a merge" : "an append")} takes one version of each record per load, so nothing was loaded. Keep the latest version of each record, or load the versions one after another.");
            }
        }

        long[] written = new long[names.Count];
        long[] replaced = new long[names.Count];
        var others = new List<LoadedTable>();
        if (mode == LoadMode.Append)
        {
            for (int i = 0; i < names.Count; i++)
            {
                TableNames? parent = i == 0 ? null : TransmogDdl.ParentOf(names, names[i]);
                int parentIndex = parent is null ? -1 : index[parent.Table.Name];
                foreach (string sql in IncrementalSql.CreateSkip(dialect, names[i], i, parent, parentIndex))
                {
                    await BulkWriter.ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
                }

                temps.Add(IncrementalSql.SkipName(i));
                written[i] = await BulkWriter.ExecuteAsync(connection, transaction, IncrementalSql.InsertSkipping(dialect, names[i], i), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            if (plan.Tables[0].Existed)
            {
                replaced[0] = await BulkWriter.ScalarAsync(connection, transaction, IncrementalSql.CountExisting(dialect, names[0], 0), cancellationToken).ConfigureAwait(false);
            }

            string mainId = names[0].QuotedColumns[names[0].IdOrdinal];
            foreach ((NestedTable table, List<NestedTable> chain) in plan.Nested)
            {
                long deleted = await BulkWriter.ExecuteAsync(connection, transaction, IncrementalSql.DeleteBelow(dialect, table, chain, mainId), cancellationToken).ConfigureAwait(false);
                int at = names.Count;
                for (int i = 1; i < names.Count; i++)
                {
                    if (dialect.IdentifierComparer.Equals(names[i].Name, table.Name))
                    {
                        at = i;
                    }
                }

                if (at < names.Count)
                {
                    replaced[at] = deleted;
                }
                else
                {
                    others.Add(new LoadedTable(table.Name, table.Name, 0, 0) { RowsReplaced = deleted });
                }
            }

            for (int i = 0; i < names.Count; i++)
            {
                await BulkWriter.ExecuteAsync(connection, transaction, IncrementalSql.Upsert(dialect, names[i], i, plan.OtherColumns[i]), cancellationToken).ConfigureAwait(false);
                written[i] = sent[i];
            }
        }

        foreach (string temp in temps)
        {
            if (IncrementalSql.DropTemp(dialect, temp) is { } drop)
            {
                await BulkWriter.ExecuteAsync(connection, transaction, drop, cancellationToken).ConfigureAwait(false);
            }
        }

        for (int i = 0; i < names.Count; i++)
        {
            loaded.Add(new LoadedTable(names[i].Table.Name, names[i].Name, read[i], written[i]) { RowsReplaced = replaced[i] });
        }

        loaded.AddRange(others);
    }

    /// <summary>
    /// Rolls the transaction back, then undoes what DDL committed at once (MySQL/MariaDB): dropped again are the tables
    /// the load created and the columns it added; widened columns get their old type back. Best effort: when the
    /// connection cannot be reopened those stay.
    /// </summary>
    private static async Task RollBackAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<string> undo)
    {
        try
        {
            if (transaction is not null && connection.State == System.Data.ConnectionState.Open)
            {
                await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            // The connection is gone: the server rolls the transaction back itself.
        }

        bool reopened = false;
        for (int i = undo.Count - 1; i >= 0; i--)
        {
            try
            {
                if (connection.State != System.Data.ConnectionState.Open && !reopened)
                {
                    reopened = true;
                    await ReopenAsync(connection).ConfigureAwait(false);
                }

                await BulkWriter.ExecuteAsync(connection, null, undo[i], CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException && !reopened)
            {
                // The connection died with the load (it may still look open): reconnect once and try again.
                reopened = true;
                try
                {
                    await ReopenAsync(connection).ConfigureAwait(false);
                    await BulkWriter.ExecuteAsync(connection, null, undo[i], CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception again) when (again is DbException or InvalidOperationException)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // Best effort: a dropped connection leaves the change behind.
            }
        }
    }

    private static async Task ReopenAsync(DbConnection connection)
    {
        await connection.CloseAsync().ConfigureAwait(false);
        await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
