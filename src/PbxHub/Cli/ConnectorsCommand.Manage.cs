using System.CommandLine;
using PbxHub.Connectors;

namespace PbxHub.Cli;

/// <summary><c>pbxhub connectors add|remove|import-employees</c>: what <c>/api/v1/connectors</c> does, on the database directly.</summary>
internal static partial class ConnectorsCommand
{
    private static Command Add()
    {
        var id = new Argument<string>("id");
        var crm = new Option<string>("--crm") { Description = "bitrix24, amocrm or retailcrm", Required = true };
        var accounts = new Option<string?>("--accounts") { Description = "Comma-separated account ids (default: all)" };
        var employees = new Option<string[]>("--employee") { Description = "An extension or number and its CRM user, e.g. 101=5 (repeatable)" };
        var defaultUser = new Option<string?>("--default-user") { Description = "The CRM user for calls no mapped employee took, and the owner of missed calls" };
        var settings = new Option<string[]>("--setting") { Description = "A CRM setting as in configuration, e.g. Bitrix24:ClientId=local.abc or RetailCrm:ApiKey=… (repeatable)" };
        var command = new Command("add", "Add a connector (stored encrypted, as POST /api/v1/connectors does)") { id, crm, accounts, employees, defaultUser, settings };
        command.SetAction(async (parse, ct) =>
        {
            var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
            {
                ["Id"] = parse.GetValue(id), ["Crm"] = parse.GetValue(crm)?.ToLowerInvariant(), ["Accounts"] = parse.GetValue(accounts),
                ["DefaultUser"] = parse.GetValue(defaultUser),
            };
            foreach (var (prefix, values) in new[] { ("Employees:", parse.GetValue(employees)), ("", parse.GetValue(settings)) })
            {
                foreach (var pair in values ?? [])
                {
                    if (pair.Split('=', 2) is not [{ Length: > 0 } key, var value])
                    {
                        Console.Error.WriteLine($"'{pair}' is not KEY=VALUE.");
                        return 2;
                    }

                    pairs[prefix + key] = value;
                }
            }

            // Bound exactly as PbxHub:Connectors:N is, so the keys are those of configuration.
            var connector = new ConnectorOptions();
            new ConfigurationBuilder().AddInMemoryCollection(pairs).Build().Bind(connector);
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var (result, problems) = await app.Services.GetRequiredService<ConnectorAdmin>().CreateAsync(connector, ct);
            foreach (var problem in problems)
            {
                Console.Error.WriteLine(problem);
            }

            if (result == ConnectorAdmin.Change.Exists)
            {
                Console.Error.WriteLine($"A connector '{connector.Id}' exists already.");
            }

            if (result != ConnectorAdmin.Change.Done)
            {
                return 1;
            }

            Console.WriteLine($"Connector {connector.Id} added; the CRM posts its events to /connectors/{connector.Id}/events.");
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id");
        var command = new Command("remove", "Remove a connector added through the API or this command, with its deliveries and tokens") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var result = await app.Services.GetRequiredService<ConnectorAdmin>().DeleteAsync(parse.GetValue(id)!, ct);
            Console.WriteLine(result switch
            {
                ConnectorAdmin.Change.Unknown => $"No connector '{parse.GetValue(id)}'.",
                ConnectorAdmin.Change.Declared => $"Connector '{parse.GetValue(id)}' is declared in configuration: remove it from {ConnectorsOptions.Section}.",
                _ => $"Connector {parse.GetValue(id)} removed.",
            });
            return result == ConnectorAdmin.Change.Done ? 0 : 1;
        });
        return command;
    }

    private static Command ImportEmployees()
    {
        var id = new Argument<string>("id");
        var command = new Command("import-employees", "Map the CRM's users to extensions from the CRM itself (Bitrix24: user.get, UF_PHONE_INNER)") { id };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.ToolHostAsync(parse, ct);
            var import = await app.Services.GetRequiredService<ConnectorAdmin>().ImportEmployeesAsync(parse.GetValue(id)!, ct);
            if (import is null || import.Problem is not null)
            {
                Console.Error.WriteLine(import?.Problem ?? $"No connector '{parse.GetValue(id)}'.");
                return 1;
            }

            foreach (var (employee, user) in import.Employees.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"{employee} → {user}");
            }

            Console.WriteLine($"{import.Employees.Count} employees imported; a mapping declared for the connector wins over them.");
            return 0;
        });
        return command;
    }
}
