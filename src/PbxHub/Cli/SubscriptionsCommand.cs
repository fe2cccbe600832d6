using System.CommandLine;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Delivery;
using PbxHub.Storage;
using Spectre.Console;

namespace PbxHub.Cli;

/// <summary><c>pbxhub subscriptions add|list|remove|rotate-secret</c>: the API's subscriptions, on the database directly.</summary>
internal static class SubscriptionsCommand
{
    public static Command Create()
    {
        var command = new Command("subscriptions", "Manage webhook subscriptions stored in the database");
        command.Subcommands.Add(Add());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(Rotate());
        return command;
    }

    private static Command Add()
    {
        var url = new Argument<string>("url") { Description = "The subscriber's HTTPS endpoint" };
        var types = new Option<string[]>("--event") { Description = "An event type to send (repeat; all when omitted)" };
        var accounts = new Option<string[]>("--account") { Description = "An account whose events to send (repeat; all when omitted)" };
        var description = new Option<string?>("--description");
        var disabled = new Option<bool>("--disabled") { Description = "Create it disabled" };
        var command = new Command("add", "Add a subscription and print its signing secret (shown once)") { url, types, accounts, description, disabled };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var input = new SubscriptionInput(parse.GetValue(url), parse.GetValue(types), parse.GetValue(accounts), !parse.GetValue(disabled), parse.GetValue(description));
            var problems = await Subscriptions.ProblemsAsync(
                input, creating: true, app.Services.GetRequiredService<AccountDirectory>(), app.Services.GetRequiredService<WebhookDestinations>(), ct);
            if (problems.Count > 0)
            {
                foreach (var problem in problems.Values.SelectMany(p => p))
                {
                    Console.Error.WriteLine(problem);
                }

                return 1;
            }

            var subscription = Subscriptions.New(input, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            await app.Services.GetRequiredService<ISubscriptionStore>().AddAsync(subscription, ct);
            Console.WriteLine($"Subscription {subscription.Id} added.");
            Console.WriteLine($"Signing secret (shown once): {subscription.Secret}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the subscriptions and their health");
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var table = new Table().AddColumns("id", "url", "events", "accounts", "enabled", "last success", "failing since");
            foreach (var s in (await app.Services.GetRequiredService<ISubscriptionStore>().ListAsync(ct)).Where(s => !Subscriptions.IsConnector(s.Id)))
            {
                table.AddRow(
                    s.Id, Markup.Escape(s.Url), Markup.Escape(All(s.EventTypes)), Markup.Escape(All(s.Accounts)),
                    s.Enabled ? "yes" : Markup.Escape($"no ({s.DisabledReason ?? "by a user"})"),
                    s.LastSuccessAt?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    s.FailingSince?.ToString("u", System.Globalization.CultureInfo.InvariantCulture) ?? "-");
            }

            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id");
        var command = new Command("remove", "Remove a subscription and its delivery log") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            if (!await app.Services.GetRequiredService<ISubscriptionStore>().RemoveAsync(parse.GetValue(id)!, ct))
            {
                Console.Error.WriteLine($"No subscription '{parse.GetValue(id)}'.");
                return 1;
            }

            Console.WriteLine($"Subscription {parse.GetValue(id)} removed.");
            return 0;
        });
        return command;
    }

    private static Command Rotate()
    {
        var id = new Argument<string>("id");
        var grace = new Option<TimeSpan?>("--grace") { Description = "How long the old secret keeps signing too (default PbxHub:Delivery:SecretRotationGrace, 24 h)" };
        var command = new Command("rotate-secret", "Give a subscription a new signing secret") { id, grace };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var store = app.Services.GetRequiredService<ISubscriptionStore>();
            if (await store.FindAsync(parse.GetValue(id)!, ct) is not { } current)
            {
                Console.Error.WriteLine($"No subscription '{parse.GetValue(id)}'.");
                return 1;
            }

            var period = parse.GetValue(grace) ?? app.Services.GetRequiredService<IOptions<DeliveryOptions>>().Value.SecretRotationGrace;
            var rotated = Subscriptions.Rotate(current, period, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            if (!await store.RotateSecretAsync(rotated, current.Secret, ct))
            {
                Console.Error.WriteLine("The secret was rotated by someone else meanwhile; nothing changed.");
                return 1;
            }

            Console.WriteLine($"New signing secret (shown once): {rotated.Secret}");
            Console.WriteLine(rotated.PreviousSecretUntil is { } until
                ? $"The old secret keeps signing alongside it until {until:u}."
                : "The old secret no longer signs.");
            return 0;
        });
        return command;
    }

    private static string All(IReadOnlyList<string> values) => values.Count == 0 ? "all" : string.Join(", ", values);
}
