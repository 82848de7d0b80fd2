using System.Globalization;
using System.CommandLine;
using System.Data.Common;
using DuckDB.NET.Data;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Transmog.Cli.Reporting;
using Transmog.Data;
using Transmog.Data.Loading;

namespace Transmog.Cli.Commands;

/// <summary>
/// <c>transmog load INPUT [--to CONNECTION] [--provider P] [--create|--append|--replace|--merge] [--evolve] [--foreign-keys]</c>: every table
/// into a database, in one transaction. Without <c>--to</c>, into the SQLite file <c>&lt;input without extension&gt;.db</c>
/// beside the input.
/// </summary>
internal static class LoadCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var settings = new FlattenSettings();
        var to = new Option<string?>("--to") { Description = "Connection string, or a .db/.sqlite/.duckdb file path. Default: SQLite file <input>.db beside the input." };
        var provider = new Option<string?>("--provider") { Description = "sqlite, postgres, mysql (MariaDB too), sqlserver or duckdb. Default: sqlite, or from the --to file's extension." };
        var create = new Option<bool>("--create") { Description = "Create the tables; fail if one exists (default)." };
        var append = new Option<bool>("--append") { Description = "Add to existing tables; a record whose id is already there is skipped whole, with its nested rows." };
        var merge = new Option<bool>("--merge") { Description = "Add new records and replace those whose id is already there, with all their nested rows (needs natural, field, hash or position ids)." };
        var evolve = new Option<bool>("--evolve") { Description = "With --append or --merge: add missing columns and tables, widen column types where the database can without loss." };
        var replace = new Option<bool>("--replace") { Description = "Drop the tables of the same names and create them anew." };
        var foreignKeys = new Option<bool>("--foreign-keys") { Description = "Add foreign keys from each child table's parent id to its parent's id." };
        var report = new ReportSettings();
        var command = new Command("load", """
            Load every table into a database (SQLite, PostgreSQL, MySQL/MariaDB, SQL Server, DuckDB) in one transaction.

            Examples:
              transmog load customers.jsonl --name customers                        # into customers.db (SQLite) beside the input
              transmog load customers.jsonl --to out.duckdb --replace --foreign-keys
              transmog load events.jsonl.gz --provider postgres --to "Host=db;Username=etl;Database=raw" --append --id-generation hash
              transmog load dump.json --to dump.db --on-error skip --json -v debug --log-file load.log
            """);
        settings.AddTo(command);
        foreach (Option option in (Option[])[to, provider, create, append, replace, merge, evolve, foreignKeys])
        {
            command.Options.Add(option);
        }

        report.AddTo(command, summary: true);

        command.SetAction(async (parsed, cancellationToken) =>
        {
            string[] inputPaths = parsed.GetValue(settings.Input)!;
            JsonInput input = settings.OpenInput(parsed);
            if (parsed.GetValue(to) is null && !(inputPaths.Length == 1 && File.Exists(inputPaths[0])))
            {
                throw new ArgumentException("--to is needed when the input is stdin, a directory, a pattern or several files (the default database file is named after one input file).");
            }

            string inputPath = inputPaths[0];
            using CliLoggerFactory? loggers = report.CreateLoggerFactory(parsed, error);
            TransmogOptions options = settings.ToOptions(parsed) with { LoggerFactory = loggers };
            bool[] modes = [parsed.GetValue(create), parsed.GetValue(append), parsed.GetValue(replace), parsed.GetValue(merge)];
            if (modes.Count(m => m) > 1)
            {
                throw new ArgumentException("Give at most one of --create, --append, --replace and --merge.");
            }

            LoadMode mode = modes[1] ? LoadMode.Append : modes[2] ? LoadMode.Replace : modes[3] ? LoadMode.Merge : LoadMode.Create;
            if (parsed.GetValue(evolve) && mode is not (LoadMode.Append or LoadMode.Merge))
            {
                throw new ArgumentException("--evolve changes existing tables: give it with --append or --merge.");
            }
            (SqlDialect dialect, string connectionString, string where) = Target(inputPath, parsed.GetValue(to), parsed.GetValue(provider));
            await using DbConnection connection = Connect(dialect, connectionString);
            var loadOptions = new LoadOptions { Name = settings.EntityName(parsed, options), Flatten = options, Mode = mode, ForeignKeys = parsed.GetValue(foreignKeys), Evolve = parsed.GetValue(evolve) };

            // A database file that is not there yet is created when the connection opens: a failed load removes it again.
            string? newFile = IsFilePath(parsed.GetValue(to)) && !File.Exists(where) ? where : null;
            RunStats stats = RunStats.Begin();
            LoadResult result;
            try
            {
                result = await TransmogLoader.LoadAsync(input, connection, loadOptions, null, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (newFile is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                DeleteNewDatabase(connection, newFile);
                throw;
            }

            stats.Stop();
            if (!parsed.GetValue(report.Quiet))
            {
                // Every change the evolution made to the database, one line each, before the summary.
                foreach (SchemaChange change in result.Changes)
                {
                    await error.WriteLineAsync(change.ToString()).ConfigureAwait(false);
                }
            }

            var summary = new Summary { Command = "load", Input = string.Join(' ', inputPaths), Stats = stats, Destination = where, DatabaseSystem = DialectName(dialect) };
            foreach (LoadedTable table in result.Tables)
            {
                string? detail = mode != LoadMode.Merge ? null
                    : table == result.Tables[0]
                        ? string.Create(CultureInfo.InvariantCulture, $"{table.RowsReplaced} replaced")
                        : string.Create(CultureInfo.InvariantCulture, $"{table.RowsReplaced} old rows deleted");
                summary.Tables.Add(new SummaryTable(table.DatabaseName, table.RowsRead, table.RowsInserted, DatabaseName: table.DatabaseName, Detail: detail));
            }

            if (parsed.GetValue(report.Json))
            {
                await summary.WriteJsonAsync(output).ConfigureAwait(false);
            }

            if (!parsed.GetValue(report.Quiet))
            {
                await summary.WriteTextAsync(error).ConfigureAwait(false);
            }

            return summary.ExitCode;
        });
        return command;
    }

    internal static SqlDialect ParseDialect(string option, string text) => text.ToLowerInvariant() switch
    {
        "sqlite" or "sqlite3" => SqlDialect.Sqlite,
        "postgres" or "postgresql" or "pg" or "npgsql" => SqlDialect.PostgreSql,
        "mysql" or "mariadb" => SqlDialect.MySql,
        "sqlserver" or "mssql" or "sql-server" => SqlDialect.SqlServer,
        "duckdb" => SqlDialect.DuckDb,
        _ => throw new ArgumentException($"{option} must be sqlite, postgres, mysql, sqlserver or duckdb, not '{text}'."),
    };

    private static string DialectName(SqlDialect dialect) => dialect switch
    {
        SqlDialect.PostgreSql => "postgres",
        SqlDialect.MySql => "mysql",
        _ => dialect.ToString().ToLowerInvariant(),
    };

    /// <summary>The dialect, the connection string, and how to name the destination in messages (never with a password).</summary>
    internal static (SqlDialect Dialect, string ConnectionString, string Where) Target(string inputPath, string? to, string? provider)
    {
        SqlDialect? given = provider is null ? null : ParseDialect("--provider", provider);
        if (to is null)
        {
            if (given is not (null or SqlDialect.Sqlite or SqlDialect.DuckDb))
            {
                throw new ArgumentException($"--provider {provider} needs --to CONNECTION_STRING.");
            }

            string file = DefaultDatabaseFile(inputPath, given == SqlDialect.DuckDb ? ".duckdb" : ".db");
            return (given ?? SqlDialect.Sqlite, "Data Source=" + file, file);
        }

        if (IsFilePath(to))
        {
            SqlDialect fileDialect = given ?? (to.EndsWith(".duckdb", StringComparison.OrdinalIgnoreCase) ? SqlDialect.DuckDb : SqlDialect.Sqlite);
            if (fileDialect is not (SqlDialect.Sqlite or SqlDialect.DuckDb))
            {
                throw new ArgumentException($"--to '{to}' is a file path; --provider {provider} needs a connection string.");
            }

            return (fileDialect, "Data Source=" + to, to);
        }

        if (given is null)
        {
            throw new ArgumentException("--to with a connection string needs --provider (sqlite, postgres, mysql, sqlserver or duckdb).");
        }

        return (given.Value, to, "the database");
    }

    /// <summary>Whether <c>--to</c> (or its absence: the default file) names a database file rather than a connection string.</summary>
    private static bool IsFilePath(string? to) => to is null || !to.Contains('=', StringComparison.Ordinal);

    /// <summary>
    /// Removes a SQLite or DuckDB file (and its journal or write-ahead log) that a failed load created: the load
    /// committed nothing, so nothing should look like a database left by it. Best effort: a file that cannot be
    /// removed stays, empty of the load's rows.
    /// </summary>
    private static void DeleteNewDatabase(DbConnection connection, string file)
    {
        if (connection is SqliteConnection sqlite)
        {
            // The pool keeps the file open otherwise (and Windows refuses to delete an open file).
            SqliteConnection.ClearPool(sqlite);
        }

        string[] companions = connection is SqliteConnection ? ["", "-journal", "-wal", "-shm"] : ["", ".wal"];
        foreach (string suffix in companions)
        {
            try
            {
                File.Delete(file + suffix);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left behind: the error being reported matters more.
            }
        }
    }

    internal static string DefaultDatabaseFile(string inputPath, string extension)
    {
        string path = inputPath.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? inputPath[..^3] : inputPath;
        return Path.ChangeExtension(path, extension);
    }

    private static DbConnection Connect(SqlDialect dialect, string connectionString)
    {
        try
        {
            return dialect switch
            {
                SqlDialect.Sqlite => new SqliteConnection(connectionString),
                SqlDialect.PostgreSql => new NpgsqlConnection(connectionString),
                SqlDialect.MySql => new MySqlConnection(connectionString),
                SqlDialect.SqlServer => new SqlConnection(connectionString),
                _ => new DuckDBConnection(connectionString),
            };
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The connection string is not valid for {dialect}: {ex.Message}");
        }
    }
}
