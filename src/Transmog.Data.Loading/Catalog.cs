using System.Data.Common;
using System.Globalization;

namespace Transmog.Data.Loading;

/// <summary>One column of a table the database already holds.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Type">Its database type as the database reports it (e.g. <c>bigint</c>, <c>varchar(64)</c>, <c>tinyint(1)</c>).</param>
/// <param name="Width">Its width in characters for bounded text (<c>varchar(n)</c>); 0 when unbounded or not text.</param>
internal sealed record DbColumn(string Name, string Type, int Width)
{
    /// <summary>MariaDB's JSON: a LONGTEXT with a <c>json_valid</c> check.</summary>
    public bool JsonChecked { get; init; }
}

/// <summary>What the database already holds: its tables (in the current schema) and their columns.</summary>
internal static class Catalog
{
    /// <summary>Table name → column names, keyed with the dialect's identifier comparison.</summary>
    public static async Task<Dictionary<string, List<string>>> TablesAsync(DbConnection connection, Dialect dialect, CancellationToken cancellationToken)
    {
        Dictionary<string, List<DbColumn>> tables = await DescribeAsync(connection, dialect, cancellationToken).ConfigureAwait(false);
        var names = new Dictionary<string, List<string>>(dialect.IdentifierComparer);
        foreach ((string table, List<DbColumn> columns) in tables)
        {
            names[table] = [.. columns.Select(c => c.Name)];
        }

        return names;
    }

    /// <summary>Table name → columns with their database types, keyed with the dialect's identifier comparison.</summary>
    public static async Task<Dictionary<string, List<DbColumn>>> DescribeAsync(DbConnection connection, Dialect dialect, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, List<DbColumn>>(dialect.IdentifierComparer);
        string sql = dialect.Kind switch
        {
            SqlDialect.Sqlite => "SELECT m.name, p.name, p.type, NULL FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table' ORDER BY m.name, p.cid",
            SqlDialect.DuckDb => "SELECT table_name, column_name, data_type, NULL FROM information_schema.columns WHERE table_schema = current_schema() AND table_catalog = current_database() ORDER BY table_name, ordinal_position",
            SqlDialect.MySql => "SELECT table_name, column_name, column_type, character_maximum_length FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position",
            _ => $"SELECT table_name, column_name, data_type, character_maximum_length FROM information_schema.columns WHERE table_schema = {dialect.CurrentSchema} ORDER BY table_name, ordinal_position",
        };
        await using (DbCommand command = connection.CreateCommand())
        {
            command.CommandText = sql;
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                string table = reader.GetString(0);
                if (!tables.TryGetValue(table, out List<DbColumn>? columns))
                {
                    tables[table] = columns = [];
                }

                string type = reader.IsDBNull(2) ? string.Empty : Convert.ToString(reader.GetValue(2), CultureInfo.InvariantCulture)!;
                long width = reader.IsDBNull(3) ? 0 : Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture);
                if (dialect.Kind == SqlDialect.SqlServer && width > 0)
                {
                    type += "(" + width.ToString(CultureInfo.InvariantCulture) + ")";
                }
                else if (dialect.Kind == SqlDialect.SqlServer && width == -1)
                {
                    type += "(max)";
                }

                columns.Add(new DbColumn(reader.GetString(1), type, width is > 0 and < int.MaxValue ? (int)width : 0));
            }
        }

        if (dialect.Kind == SqlDialect.MySql)
        {
            await MarkMariaDbJsonAsync(connection, tables, cancellationToken).ConfigureAwait(false);
        }

        return tables;
    }

    /// <summary>MariaDB's JSON columns are LONGTEXT with a <c>json_valid(`c`)</c> check (MySQL has a real JSON type, and no TABLE_NAME there).</summary>
    private static async Task MarkMariaDbJsonAsync(DbConnection connection, Dictionary<string, List<DbColumn>> tables, CancellationToken cancellationToken)
    {
        var checks = new List<(string Table, string Clause)>();
        try
        {
            await using DbCommand command = connection.CreateCommand();
            command.CommandText = "SELECT table_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema = DATABASE()";
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                checks.Add((reader.GetString(0), reader.GetString(1)));
            }
        }
        catch (DbException)
        {
            return; // MySQL: JSON is its own type, reported as such.
        }

        foreach ((string table, string clause) in checks)
        {
            if (!tables.TryGetValue(table, out List<DbColumn>? columns))
            {
                continue;
            }

            for (int i = 0; i < columns.Count; i++)
            {
                if (clause == "json_valid(`" + columns[i].Name.Replace("`", "``", StringComparison.Ordinal) + "`)")
                {
                    columns[i] = columns[i] with { JsonChecked = true };
                }
            }
        }
    }
}
