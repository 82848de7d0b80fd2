using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Transmog.Benchmarks.Generators;
using Transmog.Data.TestSupport;
using Transmog.Data.TestSupport.Servers;

namespace Transmog.Benchmarks;

/// <summary>
/// Load mode (<c>--load postgres,mariadb,sqlite,duckdb</c>): per input and database, the database's own bulk ingest of
/// the same rows against a fresh <c>transmog load</c> process, both timed as whole processes into a fresh database.
/// </summary>
/// <remarks>
/// Untimed preparation, once per input: <c>transmog flatten INPUT --out DIR --id-generation hash</c> (CSV, one file per
/// table: the same rows, ids included, that the load makes) and, per database, <c>transmog schema INPUT --ddl DIALECT</c>
/// (the DDL the load itself creates). Timed, each a fresh process into a fresh database (created and dropped untimed):
/// <list type="bullet">
/// <item>ingest: the DDL, then every CSV file through the database's own path in one process and, where the database
/// allows, one transaction: <c>psql -1</c> with <c>\copy ... FROM 'file' (FORMAT csv, HEADER)</c> (COPY FROM STDIN fed by
/// psql); the <c>mariadb</c> client with <c>LOAD DATA LOCAL INFILE</c>; the <c>sqlite3</c> shell's
/// <c>.import --csv --skip 1</c> in one transaction; DuckDB's <c>COPY ... FROM 'file'</c> through DuckDB.NET in a
/// fresh child of this harness (<c>--duckdb-ingest</c>).</item>
/// <item>load: <c>transmog load INPUT --to TARGET --provider P --name NAME --id-generation hash -q</c>, the CLI's defaults
/// otherwise (plus <c>--threads</c> and <c>--cli-args</c> when given).</item>
/// </list>
/// The rows of every table are counted afterwards on both sides and compared.
/// </remarks>
internal static partial class LoadHarness
{
    private const string DuckDbMarker = "DUCKDB-INGEST-SECONDS ";

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A table of the DDL: its name and its columns (name, database type) in order.</summary>
    private sealed record Table(string Name, List<(string Name, string Type)> Columns);

    /// <summary>One timed side of one round: the process, the rows per table (in DDL order), remarks.</summary>
    private sealed record Side(ProcessHarness.RunResult Run, long[] Rows, string Note);

    public static int Run(HarnessOptions options) => RunAsync(options).GetAwaiter().GetResult();

