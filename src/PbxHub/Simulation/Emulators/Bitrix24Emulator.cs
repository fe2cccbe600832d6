using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

internal sealed class Bitrix24EmulatorOptions
{
    public string ClientId { get; set; } = "local.pbxhub0000000000.00000001";

    public string ClientSecret { get; set; } = "pbxhub-emulator-client-secret";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The portal's active users: id → inner number (<c>UF_PHONE_INNER</c>).</summary>
    public Dictionary<int, string?> Users { get; set; } = new() { [1] = "100", [5] = "101", [7] = "102" };
}

/// <summary>
/// A stand-in of a Bitrix24 portal's REST API (<c>POST /rest/{method}</c> in an application's context) and of its OAuth
/// server (<c>/oauth/token/</c>), following Bitrix24's documentation (docs/connectors.md#the-stand-in). It keeps what it
/// was asked (<see cref="Bitrix24Portal.Requests"/>, <c>GET /emulator/requests</c>) and sends the application's events
/// (<c>ONAPPINSTALL</c>, <c>ONEXTERNALCALLSTART</c>) to a hub's <c>/connectors/{id}/events</c> as a form, as Bitrix24 does.
/// </summary>
internal sealed class Bitrix24Emulator : IAsyncDisposable
{
    private Bitrix24Emulator(EmulatorHost host, Bitrix24Portal portal)
    {
        Host = host;
        Portal = portal;
    }

    public EmulatorHost Host { get; }

    public Bitrix24Portal Portal { get; }

    public string BaseUrl => Host.BaseUrl;

    public static async Task<Bitrix24Emulator> StartAsync(string url, Bitrix24EmulatorOptions options, TimeProvider time, bool quiet = true)
    {
        var portal = new Bitrix24Portal(options, time);
        EmulatorHost? started = null;
        started = await EmulatorHost.StartAsync(url, app => Map(app, portal, () => started!.BaseUrl), quiet);
        return new Bitrix24Emulator(started, portal);
    }

