using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>One answer of the system: its JSON (<c>success</c>, <c>errorMsg</c>, <c>errors</c>), or no answer at all.</summary>
internal sealed record RetailCrmAnswer(int? Status, JsonObject? Json, string? NoAnswer = null)
{
    public bool Ok => Status is >= 200 and < 300 && Json?["success"]?.GetValueKind() == JsonValueKind.True;

    /// <summary>RetailCRM's <c>errorMsg</c> and <c>errors</c> as one line, for the delivery log.</summary>
    public string Text =>
        NoAnswer is { } why ? $"no answer: {why}"
        : Json is null ? $"HTTP {Status}: the answer is not RetailCRM's JSON"
        : $"HTTP {Status}: {Json["errorMsg"]?.ToString() ?? "success is not true"}{(Json["errors"] is { } e ? " " + e.ToJsonString() : "")}";

    /// <summary>
    /// What the outbox does with a failed call (docs/connectors/retailcrm.md#retailcrms-answers): the key refused and the system down
    /// are retried (the user can fix the key), the limit is retried throttled, a request refused as invalid ends the delivery.
    /// </summary>
    public ConnectorOutcome Outcome(string steps) => Status switch
    {
        null => ConnectorOutcome.Retry(steps, Text, null),
        // The request limit: 503 with RetailCRM's own JSON (a 503 page that is not JSON is the system down).
        429 or 503 when Json is not null => ConnectorOutcome.Retry(steps, "the system's request limit: " + Text, Status, throttled: true),
        401 or 403 => ConnectorOutcome.Retry(steps, "the API key was refused (check RetailCrm:ApiKey and its rights): " + Text, Status),
        >= 500 or 404 => ConnectorOutcome.Retry(steps, Text, Status),
        >= 400 => ConnectorOutcome.GiveUp(steps, "RetailCRM refused the request: " + Text, Status),
        // 2xx with success false: RetailCRM says why, and nothing tells it apart from a key problem: retried.
        _ => ConnectorOutcome.Retry(steps, Text, Status),
    };
}

/// <summary>
/// Calls a RetailCRM system's API v5: the key in <c>X-API-KEY</c>, a POST's parameters as a form whose values are JSON
/// (<c>integrationModule</c>, <c>event</c>, <c>calls</c>), as RetailCRM's API clients send them.
/// </summary>
internal sealed class RetailCrmClient(IHttpClientFactory http)
{
    public const string ClientName = "retailcrm";

    public Task<RetailCrmAnswer> PostAsync(ConnectorOptions c, string method, IReadOnlyDictionary<string, string> form, CancellationToken ct) =>
        SendAsync(c, new HttpRequestMessage(HttpMethod.Post, Url(c, method)) { Content = new FormUrlEncodedContent(form) }, ct);

    public Task<RetailCrmAnswer> GetAsync(ConnectorOptions c, string methodAndQuery, CancellationToken ct) =>
        SendAsync(c, new HttpRequestMessage(HttpMethod.Get, Url(c, methodAndQuery)), ct);

    private static string Url(ConnectorOptions c, string method) => $"{c.RetailCrm.BaseUrl!.TrimEnd('/')}/api/v5/{method}";

    private async Task<RetailCrmAnswer> SendAsync(ConnectorOptions c, HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            request.Headers.Add("X-API-KEY", c.RetailCrm.ApiKey);
            try
            {
                using var response = await http.CreateClient(ClientName).SendAsync(request, ct);
                JsonObject? json;
                try
                {
                    json = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject;
                }
                catch (JsonException)
                {
                    json = null;
                }

                return new RetailCrmAnswer((int)response.StatusCode, json);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                return new RetailCrmAnswer(null, null, ex.Message);
            }
        }
    }
}
