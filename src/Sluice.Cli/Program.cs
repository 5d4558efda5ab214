using Sluice.Cli;

return await SluiceCli.RunAsync(args);
