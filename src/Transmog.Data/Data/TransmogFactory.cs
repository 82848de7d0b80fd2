using System.Data.Common;

namespace Transmog.Data;

/// <summary>
/// The provider factory, for <see cref="DbProviderFactories.RegisterFactory(string, DbProviderFactory)"/> and code that
/// works against <see cref="DbProviderFactory"/>.
/// </summary>
public sealed class TransmogFactory : DbProviderFactory
{
    /// <summary>The provider's invariant name.</summary>
    public const string InvariantName = "Transmog.Data";

    /// <summary>The single instance (the field <see cref="DbProviderFactories"/> looks for).</summary>
    public static readonly TransmogFactory Instance = new();

    private TransmogFactory()
    {
    }

    /// <inheritdoc />
    public override DbConnection CreateConnection() => new TransmogConnection();

    /// <inheritdoc />
    public override DbCommand CreateCommand() => new TransmogCommand();

    /// <inheritdoc />
    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new TransmogConnectionStringBuilder();

    /// <inheritdoc />
    public override DbParameter CreateParameter() => new TransmogParameter();
}
