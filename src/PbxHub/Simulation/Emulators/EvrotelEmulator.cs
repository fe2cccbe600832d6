using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Providers.Evrotel;

namespace PbxHub.Simulation.Emulators;

internal sealed class EvrotelEmulatorOptions
{
    public string Token { get; set; } = "G7bng65jYk8GF294";

    public string BillCode { get; set; } = "20558";

    /// <summary>Where to send the call events after a click-to-call (the hub's <c>/hooks/{account}</c>); none when empty.</summary>
    public string? HubUrl { get; set; }

    /// <summary>How long the emulated call talks between its start and end events.</summary>
    public TimeSpan TalkTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Evrotel's wall-clock zone for <c>calldate</c>.</summary>
    public string TimeZone { get; set; } = EvrotelAdapter.UsualTimeZone;
}

/// <summary>
/// A stand-in of Evrotel's outbound API (docs/providers/evrotel.md): authorised JSON POSTs to <c>webapp/</c>,
/// <c>autodial/media/</c> (it fetches the WAV and checks mono, 16-bit, 8000 Hz) and <c>autodial/</c>.
/// After a click-to-call it posts the call's events to <see cref="EvrotelEmulatorOptions.HubUrl"/> the way
/// Evrotel's own sender does (form-encoded, token in Authorization): start, then end with the id the hub answered;
/// the call then stands on its statistics page (<see cref="EvrotelEmulatorHistory"/>).
/// </summary>
internal static class EvrotelEmulator
{
    public static Task<EmulatorHost> StartAsync(string url, EvrotelEmulatorOptions options, TimeProvider time, bool quiet = true) =>
        EmulatorHost.StartAsync(url, app => Map(app, options, time), quiet);

    public static void Map(WebApplication app, EvrotelEmulatorOptions options, TimeProvider time)
    {
        var media = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        var history = new HistoryBook();
        var events = new EvrotelEventSender(
            app.Services.GetRequiredService<IHttpClientFactory>(), options, history, time, app.Logger, app.Lifetime.ApplicationStopping);
        EvrotelEmulatorHistory.Map(app, options, history);
        app.MapPost("/webapp/", (HttpRequest r) => Handle(r, options, body => WebApp(body, events)));
        app.MapPost("/autodial/media/", (HttpRequest r, IHttpClientFactory http) => Handle(r, options, body => UploadAsync(body, options, media, http)));
        app.MapPost("/autodial/", (HttpRequest r) => Handle(r, options, body => Start(body, options, media)));
    }

    private static async Task<IResult> Handle(HttpRequest request, EvrotelEmulatorOptions options, Func<JsonObject, Task<IResult>> next)
    {
        // The document's receiver only checks that the header carries the token; the sender sends it bare.
        if (request.Headers.Authorization.ToString().Trim() != options.Token)
        {
            return Results.Text("Access denied", statusCode: 403);
        }

        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            return Refuse("the body must be a JSON object");
        }

        return (string?)Str(body, "billcode") != options.BillCode ? Refuse($"billcode must be {options.BillCode}") : await next(body);
    }

    private static Task<IResult> WebApp(JsonObject body, EvrotelEventSender events)
    {
        var numberA = body["numberA"] is JsonArray list && list.Count > 0 && list.All(i => i?.GetValueKind() == JsonValueKind.String && Digits(i.GetValue<string>()))
            ? list.Select(i => i!.GetValue<string>()).ToList()
            : null;
        var numberB = Str(body, "numberB");
        var routing = Str(body, "routing");
        var problem = numberA is null ? "numberA must be a non-empty array of employees' extensions"
            : numberB is null || !Digits(numberB) ? "numberB must be the client's number (digits)"
            : routing is not ("rand" or "inline" or "all") ? "routing must be rand, inline or all"
            : null;
        if (problem is not null)
        {
            return Task.FromResult(Refuse(problem));
        }

        var answering = routing == "rand" ? numberA![Random.Shared.Next(numberA.Count)] : numberA![0];
        events.SendInBackground(answering, numberB!);
        return Task.FromResult(Results.Json(new { result = "success" }));
    }

    private static async Task<IResult> UploadAsync(JsonObject body, EvrotelEmulatorOptions options, ConcurrentDictionary<string, byte[]> media, IHttpClientFactory http)
    {
        if (Str(body, "mediafile") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return Refuse("mediafile must be the URL of a WAV file");
        }

        using var response = await http.CreateClient().GetAsync(uri);
        if (!response.IsSuccessStatusCode)
        {
            return Refuse($"could not fetch {url}: HTTP {(int)response.StatusCode}");
        }

        var bytes = await response.Content.ReadAsByteArrayAsync();
        var (format, error) = WavFormat.Read(bytes);
        var problems = format?.ProblemsForTelephony() ?? [];
        if (error is not null || problems.Count > 0)
        {
            return Refuse($"Mono, 16 Bits, 8000Hz, wav required: {error ?? string.Join(", ", problems)}");
        }

        var name = $"{options.BillCode}_{uri.Segments[^1]}";
        media[name] = bytes;
        return Results.Json(new { result = "success", mediafile = name });
    }

    private static Task<IResult> Start(JsonObject body, EvrotelEmulatorOptions options, ConcurrentDictionary<string, byte[]> media)
    {
        var name = Str(body, "mediafile");
        var problem = name is null || !name.StartsWith(options.BillCode + "_", StringComparison.Ordinal) ? $"mediafile must be named {options.BillCode}_<file>"
            : !media.ContainsKey(name) ? $"no media {name}: upload it to autodial/media/ first"
            : body["chnum"] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue<int>(out var chnum) || chnum < 1 ? "chnum must be a whole number of at least 1"
            : null;
        return Task.FromResult(problem is null ? Results.Json(new { result = "success" }) : Refuse(problem));
    }

    private static IResult Refuse(string error) => Results.Json(new { result = "error", error }, statusCode: 400);

    private static string? Str(JsonObject body, string name) =>
        body[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0 ? v.GetValue<string>() : null;

    private static bool Digits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);
}
