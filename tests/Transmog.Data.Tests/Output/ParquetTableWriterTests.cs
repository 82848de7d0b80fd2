using System.Data;
using System.Text;
using Parquet;
using Parquet.Schema;
using Transmog.Data.Output;

namespace Transmog.Data.Tests.Output;

public class ParquetTableWriterTests
{
    [Theory]
    [InlineData(ParquetCompression.Snappy, CompressionMethod.Snappy)]
    [InlineData(ParquetCompression.Gzip, CompressionMethod.Gzip)]
    [InlineData(ParquetCompression.Zstd, CompressionMethod.Zstd)]
    [InlineData(ParquetCompression.Brotli, CompressionMethod.Brotli)]
    [InlineData(ParquetCompression.None, CompressionMethod.None)]
    public async Task Writes_every_type_in_row_groups_with_each_compression(ParquetCompression compression, CompressionMethod expectedCodec)
    {
        var reports = new List<long>();
        using var stream = new MemoryStream();

        long rows = await ParquetTableWriter.WriteAsync(WriterTestData.CreateTable().CreateDataReader(), stream, new ParquetFormatOptions { Compression = compression }, 2, reports.Add, CancellationToken.None);

        Assert.Equal(5, rows);
        Assert.Equal([2, 4, 5], reports);
        stream.Position = 0;
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(3, reader.RowGroupCount);
        Assert.Equal([2L, 2L, 1L], reader.RowGroups.Select(g => g.RowCount));
        Assert.All(reader.RowGroups, g => Assert.All(g.RowGroup.Columns, c => Assert.Equal(expectedCodec, (CompressionMethod)c.MetaData!.Codec)));
        AssertSchema(reader.Schema);
        List<object?[]> actual = await ReadAllAsync(reader);
        AssertRows(actual);
    }

    [Fact]
    public async Task Custom_reader_is_written_with_typed_getters_only()
    {
        // The reader throws on GetValue, GetFieldValue and the indexers: the writer must not box.
        using var source = WriterTestData.CreateListReader();
        using var stream = new MemoryStream();

        long rows = await ParquetTableWriter.WriteAsync(source, stream, new ParquetFormatOptions(), 3, null, CancellationToken.None);

        Assert.Equal(5, rows);
        stream.Position = 0;
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(2, reader.RowGroupCount);

        // Column j reports data type name json: Parquet's JSON logical type, which Parquet.Net reads as UTF-8 bytes.
        DataField json = reader.Schema.DataFields[1];
        Assert.Equal(typeof(ReadOnlyMemory<byte>), json.ClrType);
        Assert.NotNull(reader.Metadata!.Schema[2].LogicalType!.JSON);
        Assert.Equal(Parquet.Meta.ConvertedType.JSON, reader.Metadata.Schema[2].ConvertedType);
        AssertSchema(reader.Schema, jsonColumn: 1);
        AssertRows(await ReadAllAsync(reader));
    }

    [Fact]
    public async Task Empty_reader_gives_a_valid_file_with_the_schema()
    {
        DataTable table = WriterTestData.CreateTable();
        table.Rows.Clear();
        var reports = new List<long>();
        using var stream = new MemoryStream();

        long rows = await ParquetTableWriter.WriteAsync(table.CreateDataReader(), stream, new ParquetFormatOptions(), 100, reports.Add, CancellationToken.None);

        Assert.Equal(0, rows);
        Assert.Empty(reports);
        stream.Position = 0;
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(0, reader.RowGroupCount);
        Assert.Equal(0, reader.Metadata!.NumRows);
        AssertSchema(reader.Schema);
    }

