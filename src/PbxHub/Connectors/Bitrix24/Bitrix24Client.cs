using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Calls;

namespace PbxHub.Connectors.Bitrix24;

/// <summary>One answer of a portal: <c>result</c>, or Bitrix24's <c>error</c> and <c>error_description</c>, or no answer at all.</summary>
internal sealed record Bitrix24Answer(int? Status, JsonNode? Result, string? Error, string? Description)
{
    public bool Ok => Error is null && Status is >= 200 and < 300;

    public string Text => Error is null ? $"HTTP {Status}" : $"{Error}: {Description}";
}

/// <summary>
/// Calls a portal's REST methods in the application's context (the telephony methods refuse any other with
/// <c>WRONG_AUTH_TYPE</c>): POST <c>{client_endpoint}{method}</c> with the access token as <c>auth</c>. Tokens are
/// refreshed at the OAuth server shortly before they expire, and once more when the portal answers <c>expired_token</c>
/// (<see cref="OAuthTokens"/>).
/// </summary>
internal sealed partial class Bitrix24Client(IHttpClientFactory http, OAuthTokens tokens, TimeProvider time, ILogger<Bitrix24Client> logger)
    : IOAuthCrm<Bitrix24Secrets, Bitrix24Answer>
{
    public const string ClientName = "bitrix24";
    public const string NotInstalled = "NOT_INSTALLED";

    public Task<Bitrix24Secrets?> SecretsAsync(string connectorId, CancellationToken ct) => tokens.ReadAsync<Bitrix24Secrets>(connectorId, ct);

    public Task SaveAsync(string connectorId, Bitrix24Secrets secrets, CancellationToken ct) => tokens.SaveAsync(connectorId, secrets, ct);

    /// <summary>Changes what the secrets keep beside the tokens without putting back tokens a refresh has just replaced.</summary>
    public Task UpdateAsync(string connectorId, Func<Bitrix24Secrets, Bitrix24Secrets> change, CancellationToken ct) =>
        tokens.UpdateAsync(connectorId, change, ct);

    public Task<Bitrix24Answer> CallAsync(ConnectorOptions c, string method, JsonObject parameters, CancellationToken ct) =>
        tokens.SendAsync(this, c, secrets => PostAsync(secrets, method, parameters, ct), ct);

    (string Access, DateTimeOffset ExpiresAt) IOAuthCrm<Bitrix24Secrets, Bitrix24Answer>.Token(Bitrix24Secrets secrets) => (secrets.AccessToken, secrets.ExpiresAt);

    TimeSpan IOAuthCrm<Bitrix24Secrets, Bitrix24Answer>.RefreshBefore(ConnectorOptions c) => c.Bitrix24.RefreshBefore;

    Bitrix24Answer IOAuthCrm<Bitrix24Secrets, Bitrix24Answer>.NotInstalled(ConnectorOptions c, bool uninstalled) => new(null, null, NotInstalled,
        uninstalled ? "the application was uninstalled" : $"the application is not installed on the portal yet: open /connectors/{c.Id}/install from Bitrix24");

    bool IOAuthCrm<Bitrix24Secrets, Bitrix24Answer>.Expired(Bitrix24Answer answer) => answer.Error == "expired_token";

    /// <summary>Passed on as the portal said it: the delivery is retried on the schedule (docs/connectors.md#bitrix24s-answers).</summary>
    Bitrix24Answer IOAuthCrm<Bitrix24Secrets, Bitrix24Answer>.StillExpired(Bitrix24Answer answer) => answer;

    private async Task<Bitrix24Answer> PostAsync(Bitrix24Secrets secrets, string method, JsonObject parameters, CancellationToken ct)
    {
        var body = parameters.DeepClone().AsObject();
        body["auth"] = secrets.AccessToken;
        try
        {
            using var response = await http.CreateClient(ClientName).PostAsJsonAsync(secrets.ClientEndpoint.TrimEnd('/') + "/" + method, body, CallJson.Options, ct);
            return await ReadAsync(response, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new Bitrix24Answer(null, null, "NO_ANSWER", ex.Message);
        }
    }

    /// <summary>A new token pair from the OAuth server: <c>GET {OAuthUrl}/oauth/token/?grant_type=refresh_token</c>.</summary>
    async Task<(Bitrix24Secrets? Fresh, Bitrix24Answer? Problem)> IOAuthCrm<Bitrix24Secrets, Bitrix24Answer>.RefreshAsync(
        ConnectorOptions c, Bitrix24Secrets current, CancellationToken ct)
    {
        var url = $"{c.Bitrix24.OAuthUrl.TrimEnd('/')}/oauth/token/?grant_type=refresh_token"
            + $"&client_id={Uri.EscapeDataString(c.Bitrix24.ClientId!)}&client_secret={Uri.EscapeDataString(c.Bitrix24.ClientSecret!)}"
            + $"&refresh_token={Uri.EscapeDataString(current.RefreshToken)}";
        Bitrix24Answer answer;
        try
        {
            using var response = await http.CreateClient(ClientName).GetAsync(url, ct);
            answer = await ReadAsync(response, ct, whole: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            answer = new Bitrix24Answer(null, null, "NO_ANSWER", "OAuth server: " + ex.Message);
        }

        if (!answer.Ok || answer.Result?["access_token"]?.GetValue<string>() is not { } access
            || answer.Result["refresh_token"]?.GetValue<string>() is not { } refresh)
        {
            LogRefreshFailed(logger, c.Id, answer.Text);
            return (null, answer with { Description = "refreshing the token: " + answer.Description });
        }

        var lifetime = answer.Result["expires_in"] is { } e && int.TryParse(e.ToString(), out var s) ? s : 3600;
        LogRefreshed(logger, c.Id);
        return (current with
        {
            AccessToken = access, RefreshToken = refresh, ExpiresAt = time.GetUtcNow().AddSeconds(lifetime),
            ClientEndpoint = answer.Result["client_endpoint"]?.GetValue<string>() ?? current.ClientEndpoint,
        }, null);
    }

    private static async Task<Bitrix24Answer> ReadAsync(HttpResponseMessage response, CancellationToken ct, bool whole = false)
    {
        var status = (int)response.StatusCode;
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct)) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json?["error"] is { } error)
        {
            return new Bitrix24Answer(status, null, error.ToString(), json["error_description"]?.ToString());
        }

        return json is null || (!whole && !json.ContainsKey("result"))
            ? new Bitrix24Answer(status, null, status is >= 200 and < 300 ? "UNEXPECTED_ANSWER" : $"HTTP_{status}", "the answer is not Bitrix24's JSON")
            : new Bitrix24Answer(status, whole ? json : json["result"], null, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bitrix24 connector {ConnectorId}: access token refreshed")]
    private static partial void LogRefreshed(ILogger logger, string connectorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bitrix24 connector {ConnectorId}: refreshing the token failed: {Problem}")]
    private static partial void LogRefreshFailed(ILogger logger, string connectorId, string problem);
}
