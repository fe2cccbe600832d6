using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>What the hub answered to a reconciliation it was asked for (docs/reconciliation.md); <paramref name="Problem"/> when it ran none or failed.</summary>
internal sealed record ReconcileRun(string? Id, int Seen, int Created, int Completed, int Differing, IReadOnlyList<string> Findings, string? Problem)
{
    public bool Succeeded => Problem is null;
}

/// <summary>Asks the hub to reconcile the account over the run's calls: <c>POST /api/v1/accounts/{id}/reconcile?since&amp;until</c>.</summary>
internal sealed class HubReconciliation(HttpClient http, Uri baseUrl, string apiKey, string account)
{
    public async Task<ReconcileRun> RunAsync(DateTimeOffset since, DateTimeOffset until, CancellationToken ct)
    {
        var path = string.Create(CultureInfo.InvariantCulture,
            $"api/v1/accounts/{Uri.EscapeDataString(account)}/reconcile?since={Uri.EscapeDataString(CallJson.Utc(since))}&until={Uri.EscapeDataString(CallJson.Utc(until))}");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                return Failed($"POST /{path} answered HTTP {(int)response.StatusCode}: {Problem(body)}");
            }

            return Read(body);
        }
        catch (HttpRequestException ex)
        {
            return Failed($"POST /{path} failed: {ex.Message}");
        }
        catch (JsonException ex)
        {
            return Failed($"POST /{path} answered what is not a run: {ex.Message}");
        }
    }

    /// <summary>The run's JSON: <c>id, account, since, until, status, error, seen, created, completed, differing, findings</c>.</summary>
    public static ReconcileRun Read(string body)
    {
        using var json = JsonDocument.Parse(body);
        var run = json.RootElement;
        int Count(string name) => run.TryGetProperty(name, out var n) && n.TryGetInt32(out var value) ? value : 0;
        string? Text(string name) => run.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        var findings = run.TryGetProperty("findings", out var f) && f.ValueKind == JsonValueKind.Array
            ? f.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList()
            : [];
        var problem = Text("status") == "succeeded" ? null : $"the reconciliation {Text("status") ?? "(no status)"}: {Text("error") ?? "no error given"}";
        return new ReconcileRun(Text("id"), Count("seen"), Count("created"), Count("completed"), Count("differing"), findings, problem);
    }

    private static ReconcileRun Failed(string problem) => new(null, 0, 0, 0, 0, [], problem);

    /// <summary>A problem's detail (RFC 9457), else the body's start.</summary>
    private static string Problem(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && (json.RootElement.TryGetProperty("detail", out var d) || json.RootElement.TryGetProperty("title", out d)) && d.ValueKind == JsonValueKind.String)
            {
                return d.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: shown as it came.
        }

        return body.Length <= 200 ? body : body[..200] + "…";
    }
}
