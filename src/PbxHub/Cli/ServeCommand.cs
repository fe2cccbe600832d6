using System.CommandLine;

namespace PbxHub.Cli;

internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "Run the service (ASP.NET Core options such as --urls pass through)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = HubHost.Build([.. parse.UnmatchedTokens], parse.GetValue(CliApp.ConfigOption), parse.GetValue(CliApp.DataOption));
            ConfigurationCheck.ThrowIfAny(app.Services);
            await app.StartAsync(ct);
            await FirstRunGuide.WriteAsync(app, Console.Out, ct);
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Apply the database schema migrations");
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            Spectre.Console.AnsiConsole.MarkupLine("[green]Database schema is current.[/]");
            return 0;
        });
        return command;
    }
}
