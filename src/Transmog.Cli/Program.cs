using Transmog.Cli;
using Transmog.Cli.Reporting;

using var interruption = new Interruption(Console.Out, Console.Error, args);
return await TransmogCli.RunAsync(args, Console.Out, Console.Error, null, interruption.Token);
