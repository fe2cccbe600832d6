namespace PbxHub.Connectors.AmoCrm;

/// <summary>What amoCRM's answers mean for a delivery (docs/connectors/amocrm.md#amocrms-answers).</summary>
internal static class AmoCrmOutcomes
{
    /// <summary>
    /// <c>POST /api/v4/calls</c> adds a call only to a card with its number; for another number amoCRM answers 400 with
    /// <c>errors[].title</c> "Entity not found" (amocrm-api-php issue #52: <c>_total_items</c> 0 and that error). The
    /// documentation shows no such answer: the same error with another status (a 2xx without the call) means the same.
    /// </summary>
    public static bool NumberUnknown(AmoCrmAnswer answer) =>
        answer.Status is 400 or (>= 200 and < 300) && answer.Body?["_embedded"]?["calls"] is null
        && answer.Body?["errors"] is System.Text.Json.Nodes.JsonArray errors
        && errors.Any(e => e?["title"]?.ToString().Contains("Entity not found", StringComparison.OrdinalIgnoreCase) == true);

    public static ConnectorOutcome Of(string step, AmoCrmAnswer answer)
    {
        var error = $"{step}: {answer.Text}";
        return answer.Status switch
        {
            429 => ConnectorOutcome.Retry(step, error, 429, throttled: true),
            // Not installed yet, no answer, a refused refresh, 401 after a refresh, an unpaid account (402), amoCRM down (5xx).
            null or 401 or 402 or >= 500 => ConnectorOutcome.Retry(step, error, answer.Status),
            // A validation error (400), no rights (403), no such method (404): the same request would be refused again.
            >= 400 => ConnectorOutcome.GiveUp(step, error, answer.Status),
            _ => ConnectorOutcome.Retry(step, $"{error} (unexpected answer)", answer.Status),
        };
    }
}
