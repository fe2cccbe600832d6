return await PbxHub.Cli.CliApp.RunAsync(args);
