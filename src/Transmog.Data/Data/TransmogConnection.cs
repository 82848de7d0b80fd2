using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Transmog.Data.Pipeline;

namespace Transmog.Data;

/// <summary>
/// A read-only ADO.NET connection to a JSON input: its "tables" are the flattened tables, read with a
/// <see cref="TransmogCommand"/> whose text is a table name. Works with Dapper and any <see cref="DbConnection"/> code.
/// </summary>
/// <example>
/// <code>
/// using var connection = new TransmogConnection("Data Source=orders.jsonl;Name=orders");
/// var items = connection.Query&lt;Item&gt;("orders_items");   // Dapper
/// </code>
/// </example>
public sealed class TransmogConnection : DbConnection
{
    private string _connectionString = string.Empty;
    private TransmogConnectionStringBuilder _settings = new();
    private TransmogOptions? _options;
    private TransmogSchema? _schema;
    private ConnectionState _state = ConnectionState.Closed;

    /// <summary>Creates a closed connection without a connection string.</summary>
    public TransmogConnection()
    {
    }

    /// <summary>Creates a closed connection.</summary>
    /// <param name="connectionString">The connection string (see <see cref="TransmogConnectionStringBuilder"/>).</param>
    public TransmogConnection(string connectionString)
    {
        ConnectionString = connectionString;
    }

    /// <inheritdoc />
    [AllowNull]
    public override string ConnectionString
    {
        get => _connectionString;
        set
        {
            if (_state != ConnectionState.Closed)
            {
                throw new InvalidOperationException("The connection string cannot change while the connection is open.");
            }

            var settings = new TransmogConnectionStringBuilder(value ?? string.Empty);
            _settings = settings;
            _connectionString = value ?? string.Empty;
            _options = null;
            _schema = null;
        }
    }

    /// <summary>The entity name (the main table's name).</summary>
    public override string Database => _settings.Name;

    /// <summary>The input file.</summary>
    public override string DataSource => _settings.DataSource;

    /// <inheritdoc />
    public override string ServerVersion => typeof(TransmogConnection).Assembly.GetName().Version?.ToString() ?? "0";

    /// <inheritdoc />
    public override ConnectionState State => _state;

    /// <inheritdoc />
    protected override DbProviderFactory DbProviderFactory => TransmogFactory.Instance;

    /// <summary>The flattening options of the connection string (with <see cref="LoggerFactory"/>).</summary>
    public TransmogOptions Options => _options ??= _settings.ToOptions() with { LoggerFactory = LoggerFactory };

    /// <summary>Where the runs of this connection's commands log (see <see cref="TransmogOptions.LoggerFactory"/>); <c>null</c>: no logging.</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory
    {
        get;
        set
        {
            field = value;
            _options = null;
        }
    }

    /// <inheritdoc />
    public override void Open()
    {
        if (_state == ConnectionState.Open)
        {
            return;
        }

        if (string.IsNullOrEmpty(_settings.DataSource))
        {
            throw new ArgumentException("The connection string has no Data Source (the JSON input file).");
        }

        if (!File.Exists(_settings.DataSource))
        {
            throw new ArgumentException($"The Data Source '{_settings.DataSource}' does not exist.");
        }

        _ = Options;
        _state = ConnectionState.Open;
    }

    /// <inheritdoc />
    public override Task OpenAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Open();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override void Close()
    {
        _state = ConnectionState.Closed;
    }

    /// <summary>Not supported: the entity name is part of the connection string.</summary>
    /// <param name="databaseName">Ignored.</param>
    public override void ChangeDatabase(string databaseName) =>
        throw new NotSupportedException("A Transmog connection reads one input; set Name in the connection string instead.");

    /// <summary>The tables and columns of the input (scanned once per connection and cached).</summary>
    public TransmogSchema GetTransmogSchema()
    {
        RequireOpen();
        return _schema ??= FlattenRun.ReadSchema(Input(), _settings.Name, Options, CancellationToken.None);
    }

