using BenchmarkDotNet.Attributes;
using Transmog.Benchmarks.Generators;
using Transmog.Data;

namespace Transmog.Benchmarks.Micro;

/// <summary>
/// Per-record cost of flattening a ~1 KB customer record (orders, items, discounts, address, tags). The batch
/// benchmarks report time and allocations per record (<c>OperationsPerInvoke</c>); the single-record one shows the
/// fixed cost of one call (a run, its schema scan, its tables).
/// </summary>
[MemoryDiagnoser]
public class FlattenRecordBenchmarks
{
    private const int BatchRecords = 1000;

    private byte[] _batch = [];
    private byte[] _single = [];

    [GlobalSetup]
    public void Setup()
    {
        _batch = CustomersGenerator.GenerateBytes(BatchRecords, seed: 42);
        _single = CustomersGenerator.GenerateBytes(1, seed: 7);
    }

    /// <summary>In-memory <c>Flatten</c> of 1,000 records (schema scan + data pass), per record.</summary>
    [Benchmark(OperationsPerInvoke = BatchRecords)]
    public long FlattenInMemory_PerRecord()
    {
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromBytes(_batch), "customers", TransmogOptions.ForPerformance());
        return result.Main.RowCount;
    }

    /// <summary><c>OpenReader</c> over all tables, every cell through its typed getter, per record.</summary>
    [Benchmark(OperationsPerInvoke = BatchRecords)]
    public long ReadAllTables_PerRecord()
    {
        long sum = 0;
        using TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromBytes(_batch), "customers", table: null, TransmogOptions.ForPerformance());
        do
        {
            while (reader.Read())
            {
                for (int i = 0; i < reader.FieldCount; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        continue;
                    }

                    Type t = reader.GetFieldType(i);
                    sum += t == typeof(long) ? reader.GetInt64(i)
                        : t == typeof(double) ? (long)reader.GetDouble(i)
                        : t == typeof(bool) ? (reader.GetBoolean(i) ? 1 : 0)
                        : t == typeof(Guid) ? reader.GetGuid(i).GetHashCode() & 1
                        : t == typeof(DateTime) ? reader.GetDateTime(i).Ticks & 1
                        : t == typeof(decimal) ? (long)reader.GetDecimal(i)
                        : reader.GetString(i).Length;
                }
            }
        }
        while (reader.NextResult());
        return sum;
    }

    /// <summary>One ~1 KB record, one whole <c>Flatten</c> call: the fixed cost per call.</summary>
    [Benchmark]
    public long FlattenInMemory_SingleRecordCall()
    {
        using FlattenResult result = JsonFlattener.Flatten(JsonInput.FromBytes(_single), "customers");
        return result.Main.RowCount;
    }
}
