using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Transmog.Data;

/// <summary>
/// Reads flattened tables. The command text is a table name, accepted with any <see cref="CommandType"/> (Dapper
/// sends a bare word as a stored procedure); <c>*</c> or empty text reads all tables as consecutive result sets
/// (main first, then children in first-seen order).
/// </summary>
internal sealed class TransmogCommand : DbCommand
{
    private readonly TransmogParameterCollection _parameters = new();
    private TransmogConnection? _connection;

    /// <summary>Creates a command.</summary>
    public TransmogCommand()
    {
    }

    /// <summary>Creates a command reading one table.</summary>
    /// <param name="table">The table name.</param>
    /// <param name="connection">The connection.</param>
    public TransmogCommand(string table, TransmogConnection connection)
    {
        CommandText = table;
        _connection = connection;
    }

    /// <inheritdoc />
    [AllowNull]
    public override string CommandText { get; set; } = string.Empty;

    /// <inheritdoc />
    public override int CommandTimeout { get; set; } = 30;

    /// <summary>Any value: the text is always a table name.</summary>
    public override CommandType CommandType { get; set; } = CommandType.Text;

    /// <inheritdoc />
    public override bool DesignTimeVisible { get; set; }

    /// <inheritdoc />
    public override UpdateRowSource UpdatedRowSource { get; set; }

    /// <inheritdoc />
    protected override DbConnection? DbConnection
    {
        get => _connection;
        set => _connection = value switch
        {
            null => null,
            TransmogConnection c => c,
            _ => throw new ArgumentException($"A TransmogCommand needs a TransmogConnection, not {value.GetType().Name}.", nameof(value)),
        };
    }

    /// <inheritdoc />
    protected override DbParameterCollection DbParameterCollection => _parameters;

    /// <summary>Always <c>null</c>: the provider has no transactions.</summary>
    protected override DbTransaction? DbTransaction { get; set; }

    /// <summary>Nothing to cancel between calls; close the reader to stop reading.</summary>
    public override void Cancel()
    {
    }

    /// <summary>Not supported: the provider only reads.</summary>
    public override int ExecuteNonQuery() =>
        throw new NotSupportedException("A Transmog command only reads tables: use ExecuteReader.");

    /// <inheritdoc />
    public override object? ExecuteScalar()
    {
        using DbDataReader reader = ExecuteReader(CommandBehavior.SingleRow);
        return reader.Read() && reader.FieldCount > 0 ? reader.GetValue(0) : null;
    }

    /// <inheritdoc />
    public override void Prepare()
    {
    }

    /// <inheritdoc />
    protected override DbParameter CreateDbParameter() => new TransmogParameter();

    /// <inheritdoc />
    protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior)
    {
        TransmogConnection connection = _connection ?? throw new InvalidOperationException("The command has no connection.");
        connection.RequireOpen();
        string text = CommandText.Trim();
        string? table = text.Length == 0 || text == "*" ? null : Unquote(text);
        TransmogDataReader reader = TransmogDataReader.Open(connection.Input(), connection.Database, table, connection.Options);
        if (behavior.HasFlag(CommandBehavior.CloseConnection))
        {
            reader.Closed += connection.Close;
        }

        return reader;
    }

    /// <inheritdoc />
    protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken cancellationToken) =>
        Task.Run(() => ExecuteDbDataReader(behavior), cancellationToken);

    /// <summary>Accepts a table name written as an identifier: <c>"x"</c>, <c>[x]</c> or <c>`x`</c>.</summary>
    private static string Unquote(string text) =>
        text.Length >= 2 && ((text[0] == '"' && text[^1] == '"') || (text[0] == '[' && text[^1] == ']') || (text[0] == '`' && text[^1] == '`'))
            ? text[1..^1]
            : text;
}
