using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Simulation.Emulators;

/// <summary>The telephony methods of the stand-in: call events and calls upload (at most 50 calls a request).</summary>
internal sealed partial class RetailCrmSystem
{
    private (int, JsonObject) CallEvent(JsonObject p)
    {
        if (Parse(p, "event") is not JsonObject e)
        {
            return Error(400, "Parameter 'event' is missing or is not JSON");
        }

        var errors = new JsonObject();
        var type = e["type"]?.ToString();
        if (string.IsNullOrWhiteSpace(e["phone"]?.ToString()))
        {
            errors["phone"] = "This value should not be blank.";
        }

        if (!EventTypes.Contains(type))
        {
            errors["type"] = "The value must be one of in, out, hangup.";
        }

        if (e["hangupStatus"] is { } status && !HangupStatuses.Contains(status.ToString()))
        {
            errors["hangupStatus"] = "The value must be one of answered, busy, cancel, failed, no answered.";
        }

        if (errors.Count > 0)
        {
            return Error(400, EntityErrors, errors);
        }

        var supported = type switch { "in" => "inputEventSupported", "out" => "outputEventSupported", _ => "hangupEventSupported" };
        if (!Telephony().Any(t => t[supported]?.GetValueKind() == JsonValueKind.True))
        {
            return Error(400, $"No active telephony integration supports {type} events");
        }

        lock (gate)
        {
            events.Add(e);
        }

        return Ok();
    }

    private (int, JsonObject) Upload(JsonObject p)
    {
        if (Parse(p, "calls") is not JsonArray list || list.Count == 0)
        {
            return Error(400, "Parameter 'calls' is missing or empty");
        }

        if (list.Count > 50)
        {
            return Error(400, "Errors in the input parameters", new JsonObject { ["calls"] = $"At most 50 calls in one request ({list.Count} given)." });
        }

        var errors = new JsonObject();
        foreach (var (c, i) in list.Select((c, i) => (c as JsonObject, i)))
        {
            if (!DateTime.TryParseExact(c?["date"]?.ToString(), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                errors[$"calls[{i}].date"] = "The date must be Y-m-d H:i:s.";
            }

            if (c?["type"]?.ToString() is not ("in" or "out"))
            {
                errors[$"calls[{i}].type"] = "The value must be in or out.";
            }

            if (string.IsNullOrWhiteSpace(c?["phone"]?.ToString()))
            {
                errors[$"calls[{i}].phone"] = "This value should not be blank.";
            }

            if (c?["result"] is { } r && !Results.Contains(r.ToString()))
            {
                errors[$"calls[{i}].result"] = "The value must be one of failed, answered, busy, no answer, not allowed, unknown.";
            }
        }

        if (errors.Count > 0)
        {
            return Error(400, EntityErrors, errors);
        }

        if (!Telephony().Any())
        {
            return Error(400, "No active telephony integration");
        }

        var duplicates = new JsonArray();
        var processed = 0;
        lock (gate)
        {
            foreach (var c in list.OfType<JsonObject>())
            {
                if (c["externalId"]?.ToString() is { } id && calls.Any(k => k["externalId"]?.ToString() == id))
                {
                    duplicates.Add(id);
                    continue;
                }

                calls.Add((JsonObject)c.DeepClone());
                processed++;
            }
        }

        return Ok(new JsonObject { ["processedCallsCount"] = processed, ["duplicateCalls"] = duplicates });
    }
}
