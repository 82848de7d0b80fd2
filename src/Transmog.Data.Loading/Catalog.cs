using System.Data.Common;

namespace Transmog.Data.Loading;

/// <summary>What the database already holds: its tables (in the current schema) and their columns.</summary>
internal static class Catalog
{
    /// <summary>Table name → column names, keyed with the dialect's identifier comparison.</summary>
    public static async Task<Dictionary<string, List<string>>> TablesAsync(DbConnection connection, Dialect dialect, CancellationToken cancellationToken)
    {
        var tables = new Dictionary<string, List<string>>(dialect.IdentifierComparer);
        string sql = dialect.Kind switch
        {
            SqlDialect.Sqlite => "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table' ORDER BY m.name, p.cid",
            SqlDialect.DuckDb => "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_catalog = current_database() ORDER BY table_name, ordinal_position",
            _ => $"SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = {dialect.CurrentSchema} ORDER BY table_name, ordinal_position",
        };
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string table = reader.GetString(0);
            if (!tables.TryGetValue(table, out List<string>? columns))
            {
                tables[table] = columns = [];
            }

            columns.Add(reader.GetString(1));
        }

        return tables;
    }
}
