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
/// <para>Atomicity: the tables (CREATE/DROP) and all rows are one transaction in PostgreSQL, SQLite, DuckDB and SQL
/// Server. MySQL/MariaDB commit DDL implicitly, so there the tables are created before the rows' transaction; when
/// the load fails, the rows are rolled back and the tables this load created are dropped again (after a failed
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
    /// <exception cref="TransmogConfigurationException">The options or the connection are unsuitable.</exception>
    /// <exception cref="TransmogInputException">The input is bad (strict recovery); nothing is committed.</exception>
    /// <exception cref="TransmogOutputException">The database refused the tables or rows; nothing is committed.</exception>
    /// <exception cref="OperationCanceledException">The load was cancelled; nothing is committed.</exception>
    public static async Task<LoadResult> LoadAsync(
        JsonInput input, DbConnection connection, LoadOptions? options = null, IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(connection);
        options ??= new LoadOptions();
        BulkWriter writer = BulkWriter.For(connection);
        TransmogOptions flatten = (options.Flatten ?? TransmogOptions.Default).Validate();
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
                throw new TransmogOutputException($"Cannot connect to the {writer.Dialect.Kind} database: {ex.Message}", ex);
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
        IReadOnlyList<TableNames> names = TableNames.For(tables, dialect);
        bool widthsKnown = input.CanReopen && flatten.Schema is null && flatten.SchemaInference != SchemaInference.Window;
        TypeContext typeContext = TransmogDdl.ContextOf(tables, widthsKnown);

        await writer.PrepareAsync(connection, options, cancellationToken).ConfigureAwait(false);
        Dictionary<string, List<string>> existing = await Catalog.TablesAsync(connection, dialect, cancellationToken).ConfigureAwait(false);
        var ddl = new List<(string Sql, TableNames? Creates)>();
        PlanDdl(options, dialect, names, existing, typeContext, ddl);
        var createdOutsideTransaction = new List<TableNames>();

        var loaded = new List<LoadedTable>(names.Count);
        DbTransaction? transaction = null;
        string current = names[0].Table.Name;
        try
        {
            if (!dialect.TransactionalDdl)
            {
                foreach ((string sql, TableNames? creates) in ddl)
                {
                    diagnostics.Ddl(sql);
                    await BulkWriter.ExecuteAsync(connection, null, sql, cancellationToken).ConfigureAwait(false);
                    if (creates is not null)
                    {
                        createdOutsideTransaction.Add(creates);
                    }
                }
            }

            transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (dialect.TransactionalDdl)
            {
                foreach ((string sql, _) in ddl)
                {
                    diagnostics.Ddl(sql);
                    await BulkWriter.ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
                }
            }

            long total = 0;
            for (int i = 0; i < names.Count; i++)
            {
                if (i > 0 && !reader.NextResult())
                {
                    break;
                }

                TableNames target = names[i];
                current = target.Table.Name;
                long before = total;
                int index = i;
                var context = new WriteContext(connection, transaction, reader, target, i, options.Mode == LoadMode.Append, flatten.BatchSize,
                    rows => progress?.Report(new LoadProgress(target.Table.Name, index, names.Count, rows, before + rows)));
                using Activity? tableActivity = diagnostics.StartTable(target);
                long tableStarted = Stopwatch.GetTimestamp();
                long inserted = await writer.WriteAsync(context, cancellationToken).ConfigureAwait(false);
                total += reader.RowsRead;
                loaded.Add(new LoadedTable(target.Table.Name, target.Name, reader.RowsRead, inserted));
                diagnostics.TableLoaded(tableActivity, loaded[^1], Stopwatch.GetElapsedTime(tableStarted));
            }

            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            diagnostics.Committed(loaded);
        }
        catch (Exception ex)
        {
            diagnostics.RolledBack(ex);
            await RollBackAsync(connection, transaction, dialect, createdOutsideTransaction).ConfigureAwait(false);
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

            throw new TransmogOutputException($"Loading table '{current}' into {dialect.Kind} failed, nothing was committed: {ex.Message}", ex);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }
        }

        return new LoadResult(dialect.Kind, loaded, clock.Elapsed);
    }

    private static void PlanDdl(LoadOptions options, Dialect dialect, IReadOnlyList<TableNames> names, Dictionary<string, List<string>> existing,
        TypeContext typeContext, List<(string Sql, TableNames? Creates)> ddl)
    {
        switch (options.Mode)
        {
            case LoadMode.Create:
                if (names.FirstOrDefault(n => existing.ContainsKey(n.Name)) is { } clash)
                {
                    throw new TransmogOutputException(
                        $"Table '{clash.Name}' already exists in the database; load with append (--append) or replace (--replace) mode, or into another database.");
                }

                break;
            case LoadMode.Replace:
                for (int i = names.Count - 1; i >= 0; i--)
                {
                    if (existing.ContainsKey(names[i].Name))
                    {
                        ddl.Add((dialect.DropTable(names[i]), null));
                    }
                }

                break;
            case LoadMode.Append:
                foreach (TableNames table in names)
                {
                    if (existing.TryGetValue(table.Name, out List<string>? columns))
                    {
                        var have = new HashSet<string>(columns, dialect.IdentifierComparer);
                        if (table.Columns.FirstOrDefault(c => !have.Contains(c)) is { } missing)
                        {
                            throw new TransmogOutputException(
                                $"Table '{table.Name}' in the database has no column '{missing}', which the data has; replace the table (--replace) or load into another database.");
                        }
                    }
                }

                break;
        }

        foreach (TableNames table in names)
        {
            if (options.Mode == LoadMode.Append && existing.ContainsKey(table.Name))
            {
                continue;
            }

            ddl.Add((dialect.CreateTable(table, TransmogDdl.ParentOf(names, table), options.ForeignKeys, false, typeContext), table));
        }
    }

    private static async Task RollBackAsync(DbConnection connection, DbTransaction? transaction, Dialect dialect, IReadOnlyList<TableNames> createdOutsideTransaction)
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

        if (createdOutsideTransaction.Count > 0 && connection.State != System.Data.ConnectionState.Open)
        {
            try
            {
                await connection.CloseAsync().ConfigureAwait(false);
                await connection.OpenAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                return;
            }
        }

        for (int i = createdOutsideTransaction.Count - 1; i >= 0; i--)
        {
            try
            {
                await BulkWriter.ExecuteAsync(connection, null, dialect.DropTable(createdOutsideTransaction[i]), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DbException or InvalidOperationException)
            {
                // Best effort: a dropped connection leaves the (empty) tables behind.
            }
        }
    }
}
