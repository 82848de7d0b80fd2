using System.Data.Common;

namespace Transmog.Data;

/// <summary>
/// The base of every error Transmog.Data raises on purpose. It is a <see cref="DbException"/>, so ADO.NET
/// consumers that catch provider errors catch these too.
/// </summary>
public class TransmogException : DbException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, in one sentence.</param>
    public TransmogException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    /// <param name="message">What went wrong, in one sentence.</param>
    /// <param name="innerException">The cause.</param>
    public TransmogException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// The input is not what it must be: not JSON, not UTF-8, not an object where a record is expected, a record that
/// cannot be flattened without loss. <see cref="Position"/> says where.
/// </summary>
public class TransmogInputException : TransmogException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What is wrong, without the position (it is appended).</param>
    /// <param name="position">Where in the input.</param>
    /// <param name="innerException">The cause, if any.</param>
    internal TransmogInputException(string reason, SourcePosition position, Exception? innerException = null)
        : base(reason + " (" + position + ")", innerException)
    {
        Reason = reason;
        Position = position;
    }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>Where in the input.</summary>
    internal SourcePosition Position { get; }

    /// <summary>The file: a single file's path as given; among several, the path relative to the directory or pattern it was found by (as given when named explicitly); <c>null</c> for streams, text, bytes and records.</summary>
    public string? File => Position.File;

    /// <summary>The 1-based number of the record, or 0 when the problem is outside any record.</summary>
    public long RecordNumber => Position.RecordNumber;

    /// <summary>The table a record read after the schema was fixed does not fit (schema drift); otherwise <c>null</c>.</summary>
    public virtual string? Table => null;

    /// <summary>The column that is new or whose type does not fit (schema drift); otherwise <c>null</c>.</summary>
    public virtual string? ColumnName => null;

    /// <summary>The 1-based line of the problem.</summary>
    public long Line => Position.Line;

    /// <summary>The 1-based column (in bytes) of the problem.</summary>
    public long Column => Position.Column;

    /// <summary>The 0-based byte offset of the problem in the (decompressed) input.</summary>
    public long ByteOffset => Position.ByteOffset;

    /// <summary>The JSON path of the problem, such as <c>$[3].orders[0].price</c>.</summary>
    public string JsonPath => Position.JsonPath;
}

/// <summary>
/// A record read after the schema was fixed (inference window, explicit schema) does not fit it, and
/// <see cref="RecoveryMode.Strict"/> is in force.
/// </summary>
internal sealed class TransmogSchemaDriftException : TransmogInputException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What does not fit.</param>
    /// <param name="position">Where in the input.</param>
    /// <param name="table">The table concerned.</param>
    /// <param name="column">The column concerned.</param>
    internal TransmogSchemaDriftException(string reason, SourcePosition position, string table, string column)
        : base(reason, position)
    {
        _table = table;
        _column = column;
    }

    private readonly string _table;
    private readonly string _column;

    /// <summary>The table the record does not fit.</summary>
    public override string Table => _table;

    /// <summary>The column that is new or whose type does not fit.</summary>
    public override string ColumnName => _column;
}
