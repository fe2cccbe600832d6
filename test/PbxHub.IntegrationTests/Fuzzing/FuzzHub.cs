using System.Net.Http.Headers;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Tests.Fuzzing;

namespace PbxHub.IntegrationTests.Fuzzing;

/// <summary>
/// A hub with one account per provider that receives hooks (Sipuni's is HubServer's own), its log captured, and
/// the way hostile requests are put on the wire.
/// </summary>
internal sealed class FuzzHub : IAsyncDisposable
{
    public const string HookTypeAccount = "ht";
    public const string HookTypeSecret = "ht-secret-0123456789";
    public const string EvrotelAccount = "ev";
    public const string EvrotelToken = "G7bng65jYk8GF294";

    /// <summary>Outbound calls (Evrotel's API, UIS's) go to a loopback port nobody listens on: nothing leaves the machine.</summary>
    public const string NowhereUrl = "http://127.0.0.1:9";

    private FuzzHub(HubServer hub, CapturedLogs logs)
    {
        Hub = hub;
        Logs = logs;
    }

    public HubServer Hub { get; }

    public CapturedLogs Logs { get; }

    public static async Task<FuzzHub> StartAsync(IDictionary<string, string>? extra = null)
    {
        var logs = new CapturedLogs();
        var settings = new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = HookTypeAccount,
            ["PbxHub:Accounts:1:Provider"] = "hooktype",
            ["PbxHub:Accounts:1:Secret"] = HookTypeSecret,
            ["PbxHub:Accounts:1:TimeZone"] = "Europe/Moscow",
            ["PbxHub:Accounts:1:Country"] = "RU",
            ["PbxHub:Accounts:2:Id"] = EvrotelAccount,
            ["PbxHub:Accounts:2:Provider"] = "evrotel",
            ["PbxHub:Accounts:2:TimeZone"] = "Europe/Kyiv",
            ["PbxHub:Accounts:2:Country"] = "UA",
            ["PbxHub:Accounts:2:Evrotel:Token"] = EvrotelToken,
            ["PbxHub:Accounts:2:Evrotel:BaseUrl"] = NowhereUrl,
            ["PbxHub:Accounts:2:Evrotel:RecordingBaseUrl"] = "https://records.evrotel.example/calls",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return new FuzzHub(await HubServer.StartAsync(settings, logs.AddTo), logs);
    }

    /// <summary>The account a provider's hooks go to, and the path with the right secret.</summary>
    public static (string Account, string Path) HookOf(string provider) => provider switch
    {
        "sipuni" => (HubServer.AccountId, $"/hooks/{HubServer.AccountId}/{HubServer.Secret}"),
        "hooktype" => (HookTypeAccount, $"/hooks/{HookTypeAccount}/{HookTypeSecret}"),
        "evrotel" => (EvrotelAccount, $"/hooks/{EvrotelAccount}"),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>The request on the wire; its URI is what the hub sees (HttpClient escapes what a URI cannot hold, drops a fragment).</summary>
    public HttpRequestMessage Message(HostileRequest hostile, string path, string? authorization)
    {
        var message = new HttpRequestMessage(new HttpMethod(hostile.Method), new Uri(Hub.BaseUrl + path + (hostile.Query.Length > 0 ? "?" + hostile.Query : "")));
        if (hostile.Body.Length > 0 || hostile.Method == "POST")
        {
            message.Content = new ByteArrayContent(hostile.Body);
            if (hostile.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", hostile.ContentType);
            }
        }

        if (authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return message;
    }

    public static string Describe(HttpResponseMessage response, string body) =>
        $"HTTP {(int)response.StatusCode} [{response.Content.Headers.ContentType}] {(body.Length > 500 ? body[..500] + "…" : body)}";

    public static MediaTypeHeaderValue? TypeOf(HttpResponseMessage response) => response.Content.Headers.ContentType;

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
