using System.CommandLine;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Cli;

/// <summary><c>pbxhub emulate uis|evrotel|bitrix24|sipuni|amocrm|retailcrm</c>: a local stand-in of a provider's outbound API or of a CRM, for development, demos and tests.</summary>
internal static partial class EmulateCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen", DefaultValueFactory = _ => "http://127.0.0.1:5090" };

        var login = new Option<string>("--login") { Description = "The API user's login", DefaultValueFactory = _ => "pbxhub" };
        var password = new Option<string>("--password") { Description = "The API user's password", DefaultValueFactory = _ => "pbxhub" };
        var lifetime = new Option<int>("--session-seconds") { Description = "How long a session key lives (the document: 3600)", DefaultValueFactory = _ => 3600 };
        var numbers = new Option<string[]>("--service-number") { Description = "A service number (numb) of the customer; none: any", AllowMultipleArgumentsPerToken = true };
        var accessToken = new Option<string>("--access-token") { Description = "The Data API key (access_token) the call history answers to", DefaultValueFactory = _ => "pbxhub" };
        var uis = new Command("uis", $"UIS Call API v1 at POST /v1 and the Data API's call history at POST /v2.0. Errors on demand: client number {UisEmulator.ErrorPrefix}<code> (e.g. 79990032004 → -32004), {UisEmulator.FailingClient} → result fail, {UisEmulator.SlowClient} → a late answer")
        {
            urls, login, password, lifetime, numbers, accessToken,
        };
        uis.SetAction(async (parse, ct) => await RunAsync(UisEmulator.StartAsync(parse.GetValue(urls)!, new UisEmulatorOptions
        {
            Login = parse.GetValue(login)!,
            Password = parse.GetValue(password)!,
            SessionLifetime = TimeSpan.FromSeconds(parse.GetValue(lifetime)),
            ServiceNumbers = [.. parse.GetValue(numbers) ?? []],
            AccessToken = parse.GetValue(accessToken)!,
        }, TimeProvider.System, quiet: false), "UIS Call API v1 at {0}/v1, Data API v2.0 at {0}/v2.0", ct));

        var token = new Option<string>("--token") { Description = "The token expected in Authorization", DefaultValueFactory = _ => "G7bng65jYk8GF294" };
        var billCode = new Option<string>("--billcode") { Description = "The customer's bill code", DefaultValueFactory = _ => "20558" };
        var hubUrl = new Option<string?>("--hub-url") { Description = "Where to POST the call events after a click-to-call (the hub's /hooks/{account})" };
        var talk = new Option<int>("--talk-seconds") { Description = "Seconds between the start and end events", DefaultValueFactory = _ => 5 };
        var evrotel = new Command("evrotel", "Evrotel's webapp/, autodial/media/, autodial/ and statistics page statusers/stat_{billcode}.php; with --hub-url, a click-to-call's start and end events go to the hub")
        {
            urls, token, billCode, hubUrl, talk,
        };
        evrotel.SetAction(async (parse, ct) => await RunAsync(EvrotelEmulator.StartAsync(parse.GetValue(urls)!, new EvrotelEmulatorOptions
        {
            Token = parse.GetValue(token)!,
            BillCode = parse.GetValue(billCode)!,
            HubUrl = parse.GetValue(hubUrl),
            TalkTime = TimeSpan.FromSeconds(parse.GetValue(talk)),
        }, TimeProvider.System, quiet: false), "Evrotel API at {0}/", ct));

        var bitrix24 = Bitrix24Command(urls);
        return new Command("emulate", "Run a local stand-in of a provider's outbound API or of a CRM") { uis, evrotel, bitrix24, SipuniCommand(urls), AmoCrmCommand(urls), RetailCrmCommand(urls) };
    }

    private static Command SipuniCommand(Option<string> urls)
    {
        var user = new Option<string>("--user") { Description = "The cabinet's user number (Sipuni:User)", DefaultValueFactory = _ => new SipuniEmulatorOptions().User };
        var secret = new Option<string>("--secret") { Description = "The integration key (Sipuni:ApiSecret)", DefaultValueFactory = _ => new SipuniEmulatorOptions().Secret };
        var command = new Command("sipuni", "Sipuni's call history at POST /api/statistic/export (CSV); calls: POST /_emulator/history (JSON array); "
            + "faults: POST /_emulator/fault?mode=error|html|json|garbage|empty|slow|none") { urls, user, secret };
        command.SetAction(async (parse, ct) => await RunAsync(SipuniEmulator.StartAsync(parse.GetValue(urls)!, new SipuniEmulatorOptions
        {
            User = parse.GetValue(user)!, Secret = parse.GetValue(secret)!,
        }, new HistoryBook(), quiet: false), "Sipuni API at {0}/api: Sipuni:ApiUrl={0}/api", ct));
        return command;
    }

    private static Command Bitrix24Command(Option<string> urls)
    {
        var clientId = new Option<string>("--client-id") { Description = "The local application's client_id", DefaultValueFactory = _ => new Bitrix24EmulatorOptions().ClientId };
        var clientSecret = new Option<string>("--client-secret") { Description = "The local application's client_secret", DefaultValueFactory = _ => new Bitrix24EmulatorOptions().ClientSecret };
        var tokenSeconds = new Option<int>("--token-seconds") { Description = "How long an access token lives (Bitrix24: 3600)", DefaultValueFactory = _ => 3600 };
        var hubUrl = new Option<string?>("--hub-url") { Description = "A connector's events URL (…/connectors/{id}/events): ONAPPINSTALL is sent there at start" };
        var command = new Command("bitrix24", "A Bitrix24 portal's REST (/rest/{method}) and OAuth server (/oauth/token/); what it was asked: GET /emulator/requests; "
            + "faults: POST /emulator/limit?count=N, /emulator/expire, /emulator/down?on=true; events: POST /emulator/install?hub=URL, /emulator/click?hub=URL&user=5&phone=79991234567")
        {
            urls, clientId, clientSecret, tokenSeconds, hubUrl,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new Bitrix24EmulatorOptions
            {
                ClientId = parse.GetValue(clientId)!, ClientSecret = parse.GetValue(clientSecret)!, TokenLifetime = TimeSpan.FromSeconds(parse.GetValue(tokenSeconds)),
            };
            await using var emulator = await Bitrix24Emulator.StartAsync(parse.GetValue(urls)!, options, TimeProvider.System, quiet: false);
            Console.WriteLine($"Bitrix24 stand-in at {emulator.BaseUrl}: Bitrix24:OAuthUrl={emulator.BaseUrl} Bitrix24:ClientId={options.ClientId} Bitrix24:ClientSecret={options.ClientSecret}");
            if (parse.GetValue(hubUrl) is { } hub)
            {
                using var http = new HttpClient();
                using var sent = await emulator.InstallAsync(http, hub);
                Console.WriteLine($"ONAPPINSTALL sent to {hub}: {(int)sent.StatusCode}");
            }

            return await WaitAsync(emulator.Host, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(Task<EmulatorHost> starting, string banner, CancellationToken ct)
    {
        await using var host = await starting;
        Console.WriteLine(banner, host.BaseUrl);
        return await WaitAsync(host, ct);
    }

    private static async Task<int> WaitAsync(EmulatorHost host, CancellationToken ct)
    {
        // The web host takes SIGINT/SIGTERM itself (it only starts stopping), so the command's token alone never fires.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, host.App.Lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: disposing the host stops it and frees the port.
        }

        return 0;
    }
}