    [Fact]
    public async Task Column_names_keep_odd_characters()
    {
        string[] names = ["with space", "dot.ted", "a", "a.b", "quo\"te,comma", "ünï 日本 😀", "$[0].x", "tab\there"];
        var table = new DataTable();
        foreach (string name in names)
        {
            table.Columns.Add(name, typeof(long));
        }

        table.Rows.Add(names.Select((_, i) => (object)(long)i).ToArray());
        using var stream = new MemoryStream();

        await ParquetTableWriter.WriteAsync(table.CreateDataReader(), stream, new ParquetFormatOptions(), 10, null, CancellationToken.None);

        stream.Position = 0;
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(names, reader.Schema.DataFields.Select(f => f.Name));
        Assert.All(reader.Schema.DataFields, f => Assert.Equal(1, f.Path.Length));
        ParquetRowGroupReader group = reader.OpenRowGroupReader(0);
        for (int i = 0; i < names.Length; i++)
        {
            var values = new long?[1];
            await group.ReadAsync<long>(reader.Schema.DataFields[i], values.AsMemory());
            Assert.Equal(i, values[0]);
        }
    }

    [Fact]
    public async Task Row_groups_grow_their_buffers_as_rows_arrive()
    {
        const int count = 5000;
        var table = new DataTable();
        table.Columns.Add("l", typeof(long));
        table.Columns.Add("g", typeof(Guid));
        table.Columns.Add("s", typeof(string));
        var guids = new Guid[count];
        for (int i = 0; i < count; i++)
        {
            guids[i] = Guid.NewGuid();
            table.Rows.Add((long)i, i % 7 == 0 ? DBNull.Value : guids[i], "row " + i);
        }

        using var stream = new MemoryStream();
        long rows = await ParquetTableWriter.WriteAsync(table.CreateDataReader(), stream, new ParquetFormatOptions(), 3000, null, CancellationToken.None);

        Assert.Equal(count, rows);
        stream.Position = 0;
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal([3000L, 2000L], reader.RowGroups.Select(g => g.RowCount));
        int offset = 0;
        foreach (ParquetRowGroupReader group in reader.RowGroups)
        {
            int n = (int)group.RowCount;
            var l = new long?[n];
            var g = new Guid?[n];
            var s = new string?[n];
            await group.ReadAsync<long>(reader.Schema.DataFields[0], l.AsMemory());
            await group.ReadAsync<Guid>(reader.Schema.DataFields[1], g.AsMemory());
            await group.ReadAsync(reader.Schema.DataFields[2], s.AsMemory());
            for (int j = 0; j < n; j++)
            {
                int i = offset + j;
                Assert.Equal(i, l[j]);
                Assert.Equal(i % 7 == 0 ? null : guids[i], g[j]);
                Assert.Equal("row " + i, s[j]);
            }

            offset += n;
        }
    }

    [Fact]
    public async Task A_large_row_group_size_with_few_rows_writes_one_row_group()
    {
        using var stream = new MemoryStream();

        long rows = await ParquetTableWriter.WriteAsync(WriterTestData.CreateTable().CreateDataReader(), stream, new ParquetFormatOptions(), 1_000_000, null, CancellationToken.None);

        Assert.Equal(5, rows);
        stream.Position = 0;
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        Assert.Equal(1, reader.RowGroupCount);
        AssertRows(await ReadAllAsync(reader));
    }

    [Fact]
    public async Task Decimals_with_trailing_zeros_beyond_the_scale_are_exact()
    {
        var table = new DataTable();
        table.Columns.Add("m", typeof(decimal));
        table.Rows.Add(1.500000000000000m);
        table.Rows.Add(0.0000000010000m);
        using var stream = new MemoryStream();

        await ParquetTableWriter.WriteAsync(table.CreateDataReader(), stream, new ParquetFormatOptions(), 10, null, CancellationToken.None);

        stream.Position = 0;
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        var values = new decimal?[2];
        await reader.OpenRowGroupReader(0).ReadAsync<decimal>(reader.Schema.DataFields[0], values.AsMemory());
        Assert.Equal([1.5m, 0.000000001m], values);
    }

