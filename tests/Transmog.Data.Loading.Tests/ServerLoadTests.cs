using System.Data.Common;
using MySqlConnector;
using Npgsql;
using Transmog.Data.Loading.Tests.Servers;

namespace Transmog.Data.Loading.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLoadTests(PostgresServer server) : LoadTestsBase
{
    protected override SqlDialect Dialect => SqlDialect.PostgreSql;

    protected override async Task<DbConnection> NewDatabaseAsync() => new NpgsqlConnection(await server.CreateDatabaseAsync());
}

[Collection(MariaDbCollection.Name)]
public sealed class MariaDbLoadTests(MariaDbServer server) : LoadTestsBase
{
    protected override SqlDialect Dialect => SqlDialect.MySql;

    protected override async Task<DbConnection> NewDatabaseAsync() => new MySqlConnection(await server.CreateDatabaseAsync());
}
