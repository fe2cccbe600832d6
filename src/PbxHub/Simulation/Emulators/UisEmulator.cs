using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

internal sealed class UisEmulatorOptions
{
    public string Login { get; set; } = "pbxhub";

    public string Password { get; set; } = "pbxhub";

    /// <summary>The document says one hour; shorter for demos of re-authentication.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Service numbers (<c>numb</c>) the account owns; empty: any number is accepted.</summary>
    public List<string> ServiceNumbers { get; set; } = [];

    /// <summary>How long a call to <see cref="UisEmulator.SlowClient"/> keeps the answer back.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The Data API key (<c>access_token</c>) the history answers to.</summary>
    public string AccessToken { get; set; } = "pbxhub";

    /// <summary>The account's zone: the Data API's times are its wall clock.</summary>
    public string TimeZone { get; set; } = "Europe/Moscow";

    /// <summary>The calls the Data API answers with: those placed through the Call API and those added by <c>POST /_emulator/history</c>.</summary>
    public HistoryBook History { get; } = new();

    /// <summary>Set by <c>POST /_emulator/history/misbehave</c>: an error mnemonic, <c>garbage</c> or <c>http500</c>; null answers normally.</summary>
    public string? Misbehaviour { get; set; }

    /// <summary>The <c>minute_remaining</c> every Data API answer reports (0: a client must wait <c>minute_reset</c>, 30 s).</summary>
    public int MinuteRemaining { get; set; } = 900;

    /// <summary>How many Data API requests are answered normally before <see cref="Misbehaviour"/> begins.</summary>
    public int MisbehaveAfter { get; set; }

    /// <summary>A placed call in the history: the operator answers after this long…</summary>
    public TimeSpan PlacedRing { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>…and talks this long.</summary>
    public TimeSpan PlacedTalk { get; set; } = TimeSpan.FromSeconds(62);
}

/// <summary>
/// A stand-in of the UIS Call API v1 (docs/providers/uis.md): JSON-RPC 2.0 at POST <c>/v1</c>, <c>authenticate</c> and
/// <c>place_calls</c>, session keys that expire, every parameter checked. Errors on demand through the
/// client number (<c>numa</c>): <c>799900</c> followed by the error code's five digits (79990032004 → -32004),
/// <see cref="FailingClient"/> for <c>result: "fail"</c>, <see cref="SlowClient"/> for an answer that comes late.
/// Beside it, the Data API v2.0's call history at POST <c>/v2.0</c> (<see cref="UisEmulatorDataApi"/>), which reports each
/// call placed here.
/// </summary>
internal static class UisEmulator
{
    public const string ErrorPrefix = "799900";
    public const string FailingClient = "79990000000";
    public const string SlowClient = "79990000504";

    private static readonly Dictionary<int, string> Messages = new()
    {
        [-32001] = "IP address error", [-32002] = "Authentication error", [-32003] = "Permission denied",
        [-32004] = "Limit is exceeded", [-32005] = "Session key has expired", [-32600] = "Invalid Request",
        [-32601] = "Method not found", [-32602] = "Invalid params", [-32603] = "Internal error", [-32700] = "Parse error",
    };

    public static Task<EmulatorHost> StartAsync(string url, UisEmulatorOptions options, TimeProvider time, bool quiet = true) =>
        EmulatorHost.StartAsync(url, app => Map(app, options, time), quiet);

    public static void Map(WebApplication app, UisEmulatorOptions options, TimeProvider time)
    {
        var sessions = new ConcurrentDictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        app.MapPost("/v1", async (HttpRequest request, CancellationToken ct) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync(ct);
            JsonNode? parsed;
            try
            {
                parsed = JsonNode.Parse(body);
            }
            catch (JsonException ex)
            {
                return Error(null, -32700, ex.Message);
            }

            if (parsed is not JsonObject rpc || rpc["jsonrpc"]?.GetValueKind() != JsonValueKind.String || (string?)rpc["jsonrpc"] != "2.0"
                || rpc["method"]?.GetValueKind() != JsonValueKind.String || rpc["id"] is not JsonValue idValue || !idValue.TryGetValue<long>(out var id)
                || rpc["params"] is not JsonObject parameters)
            {
                return Error(parsed is JsonObject o ? o["id"]?.DeepClone() : null, -32600, "jsonrpc \"2.0\", method, an integer id and params are all required");
            }

            return (string?)rpc["method"] switch
            {
                "authenticate" => Authenticate(id, parameters, options, sessions, time),
                "place_calls" => await PlaceCallsAsync(id, parameters, options, sessions, time, ct),
                var other => Error(id, -32601, $"method '{other}' does not exist in v1"),
            };
        });
        UisEmulatorDataApi.Map(app, options, time);
        // Any other version: the document's "Api version not supported" has no code of its own.
        app.MapPost("/{version}", (string version) => Error(null, -32601, $"Api version not supported: {version}"));
    }

