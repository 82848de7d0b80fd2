using System.Globalization;
using System.Text.Json;
using Parquet;
using Sylvan.Data.Csv;
using Xunit.Abstractions;

namespace Transmog.Data.Tests.Corpus;

/// <summary>
/// Every file of the shared real-world corpus, flattened and checked value by value against an independent
/// oracle, then written to CSV and Parquet and read back. Runs where the corpus exists (CI has it); elsewhere the
/// test reports itself skipped.
/// </summary>
public class CorpusRoundTripTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        string? dir = Repository.CorpusDirectory;
        if (dir is null)
        {
            // One case, which reports itself skipped.
            data.Add("(no corpus)");
            return data;
        }

        foreach (string file in Directory.GetFiles(dir).Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".ndjson", StringComparison.Ordinal)).Order())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(Files))]
    public async Task Corpus_file_round_trips_through_readers_csv_and_parquet(string file)
    {
        string dir = Repository.RequireCorpus();
        output.WriteLine(file);
        string path = Path.Combine(dir, file);
        if (file.EndsWith(".ndjson", StringComparison.Ordinal))
        {
            // Every line is an array, not an object: rejected clearly, like Python transmog.
            var ex = Assert.Throws<TransmogInputException>(() => JsonFlattener.Flatten(JsonInput.FromFile(path)));
            Assert.Contains("Expected JSON object on line 1", ex.Message);
            using var tolerant = JsonFlattener.Flatten(JsonInput.FromFile(path), "data", TransmogOptions.ErrorTolerant());
            Assert.Equal(File.ReadAllLines(path).Count(l => l.Trim().Length > 0), tolerant.Rejects.Count);
            return;
        }

        var oracle = new ReferenceFlattener("data");
        using (JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path)))
        {
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement record in document.RootElement.EnumerateArray())
                {
                    oracle.Add(record);
                }
            }
            else
            {
                oracle.Add(document.RootElement);
            }
        }

        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromFile(path));
        var ids = new Dictionary<string, List<object>>();
        foreach ((string tableName, List<ReferenceFlattener.Row> expectedRows) in oracle.Tables)
        {
            if (expectedRows.Count == 0)
            {
                continue;
            }

            FlattenedTable table = result[tableName];
            Assert.Equal(expectedRows.Count, table.RowCount);
            var tableIds = new List<object>();
            ids[tableName] = tableIds;
            using TransmogDataReader reader = table.CreateReader();
            int idOrdinal = reader.GetOrdinal("_id");
            int row = 0;
            while (reader.Read())
            {
                ReferenceFlattener.Row expected = expectedRows[row];
                tableIds.Add(reader.GetValue(idOrdinal));
                int dataCells = 0;
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    if (table.Schema.Columns[i].Role != TransmogColumnRole.Data || reader.IsDBNull(i))
                    {
                        continue;
                    }

                    dataCells++;
                    string name = reader.GetName(i);
                    Assert.True(expected.Cells.TryGetValue(name, out string? value), $"{file}: {tableName} row {row}: unexpected column {name}");
                    Assert.True(ReferenceFlattener.Matches(value!, reader.GetValue(i)), $"{file}: {tableName} row {row} column {name}: expected {value}, got {reader.GetValue(i)}");
                }

                Assert.Equal(expected.Cells.Count, dataCells);
                if (expected.ParentTable is not null)
                {
                    Assert.Equal(ids[expected.ParentTable][expected.ParentRow], reader.GetValue(reader.GetOrdinal("_parent_id")));
                }

                row++;
            }
        }

        Assert.Equal(oracle.Tables.Count(t => t.Value.Count > 0), result.AllTables.Count(t => t.RowCount > 0));
        await CheckFilesAsync(file, result);
    }

    private static async Task CheckFilesAsync(string file, FlattenResult result)
    {
        string csvDir = Io.TempDirectory();
        string parquetDir = Io.TempDirectory();
        try
        {
            IReadOnlyList<string> csvFiles = await JsonFlattener.FlattenStreamAsync(JsonInput.FromFile(Path.Combine(Repository.CorpusDirectory!, file)), csvDir, "data", new CsvFormatOptions(), new TransmogOptions { IdGeneration = IdGeneration.Hash });
            IReadOnlyList<string> parquetFiles = await JsonFlattener.FlattenStreamAsync(JsonInput.FromFile(Path.Combine(Repository.CorpusDirectory!, file)), parquetDir, "data", new ParquetFormatOptions(), new TransmogOptions { IdGeneration = IdGeneration.Hash });
            Assert.Equal(result.AllTables.Count(t => t.RowCount > 0), csvFiles.Count);
            Assert.Equal(csvFiles.Count, parquetFiles.Count);
            foreach (FlattenedTable table in result.AllTables.Where(t => t.RowCount > 0))
            {
                string csvPath = Path.Combine(csvDir, table.Name + ".csv");
                using TransmogDataReader expected = table.CreateReader();
                await using CsvDataReader csv = CsvDataReader.Create(csvPath, new CsvDataReaderOptions { HasHeaders = true, BufferSize = 1 << 22 });
                Assert.Equal(expected.FieldCount, csv.FieldCount);
                int rows = 0;
                while (expected.Read())
                {
                    Assert.True(csv.Read(), $"{file}: {table.Name}.csv ends early at row {rows}");
                    for (int i = 0; i < expected.FieldCount; i++)
                    {
                        string name = expected.GetName(i);
                        Assert.Equal(name, csv.GetName(i));
                        TransmogColumn column = table.Schema.Columns[i];
                        if (column.Role is TransmogColumnRole.Id or TransmogColumnRole.ParentId or TransmogColumnRole.Timestamp)
                        {
                            continue;
                        }

                        string text = csv.GetString(i);
                        if (expected.IsDBNull(i))
                        {
                            Assert.Equal(string.Empty, text);
                        }
                        else
                        {
                            Assert.Equal(TextOf(expected, i), text);
                        }
                    }

                    rows++;
                }

                Assert.False(csv.Read());

                await using ParquetReader parquet = await ParquetReader.CreateAsync(Path.Combine(parquetDir, table.Name + ".parquet"));
                long parquetRows = 0;
                for (int g = 0; g < parquet.RowGroupCount; g++)
                {
                    using ParquetRowGroupReader group = parquet.OpenRowGroupReader(g);
                    parquetRows += group.RowCount;
                }

                Assert.Equal(table.RowCount, parquetRows);
                Assert.Equal(table.Schema.Columns.Select(c => c.Name), parquet.Schema.DataFields.Select(f => f.Name));
            }
        }
        finally
        {
            Directory.Delete(csvDir, true);
            Directory.Delete(parquetDir, true);
        }
    }

    private static string TextOf(TransmogDataReader reader, int i) => reader.GetValue(i) switch
    {
        DateTime or DateTimeOffset => reader.GetString(i), // CSV writes dates and date-times as the input wrote them
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        object o => o.ToString()!,
    };
}
