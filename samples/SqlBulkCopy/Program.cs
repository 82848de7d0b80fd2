// SqlBulkCopy straight from the flattening reader: one result set per table, parents first, in one transaction.
// Run: dotnet run --project samples/SqlBulkCopy -- "Server=localhost;Database=test;User ID=sa;Password=...;TrustServerCertificate=true" [INPUT.jsonl]
// Without a connection string it prints the DDL and what it would copy.
using Microsoft.Data.SqlClient;
using Transmog.Data;
using Transmog.Data.Loading;
using Transmog.Samples;

string? connectionString = args.Length > 0 && !File.Exists(args[0]) ? args[0] : Environment.GetEnvironmentVariable("TRANSMOG_SQLSERVER");
string input = SampleInput.Path(args, connectionString is null ? 0 : 1);
using TransmogDataReader reader = JsonFlattener.OpenReader(JsonInput.FromFile(input), "customers");
string ddl = TransmogDdl.CreateTables(reader.Tables, SqlDialect.SqlServer, foreignKeys: true);

if (connectionString is null)
{
    Console.WriteLine(ddl);
    do
    {
        long rows = 0;
        while (reader.Read())
        {
            rows++;
        }

        Console.WriteLine($"-- would copy {rows} rows into {reader.Table.Name}");
    }
    while (reader.NextResult());
    return;
}

await using var connection = new SqlConnection(connectionString);
await connection.OpenAsync();
await using SqlTransaction transaction = (SqlTransaction)await connection.BeginTransactionAsync();
await using (var create = new SqlCommand(ddl, connection, transaction))
{
    await create.ExecuteNonQueryAsync();
}

do
{
    using var bulk = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints, transaction)
    {
        DestinationTableName = TransmogDdl.QuoteIdentifier(reader.Table.Name, SqlDialect.SqlServer),
        EnableStreaming = true,
        BatchSize = 1000,
    };
    foreach (TransmogColumn column in reader.Table.Columns)
    {
        bulk.ColumnMappings.Add(column.Name, column.Name);  // names are kept as they are unless longer than 128
    }

    await bulk.WriteToServerAsync(reader);
    Console.WriteLine($"{reader.Table.Name,-36} {bulk.RowsCopied,6} rows");
}
while (reader.NextResult());
await transaction.CommitAsync();
