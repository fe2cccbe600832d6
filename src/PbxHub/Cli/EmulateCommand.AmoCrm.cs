using System.CommandLine;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Cli;

/// <summary><c>pbxhub emulate amocrm</c>: the amoCRM stand-in (docs/connectors/amocrm.md#the-stand-in).</summary>
internal static partial class EmulateCommand
{
    private static Command AmoCrmCommand(Option<string> urls)
    {
        var defaults = new AmoCrmEmulatorOptions();
        var clientId = new Option<string>("--client-id") { Description = "The integration's id", DefaultValueFactory = _ => defaults.ClientId };
        var clientSecret = new Option<string>("--client-secret") { Description = "The integration's secret key (signs the widget's tokens too)", DefaultValueFactory = _ => defaults.ClientSecret };
        var token = new Option<string>("--token") { Description = "A long-lived token the API accepts (AmoCrm:Token)", DefaultValueFactory = _ => defaults.LongLivedToken! };
        var tokenSeconds = new Option<int>("--token-seconds") { Description = "How long an OAuth access token lives (amoCRM: 86400)", DefaultValueFactory = _ => 86400 };
        var contacts = new Option<string[]>("--contact") { Description = "A contact's number amoCRM knows (default +79161234567, +79031112233)", AllowMultipleArgumentsPerToken = true };
        var install = new Option<string?>("--install") { Description = "A connector's install URL (…/connectors/{id}/install): an authorisation code is sent there at start" };
        var command = new Command("amocrm", "An amoCRM account's API (/api/v4/calls, /api/v4/leads/unsorted/sip, /api/v2/events, /api/v4/users) and OAuth (/oauth2/access_token); "
            + "what it was asked: GET /emulator/requests, /emulator/calls, /emulator/unsorted, /emulator/events; contacts: POST /emulator/contacts?phone=…; "
            + "faults: POST /emulator/limit?count=N (429), /emulator/expire, /emulator/down?on=true; "
            + "to a hub: POST /emulator/install?hub=INSTALL_URL, /emulator/click?hub=EVENTS_URL&user=504142&phone=79161234567")
        {
            urls, clientId, clientSecret, token, tokenSeconds, contacts, install,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new AmoCrmEmulatorOptions
            {
                ClientId = parse.GetValue(clientId)!, ClientSecret = parse.GetValue(clientSecret)!, LongLivedToken = parse.GetValue(token),
                TokenLifetime = TimeSpan.FromSeconds(parse.GetValue(tokenSeconds)),
            };
            if (parse.GetValue(contacts) is { Length: > 0 } numbers)
            {
                options.Contacts = [.. numbers];
            }

            await using var emulator = await AmoCrmEmulator.StartAsync(parse.GetValue(urls)!, options, TimeProvider.System, quiet: false);
            Console.WriteLine($"amoCRM stand-in at {emulator.BaseUrl}: AmoCrm:BaseUrl={emulator.BaseUrl} and AmoCrm:Token={options.LongLivedToken}, "
                + $"or AmoCrm:ClientId={options.ClientId} AmoCrm:ClientSecret={options.ClientSecret}; users {string.Join(", ", options.Users.Keys)}");
            if (parse.GetValue(install) is { } hub)
            {
                using var http = new HttpClient();
                using var sent = await emulator.InstallAsync(http, hub);
                Console.WriteLine($"authorisation code sent to {hub}: {(int)sent.StatusCode}");
            }

            return await WaitAsync(emulator.Host, ct);
        });
        return command;
    }
}
