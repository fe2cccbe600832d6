using System.Text.Json.Nodes;
using PbxHub.Accounts;
using PbxHub.Calls;

namespace PbxHub.Providers.Uis;

/// <summary>
/// Turns a PbxHub call request into <c>place_calls</c> parameters (docs/providers/uis.md) and checks the
/// document's rules first: the client is <c>numa</c>, the operator <c>numc</c> (a list of operators
/// becomes one redirection group), <c>numb</c> the account's service number unless given.
/// </summary>
internal static class UisCallParams
{
    private static readonly string[] GroupFields = ["dialing_increment", "incremental_dialing_timeout", "lines_limit", "lines_start"];

    // After GroupFields: static fields initialise in order.
    private static readonly string[] Known =
    [
        "first_call", "switch_at_once", "media_file", "is_queue", "queue_timeout", "use_numb_as_numa", "numb",
        "numa_message", "numc_message", "numc", .. GroupFields,
    ];

    public static (JsonObject? Params, IDictionary<string, string[]> Errors) Build(Account account, PlaceCallInput input)
    {
        var errors = new Dictionary<string, string[]>();
        var options = new OptionReader(input.Options, "options", errors);
        options.RejectUnknown(Known);
        var p = new JsonObject
        {
            ["first_call"] = options.OneOf("first_call", "numc", "numa", "any") ?? (options.Has("first_call") ? null : "numc"),
            ["switch_at_once"] = options.Bool("switch_at_once") ?? true,
        };
        CopyIf(p, "media_file", options.String("media_file"));
        var isQueue = options.Bool("is_queue");
        CopyIf(p, "is_queue", isQueue);
        var queueTimeout = options.Int("queue_timeout", 1);
        CopyIf(p, "queue_timeout", queueTimeout);
        CopyIf(p, "use_numb_as_numa", options.Bool("use_numb_as_numa"));
        p["numa"] = Number(input.Client, account.Country, "client", errors);
        CopyIf(p, "numa_message", Message(options, "numa_message"));
        var serviceNumber = options.String("numb") ?? account.Setting("Uis:ServiceNumber");
        if (serviceNumber is null)
        {
            errors["options.numb"] = ["numb (the service number UIS calls from) is required: set Uis:ServiceNumber on the account or give options.numb"];
        }
        else
        {
            p["numb"] = Number(serviceNumber, account.Country, "options.numb", errors);
        }

        var groups = Groups(account, input, options, isQueue == true);
        p["numc"] = groups;
        if (groups is JsonArray && isQueue == true && queueTimeout is null && !options.Has("queue_timeout"))
        {
            errors["options.queue_timeout"] = ["queue_timeout is required when is_queue is true"];
        }

        CopyIf(p, "numc_message", Message(options, "numc_message"));
        return (errors.Count == 0 ? p : null, errors);
    }

    /// <summary>One operator: <c>numc</c> is a number. Several, or <c>options.numc</c>: a list of redirection groups.</summary>
    private static JsonNode? Groups(Account account, PlaceCallInput input, OptionReader options, bool isQueue)
    {
        var errors = options.Errors;
        var explicitGroups = options.Objects("numc");
        if (explicitGroups is not null && input.Operators.Count > 0)
        {
            errors["operator"] = ["give either operator or options.numc (redirection groups), not both"];
            return null;
        }

        if (explicitGroups is null && input.Operators.Count == 0)
        {
            errors["operator"] = ["operator is required: the operator's number, or a list of numbers"];
            return null;
        }

        if (explicitGroups is null && input.Operators.Count == 1)
        {
            foreach (var field in GroupFields.Where(options.Has))
            {
                errors[options.Path(field)] = [$"{field} applies to a redirection group: give several operators or options.numc"];
            }

            return Number(input.Operators[0], account.Country, "operator", errors);
        }

        if (explicitGroups is null)
        {
            var phones = new JsonArray(input.Operators.Select((o, i) => (JsonNode)new JsonObject { ["numb"] = Number(o, account.Country, $"operator[{i}]", errors) }).ToArray());
            return new JsonArray(Group(options, isQueue, phones));
        }

        foreach (var field in GroupFields.Where(options.Has))
        {
            errors[options.Path(field)] = [$"{field} belongs inside each group of options.numc"];
        }

        return new JsonArray(explicitGroups.Select(g =>
        {
            g.RejectUnknown([.. GroupFields, "phones"]);
            var phones = g.Objects("phones");
            if (phones is null && !g.Has("phones"))
            {
                g.Error("phones", "phones is required: the group's numbers");
            }

            return (JsonNode)Group(g, isQueue, phones is null ? null : new JsonArray(phones.Select(Phone(account)).ToArray()));
        }).ToArray());
    }

    private static JsonObject Group(OptionReader g, bool isQueue, JsonArray? phones)
    {
        var group = new JsonObject();
        foreach (var field in GroupFields)
        {
            var value = g.Int(field, 1);
            CopyIf(group, field, value);
            // Fan-out dialing needs both; a queue ignores them (docs/providers/uis.md).
            if (!isQueue && value is null && !g.Has(field) && field is "dialing_increment" or "incremental_dialing_timeout")
            {
                g.Error(field, $"{field} is required for a redirection group unless is_queue is true");
            }
        }

        group["phones"] = phones;
        return group;
    }

    private static Func<OptionReader, JsonNode> Phone(Account account) => phone =>
    {
        phone.RejectUnknown(["channels_count", "numb", "timeout"]);
        var result = new JsonObject();
        CopyIf(result, "channels_count", phone.Int("channels_count", 1));
        var numb = phone.String("numb");
        if (numb is null && !phone.Has("numb"))
        {
            phone.Error("numb", "numb is required: the number to ring");
        }

        result["numb"] = numb is null ? null : Number(numb, account.Country, phone.Path("numb"), phone.Errors);
        CopyIf(result, "timeout", phone.Int("timeout", 1));
        return result;
    };

    private static JsonObject? Message(OptionReader options, string name)
    {
        if (options.Object(name) is not { } json)
        {
            return null;
        }

        var message = new OptionReader(json, options.Path(name), options.Errors);
        message.RejectUnknown(["type", "value"]);
        var type = message.OneOf("type", "media", "text");
        var value = message.String("value");
        if (!message.Has("type") || !message.Has("value"))
        {
            options.Error(name, $"{name} needs type (media or text) and value (a file name or the text to speak)");
        }

        return type is null || value is null ? null : new JsonObject { ["type"] = type, ["value"] = value };
    }

    /// <summary>UIS wants international format without '+', e.g. 74951234567.</summary>
    private static string? Number(string raw, string country, string field, IDictionary<string, string[]> errors)
    {
        if (Parties.ToE164(raw, country) is { } e164)
        {
            return e164.TrimStart('+');
        }

        errors[field] = [$"'{raw}' is not a phone number (UIS needs numbers it can dial, in any common form, e.g. +74951234567)"];
        return null;
    }

    private static void CopyIf(JsonObject target, string name, JsonNode? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    private static void CopyIf(JsonObject target, string name, string? value) => CopyIf(target, name, value is null ? null : JsonValue.Create(value));

    private static void CopyIf(JsonObject target, string name, bool? value) => CopyIf(target, name, value is null ? null : JsonValue.Create(value.Value));

    private static void CopyIf(JsonObject target, string name, int? value) => CopyIf(target, name, value is null ? null : JsonValue.Create(value.Value));
}
