using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Providers.Uis;

/// <summary>What one JSON-RPC call came to: a result, an error object, or a problem on the way.</summary>
/// <param name="Body">The answer's body exactly as received (the Data API's rows are kept byte for byte); null when none came.</param>
internal sealed record UisReply(JsonNode? Result, int? ErrorCode, string? ErrorMessage, JsonNode? ErrorData, ProviderExchange Exchange, OutboundProblem? Problem)
{
    public string? Body { get; init; }
}

/// <summary>
/// JSON-RPC 2.0 over HTTP POST, as both of UIS's APIs speak it: the Call API at <c>{Uis:BaseUrl}/v1</c> and the
/// Data API at <c>{Uis:DataApiUrl}</c> (<c>/v2.0</c>) (docs/providers/uis.md).
/// </summary>
internal sealed class UisRpc(OutboundHttp http)
{
    private static long nextId;

    private static readonly string[] Masked = ["session_key", "password", "access_token"];

    public static Uri Endpoint(string baseUrl, string version = "v1")
    {
        var trimmed = baseUrl.TrimEnd('/');
        return new Uri(trimmed.EndsWith("/" + version, StringComparison.Ordinal) ? trimmed : trimmed + "/" + version);
    }

    public async Task<UisReply> CallAsync(Uri endpoint, string method, JsonObject parameters, bool placesCall, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref nextId);
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["id"] = id, ["params"] = parameters.DeepClone() };
        var shown = body.DeepClone();
        foreach (var name in Masked.Where(n => shown["params"]![n] is not null))
        {
            shown["params"]![name] = "***";
        }

        var sent = await http.PostJsonAsync(endpoint, body, shown, null, placesCall, "UIS", ct);
        if (sent.TransportProblem is { } transport)
        {
            return new UisReply(null, null, null, null, sent.Exchange, transport);
        }

        JsonObject? reply;
        try
        {
            reply = JsonNode.Parse(sent.Body!) as JsonObject;
        }
        catch (JsonException)
        {
            reply = null;
        }

        if (reply?["error"] is JsonObject error && error["code"] is JsonValue codeValue && codeValue.TryGetValue<int>(out var code))
        {
            // The document's example has "details", its field list "data" (docs/providers/uis.md): read both.
            var message = error["message"] is JsonValue m && m.TryGetValue<string>(out var text) ? text : "";
            var data = error["data"] ?? error["details"];
            return new UisReply(null, code, message, data, sent.Exchange, null) { Body = sent.Body };
        }

        if (reply is not null && reply.ContainsKey("result") && sent.Status is >= 200 and < 300)
        {
            var result = reply["result"]?.DeepClone();
            if (reply["result"] is JsonObject withKey && withKey.ContainsKey("session_key"))
            {
                // The answer is shown and stored: not the key itself.
                withKey["session_key"] = "***";
            }

            return new UisReply(result, null, null, null, sent.Exchange with { Answered = reply.ToJsonString() }, null) { Body = sent.Body };
        }

        var uncertain = placesCall && sent.Status >= 500;
        var problem = new OutboundProblem(
            502, "UIS answered something that is not JSON-RPC",
            $"HTTP {sent.Status} with body: {Shorten(sent.Body!)}",
            uncertain
                ? "The call may or may not have been placed: look for it in the call journal before trying again."
                : "Check that Uis:BaseUrl leads to the UIS Call API.",
            ProviderCode: sent.Status?.ToString(System.Globalization.CultureInfo.InvariantCulture), MayHaveBeenPlaced: uncertain);
        return new UisReply(null, null, null, null, sent.Exchange, problem) { Body = sent.Body };
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
