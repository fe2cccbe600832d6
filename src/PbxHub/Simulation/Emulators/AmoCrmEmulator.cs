using System.Text.Json.Nodes;
using PbxHub.Connectors.AmoCrm;

namespace PbxHub.Simulation.Emulators;

internal sealed class AmoCrmEmulatorOptions
{
    /// <summary>The integration's id (<c>AmoCrm:ClientId</c>).</summary>
    public string ClientId { get; set; } = "00000000-0000-4000-8000-0000pbxhub00";

    /// <summary>The integration's secret key (<c>AmoCrm:ClientSecret</c>): it also signs the widget's disposable tokens.</summary>
    public string ClientSecret { get; set; } = "pbxhub-emulator-amocrm-secret";

    /// <summary>A long-lived token the API accepts too (<c>AmoCrm:Token</c>); null: OAuth only.</summary>
    public string? LongLivedToken { get; set; } = "pbxhub-emulator-long-lived-token";

    /// <summary>How long an OAuth access token lives (amoCRM: 24 hours).</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(24);

    public int AccountId { get; set; } = 28_805_383;

    /// <summary>The account's users: id → name.</summary>
    public Dictionary<int, string> Users { get; set; } = new() { [504141] = "Admin", [504142] = "Anna", [504143] = "Boris" };

    /// <summary>The numbers of the account's contacts: a call to or from another number is not added.</summary>
    public HashSet<string> Contacts { get; set; } = ["+79161234567", "+79031112233"];
}

/// <summary>
/// A stand-in of an amoCRM account's API (<c>/api/v4/calls</c>, <c>/api/v4/leads/unsorted/sip</c>, <c>/api/v2/events</c>,
/// <c>/api/v4/users</c>) and of its OAuth server (<c>/oauth2/access_token</c>), following amoCRM's documentation
/// (docs/connectors/amocrm.md#the-stand-in). It keeps what it was asked (<c>GET /emulator/requests</c>) and sends, as
/// amoCRM does, the authorisation code to a hub's redirect URI and the telephony widget's click with a disposable token.
/// </summary>
internal sealed class AmoCrmEmulator : IAsyncDisposable
{
    private AmoCrmEmulator(EmulatorHost host, AmoCrmAccount account)
    {
        Host = host;
        Account = account;
    }

    public EmulatorHost Host { get; }

    public AmoCrmAccount Account { get; }

    public string BaseUrl => Host.BaseUrl;

    public static async Task<AmoCrmEmulator> StartAsync(string url, AmoCrmEmulatorOptions options, TimeProvider time, bool quiet = true)
    {
        var account = new AmoCrmAccount(options, time);
        EmulatorHost? started = null;
        started = await EmulatorHost.StartAsync(url, app => Map(app, account, () => started!.BaseUrl), quiet);
        return new AmoCrmEmulator(started, account);
    }