    /// <summary>The DuckDB ingest child: runs the script (DDL and <c>COPY</c> statements in one transaction) against the file.</summary>
    public static int DuckDbIngest(string database, string script)
    {
        try
        {
            var watch = Stopwatch.StartNew();
            using var connection = new DuckDBConnection("Data Source=" + database);
            connection.Open();
            using DbCommand command = connection.CreateCommand();
            command.CommandText = File.ReadAllText(script);
            command.ExecuteNonQuery();
            connection.Close();
            Console.WriteLine(string.Create(Inv, $"{DuckDbMarker}{watch.Elapsed.TotalSeconds:F3}"));
            return 0;
        }
        catch (DuckDBException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(HarnessOptions options)
    {
        TextWriter log = Console.Error;
        string? repoRoot = Harness.FindRepoRoot();
        string cli = options.CliPath ?? Path.Combine(repoRoot ?? ".", "src", "Transmog.Cli", "bin", "Release", "net10.0", OperatingSystem.IsWindows() ? "transmog.exe" : "transmog");
        if (!File.Exists(cli))
        {
            log.WriteLine($"No CLI at {cli}: build it first (dotnet build src/Transmog.Cli -c Release) or pass --cli PATH.");
            return 2;
        }

        string? corpus = options.CorpusDirectory
            ?? (repoRoot is null ? null : Path.GetFullPath(Path.Combine(repoRoot, "..", "shared", "corpus")));
        string dataDirectory = Path.GetFullPath(options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "transmog-bench"));
        string work = Path.Combine(dataDirectory, "load-" + Environment.ProcessId.ToString(Inv));
        bool timeTool = File.Exists("/usr/bin/time");
        log.WriteLine($"Load mode: CLI {cli} {options.CliArgs}; databases {string.Join(", ", options.LoadTargets)}; sizes {string.Join(", ", options.SizeLabels)}; shapes {string.Join(", ", options.Shapes)}; rounds: {options.Repeat}");

        var report = new StringBuilder();
        report.AppendLine(Inv, $"## Loads: a fresh `transmog load` against the database's own bulk ingest of the same rows, rounds: {options.Repeat}");
        report.AppendLine();
        string title = $"{Path.GetFileName(cli)} {options.CliArgs}".TrimEnd();
        report.AppendLine(Inv, $"- Machine: {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; load average at start {ProcessHarness.LoadAverage()}; CLI `{title}`");
        report.AppendLine("- *ingest*: the DDL of `transmog schema --ddl` and every table's CSV file (made beforehand by `transmog flatten --id-generation hash`, not timed) through the database's own path, one fresh process; *load*: a fresh `transmog load --id-generation hash` (reads and flattens the JSON); each into a fresh database; the best of the rounds; ratio = load ÷ ingest (target ≤ 1.10); rows = rows of all tables after the load (compared with the ingest's, table by table); peak RSS and CPU (user + system, best round) of the client process only, not the server's");
        report.AppendLine();
        report.AppendLine("| shape | size | database | ingest (the database's own path) | ingest s | load s | load ÷ ingest | rows | load peak RSS MB | load CPU s | ingest CPU s | load avg | notes |");
        report.AppendLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");

        var servers = new Dictionary<string, LocalServer>();
        var generated = new List<string>();
        int failures = 0;
        try
        {
            foreach (string label in options.SizeLabels)
            {
                options.SizeLabel = label;
                options.SizeBytes = HarnessOptions.ParseSize(label);
                foreach (string shape in options.Shapes)
                {
                    InputFile? input = InputFiles.Get(shape, options, dataDirectory, corpus, log);
                    if (input is null)
                    {
                        continue;
                    }

                    if (input.Generated)
                    {
                        generated.Add(input.Path);
                    }

                    InputFiles.Warm(input.Path);
                    string name = Harness.NameOf(shape);
                    if (Directory.Exists(work))
                    {
                        Directory.Delete(work, recursive: true);
                    }

                    string csv = Path.Combine(work, "csv");
                    Directory.CreateDirectory(work);
                    log.WriteLine($"{shape} {label}: transmog flatten to CSV (not timed) ...");
                    string? prepError = Untimed([cli, "flatten", input.Path, "--out", csv, "--name", name, "--id-generation", "hash", "-q", .. ThreadArgs(options)], options.TimeoutSeconds, out _);
                    foreach (string target in options.LoadTargets)
                    {
                        string row;
                        try
                        {
                            if (prepError is not null)
                            {
                                throw new InvalidOperationException("transmog flatten: " + prepError);
                            }

                            row = await MeasureAsync(target, cli, input, name, csv, work, servers, options, timeTool, log).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (ex is not OutOfMemoryException)
                        {
                            failures++;
                            log.WriteLine($"{shape} {label} {target}: {ex.Message}");
                            row = $"| {shape} | {label} | {Describe(target)} | – | – | – | – | – | – | – | – | – | **failed**: {Escape(ex.Message)} |";
                        }

                        report.AppendLine(Inv, $"{row}");
                    }
                }
            }
        }
        finally
        {
            foreach (LocalServer server in servers.Values)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }

            if (!options.Keep)
            {
                foreach (string path in generated)
                {
                    File.Delete(path);
                }
            }
        }

        Console.Out.Write(report.ToString());
        if (options.OutFile is not null)
        {
            File.WriteAllText(options.OutFile, report.ToString());
        }

        return failures == 0 ? 0 : 1;
    }

    private static async Task<string> MeasureAsync(
        string target, string cli, InputFile input, string name, string csv, string work, Dictionary<string, LocalServer> servers, HarnessOptions options, bool timeTool, TextWriter log)
    {
        string dialect = target switch { "mariadb" => "mysql", _ => target };
        string? error = Untimed([cli, "schema", input.Path, "--name", name, "--id-generation", "hash", "--ddl", dialect, .. ThreadArgs(options)], options.TimeoutSeconds, out string ddl);
        if (error is not null)
        {
            throw new InvalidOperationException("transmog schema --ddl: " + error);
        }

        List<Table> tables = ParseDdl(ddl);
        foreach (Table table in tables)
        {
            string file = Path.Combine(csv, table.Name + ".csv");
            string[] header = File.Exists(file) ? Header(file) : throw new InvalidOperationException($"transmog flatten wrote no {table.Name}.csv for the DDL's table.");
            if (!header.SequenceEqual(table.Columns.Select(c => c.Name)))
            {
                throw new InvalidOperationException($"{table.Name}.csv has the columns {string.Join(",", header)}, the DDL {string.Join(",", table.Columns.Select(c => c.Name))}.");
            }
        }

        LocalServer? server = target is "postgres" or "mariadb" ? await ServerAsync(target, servers, log).ConfigureAwait(false) : null;
        string script = Path.Combine(work, "ingest-" + target + ".sql");
        var ingests = new List<Side>();
        var loads = new List<Side>();
        for (int round = 0; round < options.Repeat; round++)
        {
            log.WriteLine($"{input.Shape} {options.SizeLabel} {target} round {round + 1}: ingest ...");
            ingests.Add(await IngestAsync(target, server, tables, ddl, csv, work, script, options, timeTool).ConfigureAwait(false));
            log.WriteLine($"{input.Shape} {options.SizeLabel} {target} round {round + 1}: transmog load ...");
            loads.Add(await LoadAsync(target, server, cli, input, name, tables, work, options, timeTool).ConfigureAwait(false));
        }

        Side ingest = ingests.MinBy(s => s.Run.Wall)!;
        Side load = loads.MinBy(s => s.Run.Wall)!;
        var notes = new List<string>();
        if (options.Repeat > 1)
        {
            notes.Add($"rounds: ingest {string.Join(" / ", ingests.Select(s => s.Run.Wall.ToString("F2", Inv)))} s, load {string.Join(" / ", loads.Select(s => s.Run.Wall.ToString("F2", Inv)))} s");
        }

        notes.AddRange(ingests.Select(s => s.Note).Where(n => n.Length > 0).Distinct());
        notes.AddRange(loads.Select(s => s.Note).Where(n => n.Length > 0).Distinct());
        for (int t = 0; t < tables.Count; t++)
        {
            long[] ingested = [.. ingests.Select(s => s.Rows[t]).Distinct()];
            long[] loaded = [.. loads.Select(s => s.Rows[t]).Distinct()];
            if (ingested.Length != 1 || loaded.Length != 1 || ingested[0] != loaded[0])
            {
                notes.Add($"**rows differ** in {tables[t].Name}: ingest {string.Join("/", ingested)}, load {string.Join("/", loaded)}");
            }
        }

        long rows = load.Rows.Sum();
        return string.Create(Inv, $"| {input.Shape} | {options.SizeLabel} | {Describe(target)} | {IngestPath(target)} | {ingest.Run.Wall:F2} | {load.Run.Wall:F2} | {load.Run.Wall / ingest.Run.Wall:F2} | {rows:N0} | {load.Run.PeakRss / 1e6:F0} | {load.Run.Cpu:F2} | {ingest.Run.Cpu:F2} | {load.Run.Load:F1} | {Escape(string.Join("; ", notes))} |");
    }

    private static string Describe(string target) => target switch
    {
        "postgres" => "PostgreSQL",
        "mariadb" => "MariaDB",
        "sqlite" => "SQLite",
        "duckdb" => "DuckDB",
        _ => target,
    };

    private static string IngestPath(string target) => target switch
    {
        "postgres" => "`psql -1`: `\\copy t FROM file (FORMAT csv, HEADER)` (COPY FROM STDIN)",
        "mariadb" => "`mariadb --local-infile=1`: `LOAD DATA LOCAL INFILE` in one transaction",
        "sqlite" => "`sqlite3`: `.import --csv --skip 1` in one transaction",
        "duckdb" => "DuckDB.NET child process: `COPY t FROM 'file' (FORMAT csv, HEADER)` in one transaction",
        _ => target,
    };

    private static async Task<LocalServer> ServerAsync(string target, Dictionary<string, LocalServer> servers, TextWriter log)
    {
        if (servers.TryGetValue(target, out LocalServer? server))
        {
            server.Require();
            return server;
        }

        log.WriteLine($"Starting a private {Describe(target)} server ...");
        server = target == "postgres" ? new PostgresServer() : new MariaDbServer();
        servers.Add(target, server);
        await server.InitializeAsync().ConfigureAwait(false);
        server.Require();
        return server;
    }

    /// <summary>A fresh database: its connection string (for <c>transmog load</c> and the row counts) and, for files, its path.</summary>
    private static async Task<(string Connection, string? File)> FreshAsync(string target, LocalServer? server, string work, string tag)
    {
        switch (target)
        {
            case "postgres":
                string pg = await ((PostgresServer)server!).CreateDatabaseAsync().ConfigureAwait(false);
                return (new NpgsqlConnectionStringBuilder(pg) { CommandTimeout = 0 }.ConnectionString, null);
            case "mariadb":
                string maria = await ((MariaDbServer)server!).CreateDatabaseAsync().ConfigureAwait(false);
                return (new MySqlConnectionStringBuilder(maria) { DefaultCommandTimeout = 0 }.ConnectionString, null);
            default:
                string file = Path.Combine(work, tag + (target == "duckdb" ? ".duckdb" : ".db"));
                DeleteDatabaseFile(file);
                return ("Data Source=" + file + (target == "sqlite" ? ";Pooling=False" : ""), file);
        }
    }

    private static async Task DropAsync(string target, LocalServer? server, string connection, string? file)
    {
        switch (target)
        {
            case "postgres":
            {
                NpgsqlConnection.ClearAllPools();
                string database = new NpgsqlConnectionStringBuilder(connection).Database!;
                await using var admin = new NpgsqlConnection(server!.AdminConnectionString);
                await admin.OpenAsync().ConfigureAwait(false);
                await using var command = new NpgsqlCommand($"DROP DATABASE \"{database}\" WITH (FORCE)", admin);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                break;
            }

            case "mariadb":
            {
                MySqlConnection.ClearAllPools();
                string database = new MySqlConnectionStringBuilder(connection).Database;
                await using var admin = new MySqlConnection(server!.AdminConnectionString);
                await admin.OpenAsync().ConfigureAwait(false);
                await using var command = new MySqlCommand($"DROP DATABASE `{database}`", admin);
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                break;
            }

            default:
                DeleteDatabaseFile(file!);
                break;
        }
    }

    private static void DeleteDatabaseFile(string file)
    {
        foreach (string path in (string[])[file, file + ".wal", file + "-journal", file + "-wal", file + "-shm"])
        {
            File.Delete(path);
        }
    }

    /// <summary>Rows per table (in the DDL's order) of the database.</summary>
    private static async Task<long[]> CountAsync(string target, string connectionString, List<Table> tables)
    {
        await using DbConnection connection = target switch
        {
            "postgres" => new NpgsqlConnection(connectionString),
            "mariadb" => new MySqlConnection(connectionString),
            "sqlite" => new SqliteConnection(connectionString),
            _ => new DuckDBConnection(connectionString),
        };
        await connection.OpenAsync().ConfigureAwait(false);
        long[] rows = new long[tables.Count];
        for (int t = 0; t < tables.Count; t++)
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {Quote(target, tables[t].Name)}";
            rows[t] = Convert.ToInt64(await command.ExecuteScalarAsync().ConfigureAwait(false), Inv);
        }

        return rows;
    }

