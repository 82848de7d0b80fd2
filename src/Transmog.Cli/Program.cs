using Transmog.Cli;

return await TransmogCli.RunAsync(args, Console.Out, Console.Error);
