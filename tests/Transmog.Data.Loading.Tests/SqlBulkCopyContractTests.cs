using Microsoft.Data.SqlClient;
using Transmog.Data.Loading.Writers;
using DbDataReader = System.Data.Common.DbDataReader;

namespace Transmog.Data.Loading.Tests;

/// <summary>
/// No SQL Server runs here, so this drives a <see cref="TransmogDataReader"/> the way <c>SqlBulkCopy</c> reads a
/// <see cref="DbDataReader"/> source: the column mappings the loader sets up on a real <see cref="SqlBulkCopy"/>,
/// resolved by name with <c>GetOrdinal</c> (and by ordinal), then per row <c>IsDBNull</c> and <c>GetValue</c>, or
/// <c>GetTextReader</c> for NVARCHAR(MAX) destinations when streaming. Each value must be of the CLR type SqlBulkCopy
/// converts to the destination column type of our SQL Server DDL, and fit it.
/// </summary>
public sealed class SqlBulkCopyContractTests
{
    private static readonly TransmogOptions Options = new() { IdGeneration = IdGeneration.Hash, IncludeArrayIndex = true, IncludeRootId = true };

    public static TheoryData<string> Inputs() => new() { "sample", "hostile" };

    private static JsonInput Input(string which) => which == "sample" ? JsonInput.FromFile(Repository.SamplePath) : JsonInput.FromString(TestData.HostileJson);

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Every_table_reads_as_SqlBulkCopy_reads_it_with_name_mappings(string which)
    {
        TransmogOptions options = which == "hostile" ? Options with { RealNumbers = TransmogColumnType.Decimal } : Options;
        var expected = TestData.Expected(Input(which), "data", options);
        using TransmogDataReader transmog = JsonFlattener.OpenReader(Input(which), "data", null, options);
        IReadOnlyList<TableNames> names = TableNames.For(transmog.Tables, Dialect.SqlServer);
        TypeContext context = TransmogDdl.ContextOf(transmog.Tables, widthsKnown: true);
        int tableIndex = 0;
        do
        {
            TableNames target = names[tableIndex++];
            Assert.Same(target.Table, transmog.Table);

            // What the loader hands SqlBulkCopy for this table.
            DbDataReader reader = MappedValueReader.ForSqlServer(transmog, transmog.Table.Name);
            string[] sqlTypes = [.. target.Table.Columns.Select(c => Dialect.SqlServer.TypeOf(c, context))];

            using var bulk = new SqlBulkCopy(new SqlConnection("Server=unused;Encrypt=false"));
            SqlServerWriter.MapColumns(bulk, transmog.Table, target.Columns);
            Assert.Equal(reader.FieldCount, bulk.ColumnMappings.Count);

            // SqlBulkCopy resolves each source column name once, before the first row.
            int[] ordinals = new int[bulk.ColumnMappings.Count];
            for (int m = 0; m < ordinals.Length; m++)
            {
                SqlBulkCopyColumnMapping mapping = bulk.ColumnMappings[m];
                ordinals[m] = mapping.SourceOrdinal >= 0 && string.IsNullOrEmpty(mapping.SourceColumn) ? mapping.SourceOrdinal : reader.GetOrdinal(mapping.SourceColumn);
                Assert.Equal(m, ordinals[m]);
                Assert.Equal(target.Columns[m], mapping.DestinationColumn);
            }

            long rows = 0;
            var seen = new Dictionary<string, string[]>();
            while (reader.Read())
            {
                rows++;
                string[] canon = new string[ordinals.Length];
                for (int m = 0; m < ordinals.Length; m++)
                {
                    int ordinal = ordinals[m];
                    TransmogColumn column = transmog.Table.Columns[ordinal];
                    if (reader.IsDBNull(ordinal))
                    {
                        Assert.NotEqual(TransmogColumnRole.Id, column.Role);
                        Assert.Same(DBNull.Value, reader.GetValue(ordinal));
                        canon[m] = TestData.Canon(null, column.Type);
                        continue;
                    }

                    object value;
                    if (sqlTypes[m] == "NVARCHAR(MAX)")
                    {
                        using TextReader text = reader.GetTextReader(ordinal);
                        value = text.ReadToEnd();
                        Assert.Equal(reader.GetValue(ordinal), value);
                    }
                    else
                    {
                        value = reader.GetValue(ordinal);
                    }

                    CheckFits(sqlTypes[m], value, column);
                    canon[m] = TestData.Canon(value, column.Type);
                }

                seen[canon[TestData.IdOrdinal(transmog.Table)]] = canon;
            }

            (TransmogTable table, Dictionary<string, string[]> expectedRows) = expected[transmog.Table.Name];
            Assert.Equal(expectedRows.Count, rows);
            foreach ((string id, string[] values) in expectedRows)
            {
                for (int i = 0; i < values.Length; i++)
                {
                    if (table.Columns[i].Role != TransmogColumnRole.Timestamp)
                    {
                        Assert.Equal(values[i], seen[id][i]);
                    }
                }
            }
        }
        while (transmog.NextResult());
        Assert.Equal(names.Count, tableIndex);
    }