    [Fact]
    public async Task A_decimal_with_more_places_than_the_scale_fails_and_leaves_no_footer()
    {
        var table = new DataTable();
        table.Columns.Add("price", typeof(decimal));
        table.Rows.Add(1m);
        table.Rows.Add(2m);
        table.Rows.Add(0.1234567891m);
        using var stream = new MemoryStream();

        var error = await Assert.ThrowsAsync<TransmogException>(() =>
            ParquetTableWriter.WriteAsync(table.CreateDataReader(), stream, new ParquetFormatOptions(), 2, null, CancellationToken.None));

        Assert.Contains("'price'", error.Message);
        Assert.Contains("row 3", error.Message);
        Assert.Contains("0.1234567891", error.Message);
        byte[] bytes = stream.ToArray();
        Assert.False(bytes.Length >= 8 && Encoding.ASCII.GetString(bytes, bytes.Length - 4, 4) == "PAR1", "A failed write must not end with a footer.");
    }

    [Fact]
    public async Task Timestamps_keep_microseconds_and_are_utc()
    {
        var utc = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc).AddTicks(123_456_7);
        var table = new DataTable();
        table.Columns.Add("t", typeof(DateTime));
        table.Rows.Add(utc);
        table.Rows.Add(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified));
        table.Rows.Add(utc.ToLocalTime());
        using var stream = new MemoryStream();

        await ParquetTableWriter.WriteAsync(table.CreateDataReader(), stream, new ParquetFormatOptions(), 10, null, CancellationToken.None);

        stream.Position = 0;
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        var values = new DateTime?[3];
        await reader.OpenRowGroupReader(0).ReadAsync<DateTime>(reader.Schema.DataFields[0], values.AsMemory());
        DateTime expected = TruncateToMicroseconds(utc);
        Assert.All(values, v =>
        {
            Assert.Equal(expected, v);
            Assert.Equal(DateTimeKind.Utc, v!.Value.Kind);
        });
    }

    [Fact]
    public async Task Output_need_not_be_seekable_and_is_left_open()
    {
        using var inner = new MemoryStream();
        using var stream = new ForwardOnlyStream(inner);

        long rows = await ParquetTableWriter.WriteAsync(WriterTestData.CreateTable().CreateDataReader(), stream, new ParquetFormatOptions(), 2, null, CancellationToken.None);

        Assert.Equal(5, rows);
        Assert.True(inner.CanWrite);
        using var copy = new MemoryStream(inner.ToArray());
        await using ParquetReader reader = await ParquetReader.CreateAsync(copy);
        AssertRows(await ReadAllAsync(reader));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Row_group_size_below_one_is_a_configuration_error(int rowGroupSize)
    {
        using var stream = new MemoryStream();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            ParquetTableWriter.WriteAsync(WriterTestData.CreateTable().CreateDataReader(), stream, new ParquetFormatOptions(), rowGroupSize, null, CancellationToken.None));
    }

    [Fact]
    public async Task Unknown_column_types_are_output_errors()
    {
        var table = new DataTable();
        table.Columns.Add("span", typeof(TimeSpan));
        using var stream = new MemoryStream();

        var error = await Assert.ThrowsAsync<TransmogException>(() =>
            ParquetTableWriter.WriteAsync(table.CreateDataReader(), stream, new ParquetFormatOptions(), 10, null, CancellationToken.None));
        Assert.Contains("'span'", error.Message);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var stream = new MemoryStream();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ParquetTableWriter.WriteAsync(WriterTestData.CreateTable().CreateDataReader(), stream, new ParquetFormatOptions(), 2, null, cancelled.Token));
    }

    private static DateTime TruncateToMicroseconds(DateTime value) => new(value.Ticks - (value.Ticks % 10), value.Kind);

    private static void AssertSchema(ParquetSchema schema, int jsonColumn = -1)
    {
        DataField[] fields = schema.DataFields;
        Assert.Equal(WriterTestData.ColumnNames, fields.Select(f => f.Name));
        Assert.All(fields, f => Assert.True(f.IsNullable, f.Name));
        Assert.All(fields, f => Assert.False(f.IsArray, f.Name));

        Assert.Equal(typeof(string), fields[0].ClrType == typeof(ReadOnlyMemory<char>) ? typeof(string) : fields[0].ClrType);
        Assert.Equal(jsonColumn == 1 ? typeof(ReadOnlyMemory<byte>) : typeof(string), fields[1].ClrType == typeof(ReadOnlyMemory<char>) ? typeof(string) : fields[1].ClrType);
        Assert.Equal(typeof(long), fields[2].ClrType);
        DecimalDataField m = Assert.IsType<DecimalDataField>(fields[3]);
        Assert.Equal((ParquetTableWriter.DecimalPrecision, ParquetTableWriter.DecimalScale), (m.Precision, m.Scale));
        Assert.Equal(typeof(double), fields[4].ClrType);
        Assert.Equal(typeof(bool), fields[5].ClrType);
        DateTimeDataField t = Assert.IsType<DateTimeDataField>(fields[6]);
        Assert.Equal(DateTimeTimeUnit.Micros, t.Unit);
        Assert.True(t.IsAdjustedToUTC);
        Assert.Equal(typeof(Guid), fields[7].ClrType);
    }

    private static void AssertRows(List<object?[]> actual)
    {
        Assert.Equal(WriterTestData.Rows.Length, actual.Count);
        for (int row = 0; row < actual.Count; row++)
        {
            object?[] expected = WriterTestData.Rows[row];
            for (int column = 0; column < expected.Length; column++)
            {
                object? value = expected[column] switch
                {
                    DateTime d => DateTime.SpecifyKind(TruncateToMicroseconds(d), DateTimeKind.Utc),
                    var other => other,
                };
                Assert.True(Equals(value, actual[row][column]), $"row {row}, column {WriterTestData.ColumnNames[column]}: expected {value ?? "null"}, got {actual[row][column] ?? "null"}");
            }
        }
    }

    /// <summary>Reads every row group back with the typed readers, as rows of boxed values (test code only).</summary>
    private static async Task<List<object?[]>> ReadAllAsync(ParquetReader reader)
    {
        DataField[] fields = reader.Schema.DataFields;
        var rows = new List<object?[]>();
        foreach (ParquetRowGroupReader group in reader.RowGroups)
        {
            int n = (int)group.RowCount;
            var columns = new object?[fields.Length][];
            for (int c = 0; c < fields.Length; c++)
            {
                columns[c] = fields[c] switch
                {
                    DecimalDataField => Box(await Read<decimal>(group, fields[c], n)),
                    DateTimeDataField => Box(await Read<DateTime>(group, fields[c], n)),
                    var f when f.ClrType == typeof(long) => Box(await Read<long>(group, f, n)),
                    var f when f.ClrType == typeof(double) => Box(await Read<double>(group, f, n)),
                    var f when f.ClrType == typeof(bool) => Box(await Read<bool>(group, f, n)),
                    var f when f.ClrType == typeof(Guid) => Box(await Read<Guid>(group, f, n)),
                    var f when f.ClrType == typeof(ReadOnlyMemory<byte>) => await ReadUtf8(group, f, n),
                    var f => await ReadStrings(group, f, n),
                };
            }

            for (int r = 0; r < n; r++)
            {
                rows.Add([.. columns.Select(column => column[r])]);
            }
        }

        return rows;

        static async Task<T?[]> Read<T>(ParquetRowGroupReader group, DataField field, int n)
            where T : struct
        {
            var values = new T?[n];
            await group.ReadAsync<T>(field, values.AsMemory());
            return values;
        }

        static async Task<object?[]> ReadUtf8(ParquetRowGroupReader group, DataField field, int n)
        {
            var values = new byte[]?[n];
            await group.ReadAsync(field, values.AsMemory());
            return [.. values.Select(v => v is null ? null : Encoding.UTF8.GetString(v))];
        }

        static async Task<object?[]> ReadStrings(ParquetRowGroupReader group, DataField field, int n)
        {
            var values = new string?[n];
            await group.ReadAsync(field, values.AsMemory());
            return values;
        }

        static object?[] Box<T>(T?[] values)
            where T : struct => [.. values.Select(v => v.HasValue ? (object)v.Value : null)];
    }

    /// <summary>A write-only stream that cannot seek or tell its position, like a pipe.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
