using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using PbxHub.Connectors;
using PbxHub.Storage;
using Spectre.Console;

namespace PbxHub.Cli;

/// <summary><c>pbxhub connectors list|enable|disable|recover|add|remove|import-employees</c>: the CRM connectors and their outbox, on the database directly.</summary>
internal static partial class ConnectorsCommand
{
    public static Command Create()
    {
        var command = new Command("connectors", "CRM connectors (docs/connectors.md): their health, pausing them, re-sending their events");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Enable(true));
        command.Subcommands.Add(Enable(false));
        command.Subcommands.Add(Recover());
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(ImportEmployees());
        return command;
    }

    private static Command List()
    {
        var baseUrl = new Option<string>("--base-url") { Description = "The hub's public URL, for the CRM's URLs", DefaultValueFactory = _ => "http://localhost:5000" };
        var command = new Command("list", "List the connectors, whether the CRM installed them, and their health") { baseUrl };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var connectors = await app.Services.GetRequiredService<ConnectorDirectory>().ListAsync(ct);
            var table = new Table().AddColumns("id", "crm", "accounts", "installed", "enabled", "last success", "failing since", "events URL");
            foreach (var c in await app.Services.GetRequiredService<ConnectorHealth>().ViewsAsync(connectors, parse.GetValue(baseUrl)!, ct))
            {
                table.AddRow(
                    Markup.Escape(c.Id), c.Crm, Markup.Escape(c.Accounts.Count == 0 ? "all" : string.Join(", ", c.Accounts)),
                    c.Installed ? Markup.Escape("yes" + (c.Portal is null ? "" : $" ({c.Portal})")) : "no",
                    c.Enabled ? "yes" : Markup.Escape($"no ({c.DisabledReason ?? "by a user"})"),
                    c.LastSuccessAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-", c.FailingSince?.ToString("u", CultureInfo.InvariantCulture) ?? "-",
                    Markup.Escape(c.EventsUrl));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Enable(bool on)
    {
        var id = new Argument<string>("id");
        var command = new Command(on ? "enable" : "disable", on ? "Start a connector again (one disabled after long failure too)" : "Pause a connector: nothing is queued for it until enabled (then recover --since)") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var row = ConnectorSubscriptions.SubscriptionIdOf(parse.GetValue(id)!);
            if (!await app.Services.GetRequiredService<ISubscriptionStore>().UpdateAsync(row, new SubscriptionChange(null, null, null, on, null), ct))
            {
                Console.Error.WriteLine($"No connector '{parse.GetValue(id)}' (it is created when a hub starts with it configured).");
                return 1;
            }

            Console.WriteLine($"Connector {parse.GetValue(id)} {(on ? "enabled" : "disabled")}.");
            return 0;
        });
        return command;
    }

    private static Command Recover()
    {
        var id = new Argument<string>("id");
        var since = new Option<DateTimeOffset>("--since") { Description = "Send every event stored since then again (ISO 8601)", Required = true };
        var command = new Command("recover", "Queue a connector's events since a time again; steps the CRM already has are not repeated") { id, since };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var subscriptions = app.Services.GetRequiredService<ISubscriptionStore>();
            if (await subscriptions.FindAsync(ConnectorSubscriptions.SubscriptionIdOf(parse.GetValue(id)!), ct) is not { } row)
            {
                Console.Error.WriteLine($"No connector '{parse.GetValue(id)}'.");
                return 1;
            }

            var count = await app.Services.GetRequiredService<IDeliveryStore>().RecoverAsync(
                row, parse.GetValue(since), app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
            Console.WriteLine($"{count} events queued for connector {parse.GetValue(id)}; a running hub sends them.");
            return 0;
        });
        return command;
    }
}
