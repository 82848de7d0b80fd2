using Transmog.Data.TestSupport.Servers;

namespace Transmog.Data.Loading.Tests.Servers;

// xunit finds collection definitions in the test assembly only: the servers live in Transmog.Data.TestSupport.

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}

[CollectionDefinition(Name)]
public sealed class MariaDbCollection : ICollectionFixture<MariaDbServer>
{
    public const string Name = "MariaDB server";
}
