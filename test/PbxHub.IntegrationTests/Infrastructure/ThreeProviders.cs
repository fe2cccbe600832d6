using System.Text.Json;
using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Providers.Evrotel;
using PbxHub.Providers.HookType;
using PbxHub.Providers.Sipuni;
using Spectre.Console;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>
/// A hub with one account of each provider that sends hooks (Sipuni "demo", HookType "ht", Evrotel "kyiv"), for the
/// proofs that drive every provider's simulated traffic into real <c>pbxhub serve</c> processes and kill them.
/// </summary>
internal static class ThreeProviders
{
    public const string HookTypeSecret = "hooktype-secret-0123";
    public const string EvrotelToken = "G7bng65jYk8GF294";

    public static readonly Account[] Accounts =
    [
        new("demo", "sipuni", HubServer.Secret, "Europe/Moscow", "RU", new Dictionary<string, string> { ["Sipuni:UserNumber"] = "012345" }, "test"),
        new("ht", "hooktype", HookTypeSecret, "Europe/Moscow", "RU", new Dictionary<string, string>(), "test"),
        new("kyiv", "evrotel", "", "Europe/Kyiv", "UA", new Dictionary<string, string> { ["Evrotel:Token"] = EvrotelToken }, "test"),
    ];

    /// <summary>What <c>pbxhub simulate</c> is given for each account: provider, account id, secret (Evrotel: its token).</summary>
    public static readonly (string Provider, string Account, string Secret)[] Senders =
        [("sipuni", "demo", HubServer.Secret), ("hooktype", "ht", HookTypeSecret), ("evrotel", "kyiv", EvrotelToken)];

    private static readonly ProviderRegistry Providers = new([new SipuniAdapter(), new HookTypeAdapter(), new EvrotelAdapter()]);

    /// <summary>The HookType and Evrotel accounts as configuration keys, beside the Sipuni account every test hub has.</summary>
    public static Dictionary<string, string> Settings() => new()
    {
        ["PbxHub:Accounts:1:Id"] = "ht",
        ["PbxHub:Accounts:1:Provider"] = "hooktype",
        ["PbxHub:Accounts:1:Secret"] = HookTypeSecret,
        ["PbxHub:Accounts:2:Id"] = "kyiv",
        ["PbxHub:Accounts:2:Provider"] = "evrotel",
        ["PbxHub:Accounts:2:TimeZone"] = "Europe/Kyiv",
        ["PbxHub:Accounts:2:Evrotel:Token"] = EvrotelToken,
    };

    /// <summary>The three accounts and an API key, as environment variables of a hub process.</summary>
    public static Dictionary<string, string> Environment()
    {
        var env = HubProcess.DemoEnvironment();
        foreach (var (key, value) in Settings())
        {
            env[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return env;
    }

    /// <summary>The key under which the hub stores the request: the adapter's own, as for any request it parses.</summary>
    public static (string Account, string Key) DedupeKey(AckedHook hook)
    {
        var (account, parsed) = Parse(hook);
        return (account.Id, parsed.DedupeKey);
    }

    /// <summary>Whether the hub answered the request the way its provider expects an accepted request to be answered.</summary>
    public static bool AnsweredAsAccepted(AckedHook hook)
    {
        var (account, parsed) = Parse(hook);
        if (account.Provider == "evrotel")
        {
            // Evrotel takes the call id the hub assigns as the plain-text answer to a start, and "OK" to an end.
            return hook.Answer == "OK" || hook.Answer == parsed.CallKey;
        }

        try
        {
            using var json = JsonDocument.Parse(hook.Answer);
            return json.RootElement.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Every call record a list of the API (all pages of it) holds, as JSON text, in its order.</summary>
    public static async Task<List<string>> AllCallsAsync(HttpClient client, string list = "/api/v1/calls")
    {
        var all = new List<string>();
        string? cursor = null;
        do
        {
            using var page = await client.GetJsonAsync(list + (list.Contains('?') ? '&' : '?') + "limit=1000" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            all.AddRange(page.RootElement.GetProperty("items").EnumerateArray().Select(c => c.GetRawText()));
            cursor = page.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return all;
    }

    /// <summary>A console for <c>SimulateCommand.RunAsync</c> that shows nothing.</summary>
    public static IAnsiConsole Quiet() => TestConsoles.Quiet();

    private static (Account Account, HookParse.Parsed Parsed) Parse(AckedHook hook)
    {
        var accountId = hook.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];
        var account = Accounts.Single(a => a.Id == accountId);
        var request = new RawRequest(hook.Method, hook.ContentType, hook.Query, hook.Body, new Dictionary<string, string>(), DateTimeOffset.UnixEpoch);
        return (account, Assert.IsType<HookParse.Parsed>(Providers.Get(account.Provider).Parse(account, request)));
    }
}
