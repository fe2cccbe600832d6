using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

/// <summary>The Call API's parameter rules (docs/providers/uis.md), as the UIS stand-in enforces them: each problem names its place.</summary>
internal static class UisEmulatorValidation
{
    private static readonly string[] Top =
    [
        "session_key", "first_call", "switch_at_once", "media_file", "is_queue", "queue_timeout", "use_numb_as_numa",
        "is_use_numb_as_numa", "numa", "numa_message", "numb", "numc", "numc_message",
    ];

    public static List<string> Authenticate(JsonObject p)
    {
        var problems = new List<string>();
        RequireString(p, "login", "params", problems);
        RequireString(p, "password", "params", problems);
        return problems;
    }

    public static List<string> PlaceCalls(JsonObject p)
    {
        var problems = new List<string>();
        problems.AddRange(p.Where(kv => !Top.Contains(kv.Key)).Select(kv => $"params.{kv.Key}: unknown parameter"));
        if (RequireString(p, "first_call", "params", problems) is { } first && first is not ("numa" or "numc" or "any"))
        {
            problems.Add("params.first_call: must be numa, numc or any");
        }

        RequireBool(p, "switch_at_once", "params", problems, required: true);
        OptionalString(p, "media_file", "params", problems);
        var isQueue = RequireBool(p, "is_queue", "params", problems, required: false) == true;
        RequireBool(p, "use_numb_as_numa", "params", problems, required: false);
        RequireBool(p, "is_use_numb_as_numa", "params", problems, required: false);
        Number(p, "numa", "params", problems);
        Number(p, "numb", "params", problems);
        Message(p, "numa_message", problems);
        Message(p, "numc_message", problems);
        var queueTimeout = Int(p, "queue_timeout", "params", problems);
        switch (p["numc"])
        {
            case JsonValue:
                Number(p, "numc", "params", problems);
                break;
            case JsonArray groups when groups.Count > 0:
                if (isQueue && queueTimeout is null)
                {
                    problems.Add("params.queue_timeout: required when is_queue is true");
                }

                for (var i = 0; i < groups.Count; i++)
                {
                    Group(groups[i], $"params.numc[{i}]", isQueue, problems);
                }

                break;
            default:
                problems.Add("params.numc: required, a number or a non-empty list of redirection groups");
                break;
        }

        return problems;
    }

    private static void Group(JsonNode? node, string at, bool isQueue, List<string> problems)
    {
        if (node is not JsonObject g)
        {
            problems.Add($"{at}: must be an object");
            return;
        }

        foreach (var name in (string[])["dialing_increment", "incremental_dialing_timeout"])
        {
            if (Int(g, name, at, problems) is null && !isQueue)
            {
                problems.Add($"{at}.{name}: required for fan-out dialing (is_queue is not true)");
            }
        }

        Int(g, "lines_limit", at, problems);
        Int(g, "lines_start", at, problems);
        if (g["phones"] is not JsonArray { Count: > 0 } phones)
        {
            problems.Add($"{at}.phones: required, a non-empty list");
            return;
        }

        for (var i = 0; i < phones.Count; i++)
        {
            if (phones[i] is not JsonObject phone)
            {
                problems.Add($"{at}.phones[{i}]: must be an object");
                continue;
            }

            Int(phone, "channels_count", $"{at}.phones[{i}]", problems);
            Number(phone, "numb", $"{at}.phones[{i}]", problems);
            Int(phone, "timeout", $"{at}.phones[{i}]", problems);
        }
    }

    private static void Message(JsonObject p, string name, List<string> problems)
    {
        if (p[name] is null)
        {
            return;
        }

        if (p[name] is not JsonObject m)
        {
            problems.Add($"params.{name}: must be an object with type and value");
            return;
        }

        if (RequireString(m, "type", $"params.{name}", problems) is { } type && type is not ("media" or "text"))
        {
            problems.Add($"params.{name}.type: must be media or text");
        }

        RequireString(m, "value", $"params.{name}", problems);
    }

    private static void Number(JsonObject p, string name, string at, List<string> problems)
    {
        if (RequireString(p, name, at, problems) is { } n && (n.Length is < 10 or > 15 || !n.All(char.IsAsciiDigit)))
        {
            problems.Add($"{at}.{name}: '{n}' is not a number in international format (e.g. 74951234567)");
        }
    }

    private static string? RequireString(JsonObject p, string name, string at, List<string> problems)
    {
        if (p[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>();
        }

        problems.Add($"{at}.{name}: required, a string");
        return null;
    }

    private static void OptionalString(JsonObject p, string name, string at, List<string> problems)
    {
        if (p[name] is not null && p[name]!.GetValueKind() != JsonValueKind.String)
        {
            problems.Add($"{at}.{name}: must be a string");
        }
    }

    private static bool? RequireBool(JsonObject p, string name, string at, List<string> problems, bool required)
    {
        if (p[name] is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return v.GetValue<bool>();
        }

        if (required || p[name] is not null)
        {
            problems.Add($"{at}.{name}: {(required ? "required, " : "")}true or false");
        }

        return null;
    }

    private static int? Int(JsonObject p, string name, string at, List<string> problems)
    {
        if (p[name] is null)
        {
            return null;
        }

        if (p[name] is JsonValue v && v.TryGetValue<int>(out var i) && v.GetValueKind() == JsonValueKind.Number)
        {
            return i;
        }

        problems.Add($"{at}.{name}: must be an integer");
        return null;
    }
}
