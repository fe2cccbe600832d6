using System.CommandLine;
using PbxHub.Accounts;
using PbxHub.Providers;
using Spectre.Console;

namespace PbxHub.Cli;

internal static class AccountsCommand
{
    private static readonly Option<string> BaseUrlOption = new("--base-url")
    {
        Description = "The hub's public base URL, for the hook URL printed",
        DefaultValueFactory = _ => "http://localhost:5000",
    };

    public static Command Create(ProviderCatalog providers)
    {
        var command = new Command("accounts", "Manage provider accounts stored in the database");
        command.Subcommands.Add(Add(providers));
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command Add(ProviderCatalog providers)
    {
        var id = new Argument<string>("id") { Description = "A slug: lower-case letters, digits, '-' or '_'" };
        var provider = new Option<string>("--provider") { Description = "One of: " + string.Join(", ", providers.All.Select(p => p.Name)), Required = true };
        var secret = new Option<string?>("--secret") { Description = "The hook secret (generated when omitted)" };
        var zone = new Option<string?>("--time-zone") { Description = "IANA time zone (default: the provider's: " + string.Join(", ", providers.All.Select(p => $"{p.Name} {p.Adapter.DefaultTimeZone}")) + ")" };
        var country = new Option<string?>("--country") { Description = "Default country for numbers (default: the provider's: " + string.Join(", ", providers.All.Select(p => $"{p.Name} {p.Adapter.DefaultCountry}")) + ")" };
        var settings = new Option<string[]>("--setting") { Description = "Provider setting KEY=VALUE, e.g. Sipuni:UserNumber=012345", AllowMultipleArgumentsPerToken = false };
        var command = new Command("add", "Add an account and print its hook URL") { id, provider, secret, zone, country, settings, BaseUrlOption };
        command.SetAction(async (parse, ct) =>
        {
            var pairs = (parse.GetValue(settings) ?? []).Select(s => s.Split('=', 2)).ToList();
            if (pairs.Any(p => p.Length != 2))
            {
                AnsiConsole.MarkupLine("[red]--setting takes KEY=VALUE[/]");
                return 2;
            }

            var input = new AccountInput(parse.GetValue(id), parse.GetValue(provider), parse.GetValue(secret),
                parse.GetValue(zone), parse.GetValue(country), pairs.ToDictionary(p => p[0], p => p[1]));
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var account = AccountsEndpoints.FromInput(input, app.Services.GetRequiredService<ProviderRegistry>());
            try
            {
                await app.Services.GetRequiredService<AccountDirectory>().AddAsync(account, ct);
            }
            catch (Exception ex) when (ex is AccountInvalidException or AccountConflictException)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }

            var view = AccountsEndpoints.View(account, app.Services.GetRequiredService<ProviderRegistry>(), parse.GetValue(BaseUrlOption)!);
            Console.WriteLine($"Account '{view.Id}' ({view.Provider}) added.");
            Console.WriteLine("Paste this URL into the provider's settings:");
            Console.WriteLine(view.HookUrl ?? "(this provider sends no hooks)");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the accounts (database and configuration)") { BaseUrlOption };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var providers = app.Services.GetRequiredService<ProviderRegistry>();
            var table = new Table().AddColumns("id", "provider", "time zone", "country", "source", "hook URL");
            foreach (var a in await app.Services.GetRequiredService<AccountDirectory>().ListAsync(ct))
            {
                var view = AccountsEndpoints.View(a, providers, parse.GetValue(BaseUrlOption)!);
                table.AddRow(Markup.Escape(a.Id), a.Provider, a.TimeZone, a.Country, a.Source, Markup.Escape(view.HookUrl ?? "-"));
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id");
        var command = new Command("remove", "Remove an account stored in the database") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            if (!await app.Services.GetRequiredService<AccountDirectory>().RemoveAsync(parse.GetValue(id)!, ct))
            {
                Console.Error.WriteLine($"No account '{parse.GetValue(id)}' in the database.");
                return 1;
            }

            Console.WriteLine($"Account '{parse.GetValue(id)}' removed.");
            return 0;
        });
        return command;
    }
}
