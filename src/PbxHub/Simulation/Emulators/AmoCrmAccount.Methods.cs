using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

/// <summary>The API methods as amoCRM documents them: Bearer tokens, required fields and types, and its answers.</summary>
internal sealed partial class AmoCrmAccount
{
    /// <summary>The answer of one API call: (HTTP status, JSON body or null for none).</summary>
    public (int Status, JsonNode? Body) Handle(string method, string path, string? authorization, JsonNode? body) => Locked(() =>
    {
        var answer = Answer(method, path, authorization, body);
        requests.Add(new AmoCrmRequest(method, path, body?.DeepClone(), answer.Item1, answer.Item1 >= 400 ? answer.Item2?.ToJsonString() : null));
        return answer;
    });

    private (int, JsonNode?) Answer(string method, string path, string? authorization, JsonNode? body)
    {
        if (Interlocked.Decrement(ref limited) >= 0)
        {
            return (429, null);
        }

        Interlocked.Exchange(ref limited, 0);
        if (!Authorised(authorization))
        {
            return (401, Problem(401, "Unauthorized", "Unauthorized"));
        }

        return (method, path) switch
        {
            ("POST", "/api/v4/calls") => AddCalls(body),
            ("POST", "/api/v4/leads/unsorted/sip") => AddUnsorted(body),
            ("POST", "/api/v2/events" or "/api/v2/events/") => AddEvents(body),
            ("GET", "/api/v4/users") => (200, Users()),
            _ => (404, Problem(404, "Not Found", $"{method} {path} is not one of the stand-in's methods")),
        };
    }

    private (int, JsonNode?) AddCalls(JsonNode? body)
    {
        if (body is not JsonArray items || items.Count == 0)
        {
            return Invalid("0", "", "NotSupportedType", "The request must be a non-empty array of calls.");
        }

        var added = new JsonArray();
        foreach (var item in items)
        {
            if (item is not JsonObject call)
            {
                return Invalid("0", "", "NotSupportedType", "Each call must be an object.");
            }

            var id = call["request_id"]?.ToString() ?? "0";
            var problem = Require(call, "direction", JsonValueKind.String) ?? Require(call, "duration", JsonValueKind.Number) ?? Require(call, "source", JsonValueKind.String)
                ?? Require(call, "phone", JsonValueKind.String) ?? Optional(call, "uniq", JsonValueKind.String) ?? Optional(call, "link", JsonValueKind.String)
                ?? Optional(call, "call_result", JsonValueKind.String) ?? Optional(call, "call_status", JsonValueKind.Number)
                ?? Optional(call, "responsible_user_id", JsonValueKind.Number) ?? Optional(call, "created_at", JsonValueKind.Number);
            if (problem is { } p)
            {
                return Invalid(id, p.Path, p.Code, p.Detail);
            }

            if (call["direction"]!.ToString() is not ("inbound" or "outbound"))
            {
                return Invalid(id, "direction", "InvalidChoice", "The value you selected is not a valid choice.");
            }

            if (call["call_status"] is { } status && status.GetValue<int>() is < 1 or > 7)
            {
                return Invalid(id, "call_status", "InvalidChoice", "The value you selected is not a valid choice.");
            }

            if (call["responsible_user_id"] is { } user && !options.Users.ContainsKey(user.GetValue<int>()))
            {
                return Invalid(id, "responsible_user_id", "InvalidUser", "User not found.");
            }

            // The call goes only to a card with this number; amoCRM adds nothing for another (amocrm-api-php issue #52).
            if (!Known(call["phone"]!.ToString()))
            {
                return (400, new JsonObject { ["_total_items"] = 0, ["errors"] = new JsonArray(new JsonObject { ["title"] = "Entity not found", ["request_id"] = id }) });
            }

            var added1 = new AmoCrmCall(calls.Count + 7_008_123, call.DeepClone().AsObject());
            calls.Add(added1);
            added.Add(new JsonObject
            {
                ["id"] = added1.Id, ["entity_id"] = 9_474_005, ["entity_type"] = "contact", ["account_id"] = options.AccountId, ["request_id"] = id,
                ["_embedded"] = new JsonObject { ["entity"] = new JsonObject { ["id"] = 9_474_005 } },
            });
        }

        return (200, new JsonObject { ["_total_items"] = added.Count, ["_embedded"] = new JsonObject { ["calls"] = added } });
    }

    /// <summary>amoCRM finds a card by the number's last ten digits, whatever its format.</summary>
    private bool Known(string phone) => Digits(phone) is { Length: >= 10 } d && options.Contacts.Any(c => Digits(c) is { Length: >= 10 } k && k[^10..] == d[^10..]);

    private static string Digits(string s) => new([.. s.Where(char.IsAsciiDigit)]);

    private static (string Path, string Code, string Detail)? Require(JsonObject o, string name, JsonValueKind kind, string prefix = "") =>
        o[name] is null ? (prefix + name, "NotBlank", "This value should not be blank.") : Optional(o, name, kind, prefix);

    private static (string Path, string Code, string Detail)? Optional(JsonObject o, string name, JsonValueKind kind, string prefix = "") =>
        o[name] is { } v && v.GetValueKind() != kind ? (prefix + name, "InvalidType", $"This value should be of type {(kind == JsonValueKind.Number ? "int" : kind.ToString().ToLowerInvariant())}.") : null;

    private static (int, JsonNode?) Invalid(string requestId, string path, string code, string detail) => (400, new JsonObject
    {
        ["validation-errors"] = new JsonArray(new JsonObject
        {
            ["request_id"] = requestId, ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["path"] = path, ["detail"] = detail }),
        }),
        ["title"] = "Bad Request", ["type"] = "https://httpstatus.es/400", ["status"] = 400, ["detail"] = "Request validation failed",
    });

    private static JsonObject Problem(int status, string title, string detail) =>
        new() { ["title"] = title, ["type"] = $"https://httpstatus.es/{status}", ["status"] = status, ["detail"] = detail };
}
