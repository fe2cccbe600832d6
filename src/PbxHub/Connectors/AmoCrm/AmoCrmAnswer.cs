using System.Text.Json.Nodes;

namespace PbxHub.Connectors.AmoCrm;

/// <summary>One answer of the account: its status and JSON body, or no answer at all (<see cref="Status"/> null).</summary>
internal sealed record AmoCrmAnswer(int? Status, JsonNode? Body, string? Problem)
{
    public bool Ok => Problem is null && Status is >= 200 and < 300;

    /// <summary>amoCRM's own words: <c>title</c>/<c>detail</c>, the validation errors' <c>path: detail</c>, or the errors' titles.</summary>
    public string Text => Problem ?? $"HTTP {Status}{(Words(Body) is { Length: > 0 } w ? ": " + w : "")}";

    private static string Words(JsonNode? body)
    {
        if (body is not JsonObject o)
        {
            return "";
        }

        var parts = new List<string>();
        foreach (var set in (o["validation-errors"] as JsonArray ?? []).OfType<JsonObject>())
        {
            parts.AddRange((set["errors"] as JsonArray ?? []).OfType<JsonObject>().Select(e => $"{e["path"]}: {e["detail"]} ({e["code"]})"));
        }

        parts.AddRange((o["errors"] as JsonArray ?? []).OfType<JsonObject>().Select(e => e["title"]?.ToString() ?? e.ToJsonString()));
        if (parts.Count == 0)
        {
            parts.AddRange(new[] { o["title"]?.ToString(), o["detail"]?.ToString(), o["hint"]?.ToString() }.OfType<string>().Where(s => s.Length > 0));
        }

        return string.Join("; ", parts);
    }
}
