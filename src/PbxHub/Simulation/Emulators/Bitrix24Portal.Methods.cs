using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PbxHub.Simulation.Emulators;

/// <summary>The telephony methods as Bitrix24's documentation describes them: required parameters, values, and errors.</summary>
internal sealed partial class Bitrix24Portal
{
    private (int, JsonObject) LineAdd(JsonObject p)
    {
        if (Str(p, "NUMBER") is not { Length: > 0 } number)
        {
            return Core("NUMBER should not be empty");
        }

        return lines.Add(number) ? Ok(new JsonObject { ["ID"] = lines.Count }) : Core("Line already exists");
    }

    private (int, JsonObject) Register(JsonObject p)
    {
        if (User(p) is not { } user)
        {
            return Core(p.ContainsKey("USER_ID") || p.ContainsKey("USER_PHONE_INNER") ? "User is not found or is not active" : "USER_ID or USER_PHONE_INNER should be set");
        }

        if (Str(p, "PHONE_NUMBER") is not { } phone || !PhonePattern().IsMatch(phone))
        {
            return Core("Unsupported phone number format");
        }

        if (Int(p, "TYPE") is not { } type || type is < 1 or > 5)
        {
            return Core("Unknown TYPE");
        }

        if (Str(p, "CALL_START_DATE") is { } start && !IsoPattern().IsMatch(start))
        {
            return Core("CALL_START_DATE should be in the ISO-8601 format");
        }

        var external = Str(p, "EXTERNAL_CALL_ID");
        var call = external is null ? null : calls.Values.FirstOrDefault(c => c.ExternalId == external);
        if (call is null)
        {
            call = new Bitrix24Call(NewCallId(), external, user, phone, type);
            calls[call.CallId] = call;
        }

        return Ok(new JsonObject
        {
            ["CALL_ID"] = call.CallId, ["CRM_CREATED_LEAD"] = null, ["CRM_CREATED_ENTITIES"] = new JsonArray(), ["CRM_ENTITY_TYPE"] = "CONTACT", ["CRM_ENTITY_ID"] = 797,
        });
    }

    private (int, JsonObject) ShowOrHide(JsonObject p) =>
        Str(p, "CALL_ID") is not { } id ? Core("CALL_ID should be set") : Ok(JsonValue.Create(calls.ContainsKey(id)));

    private (int, JsonObject) Finish(JsonObject p)
    {
        if (p["CALL_ID"] is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            return (400, Error("INVALID_ARGUMENT", "CALL_ID must be a string"));
        }

        if (User(p) is not { } user)
        {
            return Core(p.ContainsKey("USER_ID") || p.ContainsKey("USER_PHONE_INNER") ? "User is not found or is not active" : "USER_ID or USER_PHONE_INNER should be set");
        }

        if (!calls.TryGetValue(v.GetValue<string>(), out var call))
        {
            return Core("Call is not found (call should be registered prior to finishing");
        }

        var status = Str(p, "STATUS_CODE") ?? (Int(p, "DURATION") > 0 ? "200" : "304");
        if (!StatusCodes.Contains(status))
        {
            return Core("Unknown STATUS_CODE");
        }

        call.Finished = true;
        call.StatusCode = status;
        call.Duration = Int(p, "DURATION") ?? 0;
        return Ok(new JsonObject
        {
            ["CALL_ID"] = call.CallId, ["EXTERNAL_CALL_ID"] = call.ExternalId, ["PORTAL_USER_ID"] = user, ["PHONE_NUMBER"] = call.Phone,
            ["INCOMING"] = call.Type.ToString(CultureInfo.InvariantCulture), ["CALL_DURATION"] = Int(p, "DURATION") ?? 0, ["CALL_STATUS"] = status == "200" ? 1 : 0,
            ["CALL_FAILED_CODE"] = status, ["CALL_FAILED_REASON"] = Str(p, "FAILED_REASON") ?? "", ["ID"] = calls.Values.Count(c => c.Finished),
        });
    }

    private (int, JsonObject) AttachRecord(JsonObject p)
    {
        if (Str(p, "CALL_ID") is not { } id || !calls.TryGetValue(id, out var call) || !call.Finished)
        {
            return Core("Call is not found in the statistic table. Looks like it is not finished yet.");
        }

        var url = Str(p, "RECORD_URL");
        var name = Str(p, "FILENAME") ?? (url is null ? null : Path.GetFileName(new Uri(url).AbsolutePath));
        if (url is null && name is null)
        {
            return Core("Required parameters are not set. Request should contain or URL or FILENAME parameter");
        }

        if (name is not { } n || !(n.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".mp3", StringComparison.OrdinalIgnoreCase)))
        {
            return Core("Wrong file extension. Only wav and mp3 are allowed");
        }

        call.Record = url ?? name;
        return Ok(new JsonObject { ["FILE_ID"] = 9000 + calls.Values.Count(c => c.Record is not null) });
    }

    /// <summary>The user a call is for: <c>USER_ID</c> of an active user, or the user whose inner number is <c>USER_PHONE_INNER</c>.</summary>
    private int? User(JsonObject p) =>
        Int(p, "USER_ID") is { } id ? (options.Users.ContainsKey(id) ? id : null)
        : Str(p, "USER_PHONE_INNER") is { } inner ? options.Users.FirstOrDefault(u => u.Value == inner).Key is var found && found > 0 ? found : null
        : null;

    private static readonly HashSet<string> StatusCodes = ["200", "304", "603", "603-S", "403", "404", "486", "484", "503", "480", "402", "423", "OTHER"];

    private static string? Str(JsonObject p, string name) => p[name] is JsonValue v ? v.ToString() : null;

    private static int? Int(JsonObject p, string name) =>
        p[name] is JsonValue v && int.TryParse(v.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : null;

    /// <summary><c>user.get</c>: users by ascending <c>ID</c>, always 50 a page from <c>start</c>, with <c>next</c> and <c>total</c>.</summary>
    private (int, JsonObject) UserGet(JsonObject p)
    {
        const int page = 50;
        var start = Int(p, "start") is { } s and > 0 ? s : 0;
        var users = options.Users.OrderBy(u => u.Key).ToList();
        var body = Ok(new JsonArray([.. users.Skip(start).Take(page).Select(u => (JsonNode)new JsonObject
        {
            ["ID"] = u.Key.ToString(CultureInfo.InvariantCulture), ["ACTIVE"] = true, ["UF_PHONE_INNER"] = u.Value,
        })]));
        if (start + page < users.Count)
        {
            body.Item2["next"] = start + page;
        }

        body.Item2["total"] = users.Count;
        return body;
    }

    private static (int, JsonObject) Ok(JsonNode? result) => (200, new JsonObject { ["result"] = result, ["time"] = new JsonObject { ["processing"] = 0 } });

    private static (int, JsonObject) Core(string description) => (400, Error("ERROR_CORE", description));

    private static JsonObject Error(string code, string description) => new() { ["error"] = code, ["error_description"] = description };

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private string NewCallId() => $"externalCall.{NewToken()}.{time.GetUtcNow().ToUnixTimeSeconds()}";

    [GeneratedRegex(@"^\+?[0-9]{3,20}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$")]
    private static partial Regex IsoPattern();
}