    private static string Quote(string target, string identifier) => target == "mariadb"
        ? "`" + identifier.Replace("`", "``", StringComparison.Ordinal) + "`"
        : "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>The database's own bulk ingest of the CSV files, timed as one fresh process, into a fresh database.</summary>
    private static async Task<Side> IngestAsync(string target, LocalServer? server, List<Table> tables, string ddl, string csv, string work, string script, HarnessOptions options, bool timeTool)
    {
        (string connection, string? file) = await FreshAsync(target, server, work, "ingest").ConfigureAwait(false);
        try
        {
            var text = new StringBuilder();
            List<string> command;
            switch (target)
            {
                case "postgres":
                {
                    // psql's \copy runs COPY ... FROM STDIN and streams the file; -1 wraps the script in one transaction.
                    var b = new NpgsqlConnectionStringBuilder(connection);
                    text.AppendLine(ddl);
                    foreach (Table table in tables)
                    {
                        text.AppendLine(Inv, $"\\copy {Quote(target, table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(target, c.Name)))}) FROM {Literal(Path.Combine(csv, table.Name + ".csv"))} WITH (FORMAT csv, HEADER)");
                    }

                    command = [Tool("psql", "/usr/lib/postgresql/*/bin/psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-h", b.Host!, "-p", b.Port.ToString(Inv), "-U", b.Username!, "-d", b.Database!, "-f", script];
                    break;
                }

                case "mariadb":
                {
                    // LOAD DATA has no CSV null: each field goes through a user variable (MariaDbValue). DDL commits
                    // by itself in MariaDB.
                    var b = new MySqlConnectionStringBuilder(connection);
                    text.AppendLine(ddl);
                    text.AppendLine("START TRANSACTION;");
                    foreach (Table table in tables)
                    {
                        string path = Path.Combine(csv, table.Name + ".csv");
                        string newline = EndsWithCrLf(path) ? "\\r\\n" : "\\n";
                        var variables = table.Columns.Select((_, i) => "@v" + i.ToString(Inv));
                        var sets = table.Columns.Select((c, i) => $"{Quote(target, c.Name)} = " + MariaDbValue(c.Type, "@v" + i.ToString(Inv)));
                        text.AppendLine(Inv, $"LOAD DATA LOCAL INFILE {Literal(path)} INTO TABLE {Quote(target, table.Name)} CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '{newline}' IGNORE 1 LINES ({string.Join(", ", variables)}) SET {string.Join(", ", sets)};");
                        text.AppendLine("SHOW WARNINGS LIMIT 1;");
                        text.AppendLine(Inv, $"SELECT 'warnings', {Literal(table.Name)}, @@warning_count;");
                    }

                    text.AppendLine("COMMIT;");
                    command = [Tool("mariadb", "/usr/bin/mysql"), "--no-defaults", "--local-infile=1", "-h", b.Server, "-P", b.Port.ToString(Inv), "-u", b.UserID, "-N", "-B", "-D", b.Database, "-e", "source " + script];
                    break;
                }

                case "sqlite":
                {
                    // The shell's .import binds every field as text: STRICT tables would refuse true/false and empty
                    // fields in INTEGER columns, so the tables are created without STRICT (column affinity converts).
                    text.AppendLine(StrictRegex().Replace(ddl, ");"));
                    text.AppendLine("BEGIN;");
                    foreach (Table table in tables)
                    {
                        text.AppendLine(Inv, $".import --csv --skip 1 \"{Path.Combine(csv, table.Name + ".csv")}\" \"{table.Name}\"");
                    }

                    text.AppendLine("COMMIT;");
                    command = [Tool("sqlite3"), "-bail", file!, ".read \"" + script + "\""];
                    break;
                }

                default:
                {
                    text.AppendLine("BEGIN TRANSACTION;");
                    text.AppendLine(ddl);
                    foreach (Table table in tables)
                    {
                        text.AppendLine(Inv, $"COPY {Quote(target, table.Name)} ({string.Join(", ", table.Columns.Select(c => Quote(target, c.Name)))}) FROM {Literal(Path.Combine(csv, table.Name + ".csv"))} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"', ESCAPE '\"');");
                    }

                    text.AppendLine("COMMIT;");
                    command = [.. ProcessHarness.Self(), "--duckdb-ingest", file!, script];
                    break;
                }
            }

            await File.WriteAllTextAsync(script, text.ToString()).ConfigureAwait(false);
            ProcessHarness.RunResult run = ProcessHarness.Measure(ProcessHarness.Wrap(command, timeTool), timeTool, options.TimeoutSeconds);
            if (run.Error is not null)
            {
                throw new InvalidOperationException($"{Describe(target)} ingest: {run.Error}");
            }

            string note = target switch
            {
                "mariadb" => Warnings(run.Output),
                "duckdb" => run.Output.Split('\n').FirstOrDefault(l => l.StartsWith(DuckDbMarker, StringComparison.Ordinal)) is { } line
                    ? $"DuckDB's own time in the ingest child {line[DuckDbMarker.Length..].Trim()} s (the rest is the .NET process)"
                    : "",
                _ => "",
            };
            return new Side(run, await CountAsync(target, connection, tables).ConfigureAwait(false), note);
        }
        finally
        {
            await DropAsync(target, server, connection, file).ConfigureAwait(false);
        }
    }

    /// <summary>A fresh <c>transmog load</c> process into a fresh database.</summary>
    private static async Task<Side> LoadAsync(string target, LocalServer? server, string cli, InputFile input, string name, List<Table> tables, string work, HarnessOptions options, bool timeTool)
    {
        (string connection, string? file) = await FreshAsync(target, server, work, "load").ConfigureAwait(false);
        try
        {
            string provider = target switch { "mariadb" => "mysql", _ => target };
            List<string> command = [cli, "load", input.Path, "--to", file ?? connection, "--provider", provider, "--name", name, "--id-generation", "hash", "-q", .. ThreadArgs(options)];
            command.AddRange(options.CliArgs.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            ProcessHarness.RunResult run = ProcessHarness.Measure(ProcessHarness.Wrap(command, timeTool), timeTool, options.TimeoutSeconds);
            if (run.Error is not null)
            {
                throw new InvalidOperationException($"transmog load into {Describe(target)}: {run.Error}");
            }

            return new Side(run, await CountAsync(target, connection, tables).ConfigureAwait(false), "");
        }
        finally
        {
            await DropAsync(target, server, connection, file).ConfigureAwait(false);
        }
    }

    private static List<string> ThreadArgs(HarnessOptions options) => options.Threads is { } threads ? ["--threads", threads.ToString(Inv)] : [];

    /// <summary>Runs a preparation command (not timed); its standard output, or an error.</summary>
    private static string? Untimed(List<string> command, int timeoutSeconds, out string output)
    {
        var start = new ProcessStartInfo(command[0]);
        foreach (string argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        ChildProcess.Result result = ChildProcess.Run(start, TimeSpan.FromSeconds(timeoutSeconds));
        output = result.Output;
        return result.TimedOut ? $"timed out after {timeoutSeconds} s"
            : result.ExitCode != 0 ? $"exit code {result.ExitCode}: {result.Error.Trim()}"
            : null;
    }

    /// <summary>The executable on the PATH, else the first existing candidate (globs in a directory name allowed).</summary>
    private static string Tool(string name, params string[] candidates)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        foreach (string candidate in candidates)
        {
            int star = candidate.IndexOf('*', StringComparison.Ordinal);
            if (star < 0)
            {
                if (File.Exists(candidate))
                {
                    return candidate;
                }

                continue;
            }

            string root = candidate[..star].TrimEnd('/');
            string rest = candidate[(star + 1)..].TrimStart('/');
            if (Directory.Exists(root))
            {
                foreach (string dir in Directory.GetDirectories(root).OrderDescending(StringComparer.Ordinal))
                {
                    if (File.Exists(Path.Combine(dir, rest)))
                    {
                        return Path.Combine(dir, rest);
                    }
                }
            }
        }

        throw new InvalidOperationException($"{name} not found (scripts/services.sh installs the database clients).");
    }

    /// <summary>The tables of <c>transmog schema --ddl</c> output: names and columns (name, type) in order.</summary>
    private static List<Table> ParseDdl(string ddl)
    {
        var tables = new List<Table>();
        Table? current = null;
        foreach (string line in ddl.Split('\n'))
        {
            Match create = CreateRegex().Match(line);
            if (create.Success)
            {
                current = new Table(create.Groups[1].Value, []);
                tables.Add(current);
                continue;
            }

            Match column = ColumnRegex().Match(line);
            if (current is not null && column.Success)
            {
                current.Columns.Add((column.Groups[1].Value, column.Groups[2].Value.TrimEnd(',').Trim()));
            }
            else if (line.StartsWith(')'))
            {
                current = null;
            }
        }

        return tables.Count > 0 ? tables : throw new InvalidOperationException("transmog schema --ddl printed no CREATE TABLE.");
    }

    /// <summary>The column names of a CSV file's header line (RFC 4180 quoting).</summary>
    private static string[] Header(string file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8);
        string line = reader.ReadLine() ?? "";
        var names = new List<string>();
        var name = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    name.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    name.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                names.Add(name.ToString());
                name.Clear();
            }
            else
            {
                name.Append(c);
            }
        }

