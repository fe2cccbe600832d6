using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary>
/// A hub with an account of each provider that sends hooks (Sipuni "demo", HookType, Evrotel), and hook
/// requests of each that differ by <c>n</c>, sent as from a chosen address through the proxy at 127.0.0.1.
/// </summary>
internal static class NetworkHub
{
    public const string HookTypeAccount = "ht";
    public const string HookTypeSecret = ThreeProviders.HookTypeSecret;
    public const string EvrotelAccount = "kyiv";
    public const string EvrotelToken = ThreeProviders.EvrotelToken;

    public static readonly TheoryData<string> Providers = new() { "sipuni", "hooktype", "evrotel" };

    /// <summary>The proxy setting that makes <c>X-Forwarded-For</c> from the tests' own address believed.</summary>
    public static readonly KeyValuePair<string, string> LocalProxy = new("PbxHub:Network:KnownProxies:0", "127.0.0.1");

    public static Task<HubServer> StartAsync(IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        var all = ThreeProviders.Settings();
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return HubServer.StartAsync(all);
    }

    /// <summary>The configuration key of a setting of the provider's account (<c>PbxHub:Accounts:N:…</c>).</summary>
    public static string AccountKey(string provider, string setting) =>
        $"PbxHub:Accounts:{provider switch { "sipuni" => 0, "hooktype" => 1, _ => 2 }}:{setting}";

    public static string AccountOf(string provider) => provider switch
    {
        "sipuni" => HubServer.AccountId,
        "hooktype" => HookTypeAccount,
        _ => EvrotelAccount,
    };

    /// <summary>A new call's first hook, the way the provider sends it; distinct for each <paramref name="n"/>.</summary>
    public static HttpRequestMessage Hook(string provider, int n, string? forwardedFor = null, string? body = null)
    {
        var request = provider switch
        {
            "sipuni" => new HttpRequestMessage(HttpMethod.Get, $"/hooks/{HubServer.AccountId}/{HubServer.Secret}?" +
                SipuniHooks.Arrival($"net-{n}", "89031234567", "84951234567", 1_700_000_000 + n)),
            "hooktype" => Post($"/hooks/{HookTypeAccount}/{HookTypeSecret}", body ?? Fixture("hooktype/CreateIncCall.json", "SessionID", $"net-{n}")),
            _ => Post($"/hooks/{EvrotelAccount}", body ?? Fixture("evrotel/start.json", "numberA", $"09878{n:D5}")),
        };
        if (provider == "evrotel")
        {
            request.Headers.TryAddWithoutValidation("Authorization", EvrotelToken);
        }

        if (forwardedFor is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        }

        return request;
    }

    /// <summary>A GET as if from <paramref name="forwardedFor"/>, relayed by the proxy at 127.0.0.1.</summary>
    public static async Task<HttpResponseMessage> GetFromAsync(this HttpClient client, string url, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }

    /// <summary>Asserts the provider's own failure answer: <c>{"success": false, …}</c>, or Evrotel's plain text.</summary>
    public static async Task AssertProviderFailureAsync(string provider, HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{provider}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if (provider == "evrotel")
        {
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.False(string.IsNullOrWhiteSpace(text));
            return;
        }

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(text);
        Assert.False(json.RootElement.GetProperty("success").GetBoolean());
    }

    public static async Task AssertAcceptedAsync(string provider, HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{provider}: expected 200, got {(int)response.StatusCode}: {text}");
        if (provider != "evrotel")
        {
            using var json = JsonDocument.Parse(text);
            Assert.True(json.RootElement.GetProperty("success").GetBoolean(), text);
        }
    }

    /// <summary>The raw events stored for one account.</summary>
    public static async Task<IReadOnlyList<HubDatabase.RawEventRow>> StoredAsync(HubServer hub, string account) =>
        [.. (await HubDatabase.RawEventsAsync(hub.DataDirectory)).Where(r => r.Account == account)];

    private static HttpRequestMessage Post(string path, string json) =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static string Fixture(string name, string field, string value)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name)))!;
        node[field] = value;
        return node.ToJsonString();
    }
}
