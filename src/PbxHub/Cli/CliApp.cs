using System.CommandLine;

namespace PbxHub.Cli;

/// <summary>The <c>pbxhub</c> command line: one executable for the service and its tools.</summary>
internal static class CliApp
{
    public static readonly Option<string?> ConfigOption = new("--config")
    {
        Description = "An extra JSON configuration file (environment variables still override it)",
        Recursive = true,
    };

    public static readonly Option<string?> DataOption = new("--data")
    {
        Description = "The folder of the embedded SQLite database (default ./data)",
        Recursive = true,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (Console.IsOutputRedirected)
        {
            // Piped into a file or a script: tables keep whole ids and URLs instead of wrapping them at 80 columns.
            Spectre.Console.AnsiConsole.Profile.Width = 400;
        }

        var root = new RootCommand("PbxHub: one self-hosted hub for the call events of cloud PBXs.");
        root.Options.Add(ConfigOption);
        root.Options.Add(DataOption);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(AccountsCommand.Create(Providers.ProviderCatalog.Builtin));
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(SubscriptionsCommand.Create());
        root.Subcommands.Add(ConnectorsCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(Simulation.SimulateCommand.Create(Providers.ProviderCatalog.Builtin));
        root.Subcommands.Add(EmulateCommand.Create());
        root.Subcommands.Add(CallCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(Recordings.RecordingsCommand.Create());
        root.Subcommands.Add(Reconciliation.ReconcileCommand.Create());
        try
        {
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (ConfigurationProblemsException ex)
        {
            // One line a problem and no stack trace: the user fixes configuration, not code.
            foreach (var problem in ex.Problems)
            {
                Console.Error.WriteLine(problem);
            }

            Console.Error.WriteLine($"pbxhub did not start: {ex.Problems.Count} configuration problem(s), listed above.");
            return ConfigurationCheck.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception ex)
        {
            // What System.CommandLine's default handler does, which is off so that the case above is ours.
            Console.Error.WriteLine("Unhandled exception: " + ex);
            return 1;
        }
    }

    /// <summary>The hub's services for a verb that does not serve HTTP, with the schema migrated.</summary>
    public static async Task<WebApplication> ToolHostAsync(ParseResult parse, CancellationToken ct)
    {
        var app = ToolHost(parse);
        await PrepareAsync(app, ct);
        return app;
    }

    /// <summary>The hub's services for a verb, before anything touches the database.</summary>
    public static WebApplication ToolHost(ParseResult parse)
    {
        var app = HubHost.Build([], parse.GetValue(ConfigOption), parse.GetValue(DataOption));
        ConfigurationCheck.ThrowIfAny(app.Services);
        return app;
    }

    /// <summary>Migrates the schema (creating the database if there is none) and upgrades secrets stored in plain.</summary>
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        await app.Services.GetRequiredService<Storage.HubStore>().MigrateAsync(ct);
        await app.Services.GetRequiredService<Security.PlainSecretsUpgrade>().RunAsync(ct);
    }
}
