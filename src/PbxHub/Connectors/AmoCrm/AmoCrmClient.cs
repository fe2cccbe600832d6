using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PbxHub.Connectors.AmoCrm;

/// <summary>
/// Calls the account's API with <c>Authorization: Bearer</c>: the long-lived token (<c>AmoCrm:Token</c>), or the OAuth
/// access token, refreshed at <c>{BaseUrl}/oauth2/access_token</c> shortly before it expires and once after a 401
/// (docs/connectors/amocrm.md#authorisation). Concurrent deliveries share one refresh (<see cref="OAuthTokens"/>).
/// </summary>
internal sealed partial class AmoCrmClient(IHttpClientFactory http, OAuthTokens tokens, TimeProvider time, ILogger<AmoCrmClient> logger)
    : IOAuthCrm<AmoCrmSecrets, AmoCrmAnswer>
{
    public const string ClientName = "amocrm";
    public const string NotInstalled = "the integration is not installed yet: install it in amoCRM (its redirect URI is /connectors/{id}/install)";

    public Task<AmoCrmSecrets?> SecretsAsync(string connectorId, CancellationToken ct) => tokens.ReadAsync<AmoCrmSecrets>(connectorId, ct);

    public Task SaveAsync(string connectorId, AmoCrmSecrets secrets, CancellationToken ct) => tokens.SaveAsync(connectorId, secrets, ct);

    public Task<AmoCrmAnswer> SendAsync(ConnectorOptions c, HttpMethod method, string path, JsonNode? body, CancellationToken ct) =>
        !string.IsNullOrWhiteSpace(c.AmoCrm.Token)
            ? RawAsync(c, method, path, body, c.AmoCrm.Token, ct)
            : tokens.SendAsync(this, c, secrets => RawAsync(c, method, path, body, secrets.AccessToken, ct), ct);

    /// <summary>The authorisation code amoCRM sent to the redirect URI, exchanged for the token pair (<c>grant_type=authorization_code</c>).</summary>
    public async Task<(AmoCrmSecrets? Secrets, AmoCrmAnswer Answer)> ExchangeAsync(ConnectorOptions c, string code, string redirectUri, string domain, CancellationToken ct)
    {
        var answer = await TokenAsync(c, new JsonObject { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri }, ct);
        return (answer.Ok && Pair(answer, domain) is { } secrets ? secrets with { RedirectUri = redirectUri } : null, answer);
    }

    (string Access, DateTimeOffset ExpiresAt) IOAuthCrm<AmoCrmSecrets, AmoCrmAnswer>.Token(AmoCrmSecrets secrets) => (secrets.AccessToken, secrets.ExpiresAt);

    TimeSpan IOAuthCrm<AmoCrmSecrets, AmoCrmAnswer>.RefreshBefore(ConnectorOptions c) => c.AmoCrm.RefreshBefore;

    AmoCrmAnswer IOAuthCrm<AmoCrmSecrets, AmoCrmAnswer>.NotInstalled(ConnectorOptions c, bool uninstalled) =>
        new(null, null, NotInstalled.Replace("{id}", c.Id, StringComparison.Ordinal));

    bool IOAuthCrm<AmoCrmSecrets, AmoCrmAnswer>.Expired(AmoCrmAnswer answer) => answer.Status == 401;

    AmoCrmAnswer IOAuthCrm<AmoCrmSecrets, AmoCrmAnswer>.StillExpired(AmoCrmAnswer answer) =>
        answer with { Problem = "HTTP 401 after refreshing the token: the integration lost its access (reinstall it in amoCRM)" };

    async Task<(AmoCrmSecrets? Fresh, AmoCrmAnswer? Problem)> IOAuthCrm<AmoCrmSecrets, AmoCrmAnswer>.RefreshAsync(
        ConnectorOptions c, AmoCrmSecrets current, CancellationToken ct)
    {
        // The redirect URI must be the one the code was exchanged with: amoCRM checks it on refresh too.
        var answer = await TokenAsync(c, new JsonObject
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = current.RefreshToken, ["redirect_uri"] = current.RedirectUri,
        }, ct);
        if (!answer.Ok || Pair(answer, current.Domain) is not { } fresh)
        {
            LogRefreshFailed(logger, c.Id, answer.Text);
            return (null, answer with { Problem = "refreshing the token: " + answer.Text });
        }

        LogRefreshed(logger, c.Id);
        return (fresh with { RedirectUri = current.RedirectUri }, null);
    }

    private AmoCrmSecrets? Pair(AmoCrmAnswer answer, string domain) =>
        answer.Body?["access_token"]?.GetValue<string>() is { } access && answer.Body["refresh_token"]?.GetValue<string>() is { } refresh
            ? new AmoCrmSecrets(access, refresh, time.GetUtcNow().AddSeconds(answer.Body["expires_in"] is JsonValue e && e.TryGetValue<int>(out var s) ? s : 86400), domain)
            : null;

    private Task<AmoCrmAnswer> TokenAsync(ConnectorOptions c, JsonObject body, CancellationToken ct)
    {
        body["client_id"] = c.AmoCrm.ClientId;
        body["client_secret"] = c.AmoCrm.ClientSecret;
        return RawAsync(c, HttpMethod.Post, "/oauth2/access_token", body, null, ct);
    }

    private async Task<AmoCrmAnswer> RawAsync(ConnectorOptions c, HttpMethod method, string path, JsonNode? body, string? token, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, c.AmoCrm.BaseUrl!.TrimEnd('/') + path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(Calls.CallJson.Options), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.CreateClient(ClientName).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? json;
            try
            {
                json = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                json = null;
            }

            return new AmoCrmAnswer((int)response.StatusCode, json, null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new AmoCrmAnswer(null, null, "no answer from amoCRM: " + ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "amoCRM connector {ConnectorId}: access token refreshed")]
    private static partial void LogRefreshed(ILogger logger, string connectorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "amoCRM connector {ConnectorId}: refreshing the token failed: {Problem}")]
    private static partial void LogRefreshFailed(ILogger logger, string connectorId, string problem);
}
