using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

/// <summary>The API v5 methods the stand-in answers, with the checks RetailCRM's documentation states.</summary>
internal sealed partial class RetailCrmSystem
{
    private const string EntityErrors = "Errors in the entity format";
    private static readonly string[] EventTypes = ["in", "out", "hangup"];
    private static readonly string[] HangupStatuses = ["answered", "busy", "cancel", "failed", "no answered"];
    private static readonly string[] Results = ["failed", "answered", "busy", "no answer", "not allowed", "unknown"];

    private (int, JsonObject) EditModule(string code, JsonObject p)
    {
        if (Parse(p, "integrationModule") is not JsonObject m)
        {
            return Error(400, "Parameter 'integrationModule' is missing or is not JSON");
        }

        var errors = new JsonObject();
        if (m["code"]?.ToString() != code)
        {
            errors["code"] = "The code must be the one in the address";
        }

        foreach (var field in new[] { "integrationCode", "name", "clientId" }.Where(f => string.IsNullOrWhiteSpace(m[f]?.ToString())))
        {
            errors[field] = "This value should not be blank.";
        }

        if (m["integrations"]?["telephony"] is JsonObject t)
        {
            if (!Uri.TryCreate(t["makeCallUrl"]?.ToString(), UriKind.Absolute, out var make) || !make.Scheme.StartsWith("http", StringComparison.Ordinal))
            {
                errors["integrations.telephony.makeCallUrl"] = "This value is not a valid URL.";
            }

            foreach (var (c, i) in (t["additionalCodes"] as JsonArray ?? []).Select((c, i) => (c, i)))
            {
                if (c?["userId"] is not JsonValue u || !u.TryGetValue<int>(out var id) || !Options.Users.ContainsKey(id) || string.IsNullOrWhiteSpace(c["code"]?.ToString()))
                {
                    errors[$"integrations.telephony.additionalCodes[{i}]"] = "The user is not found or the code is blank";
                }
            }

            foreach (var (x, i) in (t["externalPhones"] as JsonArray ?? []).Select((x, i) => (x, i)))
            {
                if (string.IsNullOrWhiteSpace(x?["siteCode"]?.ToString()) || string.IsNullOrWhiteSpace(x["externalPhone"]?.ToString()))
                {
                    errors[$"integrations.telephony.externalPhones[{i}]"] = "siteCode and externalPhone should not be blank.";
                }
            }
        }

        if (errors.Count > 0)
        {
            return Error(400, EntityErrors, errors);
        }

        bool created;
        lock (gate)
        {
            created = !modules.ContainsKey(code);
            modules[code] = m;
        }

        var (_, body) = Ok(new JsonObject { ["info"] = new JsonObject() });
        return (created ? 201 : 200, body);
    }

    private (int, JsonObject) Users(JsonObject p)
    {
        var limit = int.TryParse(p["limit"]?.ToString(), out var l) ? l : 20;
        var page = int.TryParse(p["page"]?.ToString(), out var n) ? n : 1;
        if (limit is not (20 or 50 or 100) || page < 1)
        {
            return Error(400, "Errors in the input parameters", new JsonObject { ["limit"] = "The limit must be 20, 50 or 100; page at least 1." });
        }

        var all = Options.Users.OrderBy(u => u.Key).ToList();
        var users = new JsonArray([.. all.Skip((page - 1) * limit).Take(limit).Select(u => (JsonNode)new JsonObject
        {
            ["id"] = u.Key, ["active"] = true, ["firstName"] = $"User {u.Key}", ["phone"] = u.Value, ["isManager"] = true,
        })]);
        var pagination = new JsonObject
        {
            ["limit"] = limit, ["totalCount"] = all.Count, ["currentPage"] = page, ["totalPageCount"] = Math.Max(1, (all.Count + limit - 1) / limit),
        };
        return Ok(new JsonObject { ["pagination"] = pagination, ["users"] = users });
    }

    private List<JsonObject> Telephony()
    {
        lock (gate)
        {
            return [.. modules.Values.Where(m => m["active"]?.GetValueKind() != JsonValueKind.False).Select(m => m["integrations"]?["telephony"]).OfType<JsonObject>()];
        }
    }

    private static JsonNode? Parse(JsonObject p, string field)
    {
        try
        {
            return p[field]?.ToString() is { } json ? JsonNode.Parse(json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