    private static void Map(WebApplication app, AmoCrmAccount account, Func<string> baseUrl)
    {
        app.MapMethods("/api/{**rest}", ["GET", "POST"], async (string rest, HttpRequest request) =>
        {
            if (account.Down)
            {
                return Results.Text("<html><body>503 Service Temporarily Unavailable</body></html>", "text/html", statusCode: 503);
            }

            JsonNode? body = null;
            try
            {
                body = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 ? await JsonNode.ParseAsync(request.Body) : null;
            }
            catch (System.Text.Json.JsonException)
            {
                // Not JSON: the method sees no body and says what is missing.
            }

            var (status, answer) = account.Handle(request.Method, "/api/" + rest, request.Headers.Authorization.FirstOrDefault(), body);
            return answer is null ? Results.StatusCode(status)
                : Results.Text(answer.ToJsonString(), status >= 400 ? "application/problem+json" : "application/hal+json", statusCode: status);
        });
        app.MapPost("/oauth2/access_token", async (HttpRequest request) =>
        {
            var f = new Dictionary<string, string>(StringComparer.Ordinal);
            if (request.HasFormContentType)
            {
                foreach (var (k, v) in await request.ReadFormAsync())
                {
                    f[k] = v.ToString();
                }
            }
            else if (await JsonNode.ParseAsync(request.Body) is JsonObject o)
            {
                foreach (var (k, v) in o)
                {
                    f[k] = v?.ToString() ?? "";
                }
            }

            var (status, answer) = account.Token(f);
            return Results.Text(answer.ToJsonString(), "application/json", statusCode: status);
        });
        app.MapGet("/emulator/requests", () => Results.Json(account.Requests));
        app.MapGet("/emulator/calls", () => Results.Json(account.Calls));
        app.MapGet("/emulator/unsorted", () => Results.Json(account.Unsorted));
        app.MapGet("/emulator/events", () => Results.Json(account.Events));
        app.MapPost("/emulator/contacts", (string phone) => account.AddContact(phone));
        app.MapPost("/emulator/limit", (int count) => account.LimitNext(count));
        app.MapPost("/emulator/expire", account.ExpireToken);
        app.MapPost("/emulator/down", (bool on) => account.Down = on);
        app.MapPost("/emulator/install", async (string hub, IHttpClientFactory http) =>
            await Describe(await SendInstallAsync(http.CreateClient(), account, baseUrl(), hub)));
        app.MapPost("/emulator/click", async (string hub, int user, string phone, IHttpClientFactory http) =>
            await Describe(await SendClickAsync(http.CreateClient(), account, baseUrl(), hub, user, phone)));
    }

    /// <summary>The account allows the integration: amoCRM opens its redirect URI (<paramref name="hubInstallUrl"/>) with a new code.</summary>
    public Task<HttpResponseMessage> InstallAsync(HttpClient http, string hubInstallUrl) => SendInstallAsync(http, Account, BaseUrl, hubInstallUrl);

    /// <summary>The widget's click on <paramref name="phone"/> by <paramref name="userId"/>, with a disposable token signed by <paramref name="secret"/> (default: the integration's).</summary>
    public Task<HttpResponseMessage> ClickAsync(HttpClient http, string hubEventsUrl, int userId, string phone, string? secret = null) =>
        SendClickAsync(http, Account, BaseUrl, hubEventsUrl, userId, phone, secret);

    private static Task<HttpResponseMessage> SendInstallAsync(HttpClient http, AmoCrmAccount account, string baseUrl, string hub)
    {
        var code = account.IssueCode(hub);
        var query = $"code={Uri.EscapeDataString(code)}&referer={Uri.EscapeDataString(new Uri(baseUrl).Authority)}&platform=1"
            + $"&client_id={Uri.EscapeDataString(account.Options.ClientId)}&from_widget=1";
        return http.GetAsync(hub + (hub.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query);
    }

    /// <summary>As the widget's <c>$authorizedAjax()</c> does: <c>X-Auth-Token</c>, a JWT for the hub's origin, lasting 30 minutes.</summary>
    private static async Task<HttpResponseMessage> SendClickAsync(HttpClient http, AmoCrmAccount account, string baseUrl, string hub, int user, string phone, string? secret = null)
    {
        var now = account.Now.ToUnixTimeSeconds();
        var audience = new Uri(hub);
        var token = AmoCrmDisposableToken.Sign(new Dictionary<string, object>
        {
            ["iss"] = baseUrl, ["aud"] = $"{audience.Scheme}://{audience.Host}", ["jti"] = Guid.NewGuid().ToString(), ["iat"] = now, ["nbf"] = now,
            ["exp"] = now + 1800, ["account_id"] = account.Options.AccountId, ["user_id"] = user, ["client_uuid"] = account.Options.ClientId,
            ["subdomain"] = new Uri(baseUrl).Host.Split('.')[0], ["is_admin"] = false,
        }, secret ?? account.Options.ClientSecret);
        using var request = new HttpRequestMessage(HttpMethod.Post, hub)
        {
            Content = new StringContent(new JsonObject { ["phone"] = phone }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(AmoCrmWidget.Header, token);
        return await http.SendAsync(request);
    }

    private static async Task<IResult> Describe(HttpResponseMessage sent) =>
        Results.Text($"{(int)sent.StatusCode} {await sent.Content.ReadAsStringAsync()}", "text/plain");

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