    /// <summary>
    /// Schema collections: <c>MetaDataCollections</c>, <c>Tables</c> (restriction: table name) and <c>Columns</c>
    /// (restrictions: table name, column name).
    /// </summary>
    /// <inheritdoc />
    public override DataTable GetSchema() => GetSchema(DbMetaDataCollectionNames.MetaDataCollections);

    /// <inheritdoc />
    public override DataTable GetSchema(string collectionName) => GetSchema(collectionName, []);

    /// <inheritdoc />
    public override DataTable GetSchema(string collectionName, string?[] restrictionValues)
    {
        ArgumentNullException.ThrowIfNull(collectionName);
        string? tableFilter = restrictionValues.Length > 0 ? restrictionValues[0] : null;
        string? columnFilter = restrictionValues.Length > 1 ? restrictionValues[1] : null;
        switch (collectionName.ToLowerInvariant())
        {
            case "metadatacollections":
            {
                var table = new DataTable(DbMetaDataCollectionNames.MetaDataCollections);
                table.Columns.Add(DbMetaDataColumnNames.CollectionName, typeof(string));
                table.Columns.Add(DbMetaDataColumnNames.NumberOfRestrictions, typeof(int));
                table.Columns.Add(DbMetaDataColumnNames.NumberOfIdentifierParts, typeof(int));
                table.Rows.Add(DbMetaDataCollectionNames.MetaDataCollections, 0, 0);
                table.Rows.Add("Tables", 1, 1);
                table.Rows.Add("Columns", 2, 2);
                return table;
            }

            case "tables":
            {
                var table = new DataTable("Tables");
                table.Columns.Add("TABLE_NAME", typeof(string));
                table.Columns.Add("PARENT_TABLE_NAME", typeof(string));
                table.Columns.Add("ROW_COUNT", typeof(long));
                table.Columns.Add("COLUMN_COUNT", typeof(int));
                foreach (TransmogTable t in GetTransmogSchema().Tables)
                {
                    if (tableFilter is null || string.Equals(tableFilter, t.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        table.Rows.Add(t.Name, (object?)t.ParentName ?? DBNull.Value, (object?)t.RowCount ?? DBNull.Value, t.Columns.Count);
                    }
                }

                return table;
            }

            case "columns":
            {
                var table = new DataTable("Columns");
                table.Columns.Add("TABLE_NAME", typeof(string));
                table.Columns.Add("COLUMN_NAME", typeof(string));
                table.Columns.Add("ORDINAL_POSITION", typeof(int));
                table.Columns.Add("DATA_TYPE", typeof(string));
                table.Columns.Add("CLR_TYPE", typeof(string));
                table.Columns.Add("IS_NULLABLE", typeof(bool));
                table.Columns.Add("IS_KEY", typeof(bool));
                table.Columns.Add("ROLE", typeof(string));
                table.Columns.Add("MAX_LENGTH", typeof(int));
                foreach (TransmogTable t in GetTransmogSchema().Tables)
                {
                    if (tableFilter is not null && !string.Equals(tableFilter, t.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    foreach (TransmogColumn c in t.Columns)
                    {
                        if (columnFilter is null || string.Equals(columnFilter, c.Name, StringComparison.OrdinalIgnoreCase))
                        {
                            table.Rows.Add(t.Name, c.Name, c.Ordinal, c.DataTypeName, c.ClrType.FullName, c.AllowNull, c.Role == TransmogColumnRole.Id, c.Role.ToString(), c.MaxLength);
                        }
                    }
                }

                return table;
            }

            default:
                throw new ArgumentException($"Unknown schema collection '{collectionName}'. The collections: MetaDataCollections, Tables, Columns.", nameof(collectionName));
        }
    }

    /// <summary>Not supported: the provider reads; there is nothing to commit.</summary>
    /// <param name="isolationLevel">Ignored.</param>
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) =>
        throw new NotSupportedException("A Transmog connection only reads JSON: it has no transactions.");

    /// <inheritdoc />
    protected override DbCommand CreateDbCommand() => new TransmogCommand { Connection = this };

    internal JsonInput Input() => JsonInput.FromFile(_settings.DataSource);

    internal void RequireOpen()
    {
        if (_state != ConnectionState.Open)
        {
            throw new InvalidOperationException("The connection is not open.");
        }
    }
}
