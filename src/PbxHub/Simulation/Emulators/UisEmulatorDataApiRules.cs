using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Providers.Uis;

namespace PbxHub.Simulation.Emulators;

/// <summary>The Data API documentation's errors and parameter forms, as the UIS stand-in answers them (docs/providers/uis.md#the-stand-ins-history).</summary>
internal static class UisEmulatorDataApiRules
{
    public static readonly Dictionary<string, (int Code, string Message)> Errors = new()
    {
        ["parse_error"] = (-32700, "Invalid JSON was received by the server."),
        ["invalid_request"] = (-32600, "Invalid Request The JSON sent is not a valid Request object"),
        ["method_not_found"] = (-32601, "The method does not exist / is not available"),
        ["access_token_invalid"] = (-32001, "Access token is invalid"),
        ["access_token_expired"] = (-32001, "Access token has been expired"),
        ["access_token_blocked"] = (-32001, "Access token has been blocked"),
        ["ip_not_whitelisted"] = (-32003, "Your IP 127.0.0.1 is not whitelisted"),
        ["forbidden"] = (-32003, "Permission denied"),
        ["limit_exceeded"] = (-32029, "Limit per minute has been exceeded. Value of current limit per minute is 100"),
        ["internal_error"] = (-32603, "Internal error, contact the support service"),
        ["required_parameter_missed"] = (-32602, "The required parameter has been missed"),
        ["invalid_parameter_value"] = (-32602, "Invalid parameter value"),
        ["unexpected_parameters"] = (-32602, "Unexpected method parameter(s)"),
        ["filter_prohibited"] = (-32602, "Filter by parameter is prohibited"),
        ["date_interval_limit_reached"] = (-32602, "Max value of requested date interval is 3 months"),
    };

    /// <summary>Only what the stand-in understands: none, or <c>{field, operator: "=" | "in", value}</c> on the session id.</summary>
    public static Func<JsonNode?, bool>? Filter(JsonNode? filter, string field)
    {
        if (filter is null)
        {
            return _ => true;
        }

        if (filter is not JsonObject f || (string?)f["field"] != field || f["operator"] is not JsonValue op)
        {
            return null;
        }

        var values = ((string?)op switch
        {
            "=" => [f["value"]],
            "in" => f["value"] as JsonArray ?? [],
            _ => null,
        })?.Select(v => v?.ToJsonString()).ToHashSet(StringComparer.Ordinal);
        return values is null ? null : id => values.Contains(id?.ToJsonString());
    }

    public static DateTime? Wall(string text) =>
        DateTime.TryParseExact(text, UisDataApi.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    public static int? Int(JsonObject p, string name, int absent) =>
        p[name] is null ? absent : p[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i) ? i : null;

    public static IResult Error(JsonNode? id, string mnemonic, string? field)
    {
        var (code, message) = Errors[mnemonic];
        var data = new JsonObject { ["mnemonic"] = mnemonic };
        if (field is not null)
        {
            data["field"] = field;
        }

        return Results.Text(new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = id?.DeepClone(), ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["data"] = data },
        }.ToJsonString(), "application/json");
    }
}
