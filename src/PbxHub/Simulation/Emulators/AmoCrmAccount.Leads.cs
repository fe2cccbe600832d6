using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

/// <summary>Unsorted SIP leads, call notifications and users, as amoCRM documents them.</summary>
internal sealed partial class AmoCrmAccount
{
    private (int, JsonNode?) AddUnsorted(JsonNode? body)
    {
        if (body is not JsonArray items || items.Count == 0 || items.Any(i => i is not JsonObject))
        {
            return Invalid("0", "", "NotSupportedType", "The request must be a non-empty array of unsorted leads.");
        }

        var added = new JsonArray();
        foreach (var lead in items.Cast<JsonObject>())
        {
            var id = lead["request_id"]?.ToString() ?? "0";
            var problem = Require(lead, "source_uid", JsonValueKind.String) ?? Require(lead, "source_name", JsonValueKind.String)
                ?? Require(lead, "metadata", JsonValueKind.Object) ?? Optional(lead, "pipeline_id", JsonValueKind.Number) ?? Optional(lead, "created_at", JsonValueKind.Number);
            var m = lead["metadata"] as JsonObject ?? [];
            problem ??= Require(m, "uniq", JsonValueKind.String, "metadata.") ?? Require(m, "duration", JsonValueKind.Number, "metadata.")
                ?? Require(m, "service_code", JsonValueKind.String, "metadata.") ?? Require(m, "called_at", JsonValueKind.Number, "metadata.")
                ?? Require(m, "from", JsonValueKind.String, "metadata.") ?? Optional(m, "link", JsonValueKind.String, "metadata.");
            if (problem is null && m["phone"]?.GetValueKind() is not (JsonValueKind.String or JsonValueKind.Number))
            {
                problem = ("metadata.phone", "NotBlank", "This value should not be blank.");
            }

            if (problem is { } p)
            {
                return Invalid(id, p.Path, p.Code, p.Detail);
            }

            var uid = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));
            unsorted.Add(new AmoCrmUnsorted(uid, lead.DeepClone().AsObject()));
            added.Add(new JsonObject
            {
                ["uid"] = uid, ["account_id"] = options.AccountId, ["request_id"] = id,
                ["_embedded"] = new JsonObject
                {
                    ["leads"] = new JsonArray(new JsonObject { ["id"] = 3_000_000 + unsorted.Count }),
                    ["contacts"] = new JsonArray(new JsonObject { ["id"] = 4_000_000 + unsorted.Count }),
                },
            });
        }

        return (200, new JsonObject { ["_total_items"] = added.Count, ["_embedded"] = new JsonObject { ["unsorted"] = added } });
    }

    /// <summary><c>POST /api/v2/events</c>: <c>add</c>, each of type <c>phone_call</c> with <c>phone_number</c> and optional <c>users</c>; 202.</summary>
    private (int, JsonNode?) AddEvents(JsonNode? body)
    {
        if (body?["add"] is not JsonArray add || add.Count == 0 || add.Any(a => a is not JsonObject))
        {
            return Invalid("0", "add", "NotBlank", "add must be a non-empty array of events.");
        }

        foreach (var e in add.Cast<JsonObject>())
        {
            if (e["type"]?.ToString() != "phone_call" || Require(e, "phone_number", JsonValueKind.String) is not null
                || (e["users"] is { } users && users is not JsonArray))
            {
                return Invalid("0", "add", "InvalidChoice", "Each event needs type phone_call, a phone_number, and users as an array.");
            }

            events.Add(e.DeepClone().AsObject());
        }

        return (202, null);
    }

    private JsonObject Users() => new()
    {
        ["_total_items"] = options.Users.Count, ["_page"] = 1,
        ["_embedded"] = new JsonObject
        {
            ["users"] = new JsonArray([.. options.Users.OrderBy(u => u.Key).Select(u => (JsonNode)new JsonObject
            {
                ["id"] = u.Key, ["name"] = u.Value, ["email"] = $"user{u.Key}@example.com", ["lang"] = "ru",
                ["rights"] = new JsonObject { ["is_admin"] = u.Key == options.Users.Keys.Min(), ["is_active"] = true },
            })]),
        },
    };
}