    private static void Map(WebApplication app, Bitrix24Portal portal, Func<string> baseUrl)
    {
        app.MapPost("/rest/{method}", async (string method, HttpRequest request) =>
        {
            if (portal.Down)
            {
                return Results.Text("<html><body>503 Service Unavailable</body></html>", "text/html", statusCode: 503);
            }

            var p = await ParametersAsync(request);
            var auth = p["auth"]?.ToString();
            p.Remove("auth");
            var (status, body) = portal.Handle(method.EndsWith(".json", StringComparison.Ordinal) ? method[..^5] : method, p, auth);
            return Results.Json(body, statusCode: status);
        });
        // An incoming webhook's URL: the telephony methods refuse it, as they work only in an application's context.
        app.MapPost("/rest/{user}/{code}/{method}", () => Results.Json(
            new JsonObject { ["error"] = "WRONG_AUTH_TYPE", ["error_description"] = "Current authorization type is denied for this method" }, statusCode: 403));
        app.MapMethods("/oauth/token/", ["GET", "POST"], async (HttpRequest request) =>
        {
            var q = request.HasFormContentType ? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)await request.ReadFormAsync() : request.Query;
            var f = q.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
            var (status, body) = portal.Refresh(f.GetValueOrDefault("grant_type"), f.GetValueOrDefault("client_id"), f.GetValueOrDefault("client_secret"),
                f.GetValueOrDefault("refresh_token"), baseUrl());
            return Results.Json(body, statusCode: status);
        });
        app.MapGet("/emulator/requests", () => Results.Json(portal.Requests));
        app.MapGet("/emulator/calls", () => Results.Json(portal.Calls));
        app.MapPost("/emulator/limit", (int count) => portal.LimitNext(count));
        app.MapPost("/emulator/expire", portal.ExpireToken);
        app.MapPost("/emulator/down", (bool on) => portal.Down = on);
        app.MapPost("/emulator/install", async (string hub, IHttpClientFactory http) => await Describe(await SendInstallAsync(http.CreateClient(), portal, baseUrl(), hub)));
        app.MapPost("/emulator/click", async (string hub, int user, string phone, IHttpClientFactory http) =>
            await Describe(await SendClickAsync(http.CreateClient(), portal, baseUrl(), hub, user, phone)));
        app.MapPost("/emulator/callback", async (string hub, string phone, string? line, IHttpClientFactory http) =>
            await Describe(await SendCallbackAsync(http.CreateClient(), portal, baseUrl(), hub, phone, line ?? "")));
    }

    /// <summary>Sends <c>ONAPPINSTALL</c> with the portal's tokens and application_token to <paramref name="hubEventsUrl"/>.</summary>
    public Task<HttpResponseMessage> InstallAsync(HttpClient http, string hubEventsUrl) => SendInstallAsync(http, Portal, BaseUrl, hubEventsUrl);

    /// <summary>A click on <paramref name="phone"/> by <paramref name="userId"/>: the call is registered, then <c>ONEXTERNALCALLSTART</c> is sent.</summary>
    public Task<HttpResponseMessage> ClickAsync(HttpClient http, string hubEventsUrl, int userId, string phone, string? applicationToken = null) =>
        SendClickAsync(http, Portal, BaseUrl, hubEventsUrl, userId, phone, applicationToken);

    /// <summary>A visitor's CRM callback form for <paramref name="phone"/>: <c>ONEXTERNALCALLBACKSTART</c> with the form's lead.</summary>
    public Task<HttpResponseMessage> CallbackAsync(HttpClient http, string hubEventsUrl, string phone, string lineNumber = "") =>
        SendCallbackAsync(http, Portal, BaseUrl, hubEventsUrl, phone, lineNumber);

    private static Task<HttpResponseMessage> SendCallbackAsync(HttpClient http, Bitrix24Portal portal, string baseUrl, string hub, string phone, string line) =>
        SendEventAsync(http, portal, baseUrl, hub, "ONEXTERNALCALLBACKSTART", new()
        {
            ["PHONE_NUMBER"] = phone, ["TEXT"] = "Обратный звонок с сайта", ["VOICE"] = "ruinternalfemale", ["CRM_ENTITY_TYPE"] = "LEAD",
            ["CRM_ENTITY_ID"] = "4242", ["LINE_NUMBER"] = line,
        }, null);

    private static Task<HttpResponseMessage> SendInstallAsync(HttpClient http, Bitrix24Portal portal, string baseUrl, string hub) =>
        SendEventAsync(http, portal, baseUrl, hub, "ONAPPINSTALL",
            new() { ["VERSION"] = "1", ["ACTIVE"] = "Y", ["INSTALLED"] = "Y", ["LANGUAGE_ID"] = "ru" }, null);

    private static Task<HttpResponseMessage> SendClickAsync(
        HttpClient http, Bitrix24Portal portal, string baseUrl, string hub, int user, string phone, string? applicationToken = null)
    {
        var call = portal.RegisterClick(user, phone);
        return SendEventAsync(http, portal, baseUrl, hub, "ONEXTERNALCALLSTART", new()
        {
            ["PHONE_NUMBER"] = phone, ["PHONE_NUMBER_INTERNATIONAL"] = phone, ["EXTENSION"] = "", ["USER_ID"] = user.ToString(CultureInfo.InvariantCulture),
            ["CALL_LIST_ID"] = "0", ["LINE_NUMBER"] = "", ["IS_MOBILE"] = "0", ["CALL_ID"] = call.CallId, ["CRM_ENTITY_TYPE"] = "CONTACT", ["CRM_ENTITY_ID"] = "797",
        }, applicationToken);
    }

    /// <summary>An event as Bitrix24 posts it: a form with <c>event</c>, <c>data[…]</c>, <c>ts</c> and <c>auth[…]</c>.</summary>
    public static Task<HttpResponseMessage> SendEventAsync(
        HttpClient http, Bitrix24Portal portal, string baseUrl, string hub, string name, Dictionary<string, string> data, string? applicationToken)
    {
        var fields = new List<KeyValuePair<string, string>> { new("event", name), new("event_handler_id", "1055") };
        fields.AddRange(data.Select(d => new KeyValuePair<string, string>($"data[{d.Key}]", d.Value)));
        fields.Add(new("ts", portal.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        var auth = portal.Auth(baseUrl);
        if (applicationToken is not null)
        {
            auth["application_token"] = applicationToken;
        }

        fields.AddRange(auth.Select(a => new KeyValuePair<string, string>($"auth[{a.Key}]", a.Value!.ToString())));
        return http.PostAsync(hub, new FormUrlEncodedContent(fields));
    }

    private static async Task<IResult> Describe(HttpResponseMessage sent) =>
        Results.Text($"{(int)sent.StatusCode} {await sent.Content.ReadAsStringAsync()}", "text/plain");

    /// <summary>JSON (as the documentation's cURL examples send) or a form (as BX24.js and PHP do): one object of parameters.</summary>
    private static async Task<JsonObject> ParametersAsync(HttpRequest request)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            return new JsonObject(form.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value.ToString())));
        }

        try
        {
            return await JsonNode.ParseAsync(request.Body) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
