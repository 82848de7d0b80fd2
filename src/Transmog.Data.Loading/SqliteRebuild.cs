using System.Data.Common;
using System.Text;
using Transmog.Data.Loading.Writers;

namespace Transmog.Data.Loading;

/// <summary>
/// SQLite cannot change a column's type in place: the table is rebuilt in the load's transaction — a new table with
/// the same columns, primary key and foreign keys (and STRICT), the rows copied with <c>CAST</c>, the old table
/// dropped and the new one renamed.
/// </summary>
internal static class SqliteRebuild
{
    public static async Task RunAsync(DbConnection connection, DbTransaction transaction, TableNames table, Dictionary<string, string> newTypes, CancellationToken cancellationToken)
    {
        Dialect dialect = Dialect.Sqlite;
        string literal = "'" + table.Name.Replace("'", "''", StringComparison.Ordinal) + "'";
        var columns = new List<(string Name, string Type, bool NotNull, int Key)>();
        await using (DbCommand command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT name, type, \"notnull\", pk FROM pragma_table_info({literal}) ORDER BY cid";
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2) != 0, (int)reader.GetInt64(3)));
            }
        }

        var foreignKeys = new List<(string Table, string From, string To)>();
        await using (DbCommand command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list({literal}) ORDER BY id, seq";
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                foreignKeys.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? string.Empty : reader.GetString(2)));
            }
        }

        bool strict;
        await using (DbCommand command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT sql FROM sqlite_master WHERE type = 'table' AND name = {literal}";
            strict = (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string ?? string.Empty).TrimEnd().EndsWith("STRICT", StringComparison.OrdinalIgnoreCase);
        }

        string rebuilt = dialect.Quote(table.Name + "_transmog_rebuild");
        var create = new StringBuilder("CREATE TABLE ").Append(rebuilt).Append(" (\n");
        var select = new List<string>();
        foreach ((string name, string type, bool notNull, _) in columns)
        {
            string quoted = dialect.Quote(name);
            string newType = newTypes.TryGetValue(name, out string? widened) ? widened : type;
            create.Append("  ").Append(quoted).Append(' ').Append(newType).Append(notNull ? " NOT NULL" : string.Empty).Append(",\n");
            select.Add(widened is null ? quoted : $"CAST({quoted} AS {widened})");
        }

        string[] keys = [.. columns.Where(c => c.Key > 0).OrderBy(c => c.Key).Select(c => dialect.Quote(c.Name))];
        if (keys.Length > 0)
        {
            create.Append("  PRIMARY KEY (").AppendJoin(", ", keys).Append("),\n");
        }

        foreach ((string parent, string from, string to) in foreignKeys)
        {
            create.Append("  FOREIGN KEY (").Append(dialect.Quote(from)).Append(") REFERENCES ").Append(dialect.Quote(parent))
                .Append(to.Length > 0 ? " (" + dialect.Quote(to) + ")" : string.Empty).Append(",\n");
        }

        create.Length -= 2;
        create.Append("\n)").Append(strict ? " STRICT" : string.Empty);
        string columnList = string.Join(", ", columns.Select(c => dialect.Quote(c.Name)));
        foreach (string sql in (string[])[
            "DROP TABLE IF EXISTS " + rebuilt,
            create.ToString(),
            $"INSERT INTO {rebuilt} ({columnList}) SELECT {string.Join(", ", select)} FROM {table.Quoted}",
            "DROP TABLE " + table.Quoted,
            $"ALTER TABLE {rebuilt} RENAME TO {table.Quoted}"])
        {
            await BulkWriter.ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
        }
    }
}
