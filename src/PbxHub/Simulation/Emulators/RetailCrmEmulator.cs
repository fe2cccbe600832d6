using System.Globalization;
using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

/// <summary>
/// A stand-in of a RetailCRM system's API v5 (<c>/api/v5/…</c>, the key in <c>X-API-KEY</c>, a POST's parameters as a
/// form whose values are JSON), following RetailCRM's documentation (docs/connectors/retailcrm.md#the-stand-in): the
/// telephony integration module, call events, calls upload (at most 50 a request) and users. It keeps what it was asked
/// (<c>GET /emulator/requests</c>) and asks a hub's <c>makeCallUrl</c> as RetailCRM does when a user clicks a number.
/// </summary>
internal sealed class RetailCrmEmulator : IAsyncDisposable
{
    private RetailCrmEmulator(EmulatorHost host, RetailCrmSystem system)
    {
        Host = host;
        System = system;
    }

    public EmulatorHost Host { get; }

    public RetailCrmSystem System { get; }

    public string BaseUrl => Host.BaseUrl;

    public static async Task<RetailCrmEmulator> StartAsync(string url, RetailCrmEmulatorOptions options, bool quiet = true)
    {
        var system = new RetailCrmSystem(options);
        var host = await EmulatorHost.StartAsync(url, app => Map(app, system), quiet);
        return new RetailCrmEmulator(host, system);
    }

    private static void Map(WebApplication app, RetailCrmSystem system)
    {
        app.MapMethods("/api/v5/{**method}", ["GET", "POST"], async (string method, HttpRequest request) =>
        {
            if (system.Down)
            {
                return Results.Text("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", "text/html", statusCode: 503);
            }

            var p = new JsonObject(request.Query.Select(kv => new KeyValuePair<string, JsonNode?>(kv.Key, kv.Value.ToString())));
            if (request.HasFormContentType)
            {
                foreach (var (key, value) in await request.ReadFormAsync())
                {
                    p[key] = value.ToString();
                }
            }

            // RetailCRM takes the key in the X-API-KEY header or as the apiKey parameter.
            var apiKey = request.Headers["X-API-KEY"].FirstOrDefault() ?? p["apiKey"]?.ToString();
            p.Remove("apiKey");
            var (status, body) = system.Handle(method.TrimEnd('/'), apiKey, p);
            return Results.Json(body, statusCode: status);
        });
        app.MapGet("/emulator/requests", () => Results.Json(system.Requests));
        app.MapGet("/emulator/events", () => Results.Json(system.Events));
        app.MapGet("/emulator/calls", () => Results.Json(system.Calls));
        app.MapGet("/emulator/modules/{code}", (string code) => system.Module(code) is { } m ? Results.Json(m) : Results.NotFound());
        app.MapPost("/emulator/down", (bool on) => system.Down = on);
        app.MapPost("/emulator/limit", (int count) => system.LimitNext(count));
        app.MapPost("/emulator/key", (string value) => system.Options.ApiKey = value);
        app.MapPost("/emulator/makecall", async (string code, int user, string phone, string? hub, IHttpClientFactory http) =>
        {
            using var sent = await SendMakeCallAsync(http.CreateClient(), system, code, user, phone, hub);
            return Results.Text($"{(int)sent.StatusCode} {await sent.Content.ReadAsStringAsync()}", "text/plain");
        });
    }

    /// <summary>
    /// A click on <paramref name="phone"/> by <paramref name="userId"/>: a GET of module <paramref name="code"/>'s
    /// <c>makeCallUrl</c> (or <paramref name="url"/>) with its <c>clientId</c>, the user's additional code, the phone and the user.
    /// </summary>
    public Task<HttpResponseMessage> MakeCallAsync(HttpClient http, string code, int userId, string phone, string? url = null, string? clientId = null) =>
        SendMakeCallAsync(http, System, code, userId, phone, url, clientId);

    private static Task<HttpResponseMessage> SendMakeCallAsync(
        HttpClient http, RetailCrmSystem system, string code, int user, string phone, string? url, string? clientId = null)
    {
        var module = system.Module(code) ?? throw new InvalidOperationException($"No module '{code}' is registered");
        var telephony = module["integrations"]?["telephony"];
        var target = url ?? telephony?["makeCallUrl"]?.ToString() ?? throw new InvalidOperationException("The module has no makeCallUrl");
        var query = new List<KeyValuePair<string, string>>
        {
            new("clientId", clientId ?? module["clientId"]?.ToString() ?? ""),
            new("phone", phone),
            new("userId", user.ToString(CultureInfo.InvariantCulture)),
        };
        if ((telephony?["additionalCodes"] as JsonArray ?? []).FirstOrDefault(c => c?["userId"]?.ToString() == query[2].Value)?["code"]?.ToString() is { } extension)
        {
            query.Add(new("code", extension));
        }

        if ((telephony?["externalPhones"] as JsonArray ?? []).FirstOrDefault()?["externalPhone"]?.ToString() is { } line)
        {
            query.Add(new("externalPhone", line));
        }

        var separator = target.Contains('?', StringComparison.Ordinal) ? "&" : "?";
        return http.GetAsync(target + separator + string.Join("&", query.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}")));
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