    [Fact]
    public void A_decimal_that_DECIMAL_38_10_would_round_is_an_error_not_a_silent_change()
    {
        using TransmogDataReader transmog = JsonFlattener.OpenReader(
            JsonInput.FromString("""{"p": 0.12345678901}"""), "d", null, new TransmogOptions { RealNumbers = TransmogColumnType.Decimal });
        DbDataReader reader = MappedValueReader.ForSqlServer(transmog, transmog.Table.Name);
        Assert.True(reader.Read());
        TransmogException error = Assert.Throws<TransmogException>(() => reader.GetValue(0));
        Assert.Contains("DECIMAL(38,10)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordinal_mappings_and_GetValues_serve_the_same_values()
    {
        using TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromFile(Repository.SamplePath), "customers", "customers_orders", Options);
        using var bulk = new SqlBulkCopy(new SqlConnection("Server=unused;Encrypt=false"));
        for (int i = 0; i < reader.FieldCount; i++)
        {
            bulk.ColumnMappings.Add(i, reader.GetName(i));
        }

        object[] values = new object[reader.FieldCount];
        while (reader.Read())
        {
            Assert.Equal(reader.FieldCount, reader.GetValues(values));
            foreach (SqlBulkCopyColumnMapping mapping in bulk.ColumnMappings)
            {
                Assert.Equal(values[mapping.SourceOrdinal], reader.GetValue(mapping.SourceOrdinal));
                Assert.Equal(mapping.SourceOrdinal, reader.GetOrdinal(mapping.DestinationColumn));
                Assert.Equal(mapping.SourceOrdinal, reader.GetOrdinal(mapping.DestinationColumn.ToUpperInvariant()));
            }
        }

        Assert.Throws<IndexOutOfRangeException>(() => reader.GetOrdinal("no such column"));
    }

    /// <summary>The CLR type SqlBulkCopy needs for each destination type of our DDL, and the value within the type's range.</summary>
    private static void CheckFits(string sqlType, object value, TransmogColumn column)
    {
        switch (sqlType)
        {
            case "BIGINT": Assert.IsType<long>(value); break;
            case "FLOAT": Assert.IsType<double>(value); break;
            case "BIT": Assert.IsType<bool>(value); break;
            case "UNIQUEIDENTIFIER": Assert.IsType<Guid>(value); break;
            case "DATETIME2(6)":
                // The run's timestamp is UTC; the data's date-times are as written, without offset.
                Assert.Equal(column.Role == TransmogColumnRole.Timestamp ? DateTimeKind.Utc : DateTimeKind.Unspecified, Assert.IsType<DateTime>(value).Kind);
                Assert.Equal(0, ((DateTime)value).Ticks % 10);
                break;
            case "DATE":
                Assert.Equal(TimeSpan.Zero, Assert.IsType<DateTime>(value).TimeOfDay);
                break;
            case "DATETIMEOFFSET(6)":
                Assert.Equal(0, Assert.IsType<DateTimeOffset>(value).Ticks % 10);
                break;
            case "DECIMAL(38,10)":
                decimal d = Assert.IsType<decimal>(value);
                Assert.Equal(d, decimal.Round(d, 10));
                break;
            default:
                string s = Assert.IsType<string>(value);
                if (sqlType.StartsWith("NVARCHAR(", StringComparison.Ordinal) && !sqlType.StartsWith("NVARCHAR(MAX)", StringComparison.Ordinal))
                {
                    int width = int.Parse(sqlType.AsSpan(9, sqlType.IndexOf(')') - 9), System.Globalization.CultureInfo.InvariantCulture);
                    Assert.True(s.Length <= width, $"{column.Name}: '{s}' is longer than {sqlType}");
                }

                break;
        }
    }
}
