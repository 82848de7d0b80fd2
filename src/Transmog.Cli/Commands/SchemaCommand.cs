using System.CommandLine;
using Transmog.Data;

namespace Transmog.Cli.Commands;

/// <summary><c>transmog schema INPUT</c>: the tables, their columns and types.</summary>
internal static class SchemaCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var settings = new FlattenSettings();
        var command = new Command("schema", "Print the tables, columns and types that flattening produces.");
        settings.AddTo(command);
        command.SetAction(async (parsed, cancellationToken) =>
        {
            JsonInput input = FlattenSettings.OpenInput(parsed.GetValue(settings.Input)!);
            TransmogOptions options = settings.ToOptions(parsed);
            TransmogSchema schema = await Task.Run(() => JsonFlattener.ReadSchema(input, parsed.GetValue(settings.Name)!, options, cancellationToken), cancellationToken).ConfigureAwait(false);
            foreach (TransmogTable table in schema.Tables)
            {
                string parent = table.ParentName is null ? string.Empty : $", parent {table.ParentName}";
                await output.WriteLineAsync($"{table.Name} ({table.RowCount} rows{parent})").ConfigureAwait(false);
                foreach (TransmogColumn column in table.Columns)
                {
                    string role = column.Role == TransmogColumnRole.Data ? string.Empty : "  [" + column.Role.ToString().ToLowerInvariant() + "]";
                    await output.WriteLineAsync($"  {column.Name,-40} {column.DataTypeName}{role}").ConfigureAwait(false);
                }
            }

            return 0;
        });
        return command;
    }
}