    private static IResult Authenticate(long id, JsonObject p, UisEmulatorOptions options, ConcurrentDictionary<string, DateTimeOffset> sessions, TimeProvider time)
    {
        var problems = UisEmulatorValidation.Authenticate(p);
        if (problems.Count > 0)
        {
            return Error(id, -32602, string.Join("; ", problems));
        }

        if ((string)p["login"]! != options.Login || (string)p["password"]! != options.Password)
        {
            return Error(id, -32003, "invalid login or password");
        }

        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        sessions[key] = time.GetUtcNow();
        return Result(id, new JsonObject { ["session_key"] = key });
    }

    private static async Task<IResult> PlaceCallsAsync(
        long id, JsonObject p, UisEmulatorOptions options, ConcurrentDictionary<string, DateTimeOffset> sessions, TimeProvider time, CancellationToken ct)
    {
        if (p["session_key"] is not JsonValue k || !k.TryGetValue<string>(out var key))
        {
            return Error(id, -32602, "params.session_key: required string");
        }

        if (!sessions.TryGetValue(key, out var issued))
        {
            return Error(id, -32002, "Invalid session key");
        }

        if (time.GetUtcNow() - issued >= options.SessionLifetime)
        {
            return Error(id, -32005, "Session key has expired");
        }

        var problems = UisEmulatorValidation.PlaceCalls(p);
        if (problems.Count > 0)
        {
            return Error(id, -32602, string.Join("; ", problems));
        }

        var numa = (string)p["numa"]!;
        if (numa.Length == 11 && numa.StartsWith(ErrorPrefix, StringComparison.Ordinal)
            && Messages.ContainsKey(-int.Parse(numa[6..], System.Globalization.CultureInfo.InvariantCulture)))
        {
            var code = -int.Parse(numa[6..], System.Globalization.CultureInfo.InvariantCulture);
            return Error(id, code, $"reproduced on demand for numa {numa}");
        }

        if (options.ServiceNumbers.Count > 0 && !options.ServiceNumbers.Contains((string)p["numb"]!))
        {
            return Error(id, -32003, $"numb {(string)p["numb"]!} is not a service number of this customer");
        }

        if (numa == SlowClient)
        {
            await Task.Delay(options.SlowDelay, time, ct);
        }

        if (numa == FailingClient)
        {
            return Result(id, "fail");
        }

        Record(p, options, time);
        return Result(id, "success");
    }

    /// <summary>A placed call as the Data API will report it: the first operator answers and talks (docs/providers/uis.md#call-history).</summary>
    private static void Record(JsonObject p, UisEmulatorOptions options, TimeProvider time)
    {
        var numc = p["numc"] is JsonArray groups ? (string?)groups[0]?["phones"]?[0]?["numb"] : (string?)p["numc"];
        var now = time.GetUtcNow();
        options.History.Add([new HistoryCall(
            UisEmulatorHistory.NextSession(), "outbound", numc ?? (string)p["numb"]!, (string)p["numa"]!, (string)p["numb"]!, now,
            now + options.PlacedRing, now + options.PlacedRing + options.PlacedTalk, "answered", numc, null)]);
    }

    private static IResult Result(long id, JsonNode result) =>
        Results.Text(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result }.ToJsonString(), "application/json");

    /// <summary>The document's error shape; <c>data</c> points at the place in the request.</summary>
    private static IResult Error(JsonNode? id, int code, string data)
    {
        var reply = new JsonObject { ["jsonrpc"] = "2.0" };
        if (id is not null)
        {
            reply["id"] = id;
        }

        reply["error"] = new JsonObject { ["code"] = code, ["message"] = Messages[code], ["data"] = data };
        return Results.Text(reply.ToJsonString(), "application/json");
    }

    private static IResult Error(long id, int code, string data) => Error(JsonValue.Create(id), code, data);
}