        names.Add(name.ToString());
        return [.. names];
    }

    private static bool EndsWithCrLf(string file)
    {
        using var reader = new StreamReader(file, Encoding.UTF8);
        string line = reader.ReadLine() ?? "";
        using FileStream stream = File.OpenRead(file);
        int length = Encoding.UTF8.GetByteCount(line);
        stream.Seek(length, SeekOrigin.Begin);
        return stream.ReadByte() == '\r';
    }

    /// <summary>
    /// The <c>SET</c> expression of one column of <c>LOAD DATA</c>: an empty field becomes NULL (so does a quoted empty
    /// string: LOAD DATA cannot tell them apart), <c>true</c>/<c>false</c> become 1/0, and a date-time with an offset
    /// (<c>Z</c>, <c>+02:00</c>) becomes its UTC time (MariaDB would truncate the offset with a warning), as the loader
    /// writes them.
    /// </summary>
    private static string MariaDbValue(string type, string variable)
    {
        if (type.StartsWith("BOOLEAN", StringComparison.OrdinalIgnoreCase))
        {
            return $"CASE {variable} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END";
        }

        if (type.StartsWith("DATETIME", StringComparison.OrdinalIgnoreCase))
        {
            return $"CASE WHEN {variable} = '' THEN NULL WHEN {variable} LIKE '%Z' THEN LEFT({variable}, LENGTH({variable}) - 1) "
                + $"WHEN {variable} REGEXP '[+-][0-9][0-9]:[0-9][0-9]$' THEN CONVERT_TZ(LEFT({variable}, LENGTH({variable}) - 6), RIGHT({variable}, 6), '+00:00') ELSE {variable} END";
        }

        return $"NULLIF({variable}, '')";
    }

    /// <summary>The tables whose <c>LOAD DATA</c> raised warnings (values MariaDB converted or truncated), from the client's output.</summary>
    private static string Warnings(string output)
    {
        var parts = output.Split('\n')
            .Select(l => l.Split('\t'))
            .Where(f => f.Length == 3 && f[0] == "warnings" && f[2].Trim() != "0")
            .Select(f => $"{f[1]} {f[2].Trim()}");
        string text = string.Join(", ", parts);
        string? first = output.Split('\n').FirstOrDefault(l => l.StartsWith("Warning\t", StringComparison.Ordinal) || l.StartsWith("Note\t", StringComparison.Ordinal));
        return text.Length == 0 ? "" : $"LOAD DATA warnings (converted or truncated values): {text}; first: {first?.Replace('\t', ' ').Trim()}";
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    [GeneratedRegex("""^CREATE TABLE [`"]((?:[^`"]|``|"")+)[`"] \(""")]
    private static partial Regex CreateRegex();

    [GeneratedRegex("""^\s+[`"]((?:[^`"]|``|"")+)[`"] (.+)$""")]
    private static partial Regex ColumnRegex();

    [GeneratedRegex(@"\)\s*STRICT\s*;")]
    private static partial Regex StrictRegex();
}
