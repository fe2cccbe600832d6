using System.CommandLine;
using PbxHub.Providers;
using Spectre.Console;

namespace PbxHub.Simulation;

/// <summary><c>pbxhub simulate</c>: realistic provider traffic against a running hub, optionally verified through its API.</summary>
internal static class SimulateCommand
{
    public static Command Create(ProviderCatalog providers)
    {
        var url = new Option<string>("--url") { Description = "The hub's base URL", DefaultValueFactory = _ => "http://localhost:5000" };
        // Described from the catalog, so a provider added by its registration is named here too (docs/adding-a-provider.md).
        var simulated = providers.All.Where(p => p.Simulator is not null).ToList();
        var byHeader = string.Join(", ", simulated.Where(p => !p.Adapter.SecretInPath).Select(p => p.Name));
        var account = new Option<string>("--account") { Description = $"The account id (the hook path is /hooks/{{account}}/{{secret}}, for {byHeader} /hooks/{{account}})", Required = true };
        var secret = new Option<string>("--secret", "--token")
        {
            Description = $"The account's hook secret (in the hook path); for {byHeader} the account's token, sent bare in Authorization",
            Required = true,
        };
        var userNumber = new Option<string>("--user-number") { Description = "Sipuni user number, the prefix of extension logins", DefaultValueFactory = _ => "012345" };
        var timeZone = new Option<string?>("--time-zone") { Description = "The account's IANA time zone, for providers that send wall-clock times (default: the provider's own, "
            + string.Join(", ", simulated.Select(p => $"{p.Name} {p.Adapter.DefaultTimeZone}")) + ")" };
        var recordingBaseUrl = new Option<string?>("--recording-base-url") { Description = "The account's Evrotel:RecordingBaseUrl, so --verify expects recfile resolved against it" };
        var serveRecordings = new Option<string?>("--serve-recordings")
        {
            Description = "Serve the calls' recordings (generated WAVs; some links work once, some answer an HTML page) at this http URL, e.g. http://127.0.0.1:5099; --verify then checks each was kept byte for byte. The account's Recordings:Hosts must allow it",
        };
        var provider = new Option<string>("--provider") { Description = "The provider whose traffic to send: " + string.Join(", ", providers.Simulated), DefaultValueFactory = _ => "sipuni" };
        var scenario = new Option<string>("--scenario") { Description = "One scenario, or mixed", DefaultValueFactory = _ => ScenarioGenerators.Mixed };
        var calls = new Option<int>("--calls") { Description = "How many calls to generate", DefaultValueFactory = _ => 100 };
        var rate = new Option<double>("--rate") { Description = "Calls started per second (0 = as fast as possible)", DefaultValueFactory = _ => 0 };
        var concurrency = new Option<int>("--concurrency") { Description = "Parallel HTTP requests", DefaultValueFactory = _ => 8 };
        var shuffle = new Option<bool>("--shuffle") { Description = "Deliver each call's events in random order" };
        var duplicate = new Option<double>("--duplicate") { Description = "Probability (0..1) that a request is sent twice", DefaultValueFactory = _ => 0 };
        var seed = new Option<int?>("--seed") { Description = "Seed for deterministic generation" };
        var apiKey = new Option<string?>("--api-key") { Description = "API key for --verify" };
        var bitrix24 = new Option<string?>("--bitrix24")
        {
            Description = "The Bitrix24 stand-in's URL (pbxhub emulate bitrix24, with a hub connector installed on it): each call is then checked to have reached it once, finished with its status and talk seconds",
        };
        var amoCrm = new Option<string?>("--amocrm")
        {
            Description = "The amoCRM stand-in's URL (pbxhub emulate amocrm, a hub connector feeding it): each call is then checked to be there once, as a call with its status and talk seconds, or for an unknown inbound number an unsorted lead",
        };
        var retailCrm = new Option<string?>("--retailcrm")
        {
            Description = "The RetailCRM stand-in's URL (pbxhub emulate retailcrm, a hub connector feeding it): each call is then checked to have been uploaded once, with its result and talk seconds",
        };
        var verify = new Option<bool>("--verify")
        {
            Description = "Read every call back from the API and report those that differ from their scenario; with --history, ask the hub to reconcile the account over the calls' period first",
        };
        var lose = new Option<double>("--lose") { Description = "Share of calls (0..1) that lose events on purpose, as providers lose them (see --lose-mode)", DefaultValueFactory = _ => 0 };
        var loseMode = new Option<string>("--lose-mode")
        {
            Description = "What a lost call loses: calls (nothing of it is sent), hangups (its hang-up requests are not sent) or both (either, half each)",
            DefaultValueFactory = _ => "both",
        };
        var history = new Option<string?>("--history")
        {
            Description = "The provider's history stand-in (pbxhub emulate <provider>): every generated call, lost ones too, is posted to its /_emulator/history before sending",
        };
        var command = new Command("simulate", "Send realistic provider traffic to a running hub")
        {
            url, account, secret, userNumber, timeZone, recordingBaseUrl, serveRecordings, provider, scenario, calls, rate, concurrency, shuffle, duplicate, seed, apiKey, verify, bitrix24,
            amoCrm, retailCrm, lose, loseMode, history,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = new SimulationOptions
            {
                Url = parse.GetValue(url)!,
                Account = parse.GetValue(account)!,
                Secret = parse.GetValue(secret)!,
                UserNumber = parse.GetValue(userNumber)!,
                TimeZone = parse.GetValue(timeZone),
                RecordingBaseUrl = parse.GetValue(recordingBaseUrl),
                RecordingServer = parse.GetValue(serveRecordings),
                Provider = parse.GetValue(provider)!,
                Scenario = parse.GetValue(scenario)!,
                Calls = parse.GetValue(calls),
                Rate = parse.GetValue(rate),
                Concurrency = parse.GetValue(concurrency),
                Shuffle = parse.GetValue(shuffle),
                Duplicate = parse.GetValue(duplicate),
                Seed = parse.GetValue(seed),
                ApiKey = parse.GetValue(apiKey),
                Verify = parse.GetValue(verify),
                Bitrix24 = parse.GetValue(bitrix24),
                AmoCrm = parse.GetValue(amoCrm),
                RetailCrm = parse.GetValue(retailCrm),
                Lose = parse.GetValue(lose),
                LoseMode = parse.GetValue(loseMode)!,
                History = parse.GetValue(history),
                Providers = providers,
            };
            return await RunAsync(options, AnsiConsole.Console, TimeProvider.System, ct);
        });
        return command;
    }

    /// <summary>0 when every request was accepted and every verified call matched; 1 otherwise; 2 for unusable options.</summary>
    public static async Task<int> RunAsync(SimulationOptions options, IAnsiConsole console, TimeProvider time, CancellationToken ct)
    {
        var generator = options.Generator;
        var errors = options.Validate(generator);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                console.MarkupLine($"[red]{Markup.Escape(error)}[/]");
            }

            return 2;
        }

        var report = await new SimulationRunner(console, time).RunAsync(options, generator!, ct);
        SimulationSummary.Write(console, report);
        return report.Succeeded ? 0 : 1;
    }
}
