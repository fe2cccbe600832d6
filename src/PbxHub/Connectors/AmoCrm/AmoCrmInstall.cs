using Microsoft.Extensions.Options;

namespace PbxHub.Connectors.AmoCrm;

/// <summary>
/// <c>GET /connectors/{id}/install?code=…&amp;referer=…</c>: the integration's redirect URI. amoCRM sends the authorisation
/// code there once the account allowed the integration; the code is exchanged at <c>{BaseUrl}/oauth2/access_token</c>
/// with this same URL as <c>redirect_uri</c>, and the token pair is kept (docs/connectors/amocrm.md#authorisation).
/// </summary>
internal sealed partial class AmoCrmInstall(AmoCrmClient client, IOptions<Providers.OutboundOptions> outbound, ILogger<AmoCrmInstall> logger)
{
    public async Task<IResult> InstallAsync(ConnectorOptions c, HttpRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(c.AmoCrm.ClientId) || string.IsNullOrWhiteSpace(c.AmoCrm.ClientSecret))
        {
            return Page(400, "This connector has no AmoCrm:ClientId and AmoCrm:ClientSecret: it uses a long-lived token, nothing to install.");
        }

        var code = request.Query["code"].ToString();
        if (code.Length == 0)
        {
            return Page(400, request.Query["error"].ToString() is { Length: > 0 } error
                ? $"amoCRM did not allow the integration: {error}." : "No authorisation code: this is the integration's redirect URI, opened by amoCRM.");
        }

        // referer is the account the code is for; the connector talks to AmoCrm:BaseUrl only.
        var account = new Uri(c.AmoCrm.BaseUrl!);
        var referer = request.Query["referer"].ToString();
        if (referer.Length > 0 && !referer.Equals(account.Authority, StringComparison.OrdinalIgnoreCase) && !referer.Equals(account.Host, StringComparison.OrdinalIgnoreCase))
        {
            LogOtherAccount(logger, c.Id, referer);
            return Page(400, $"The code is for the account {referer}, but this connector's AmoCrm:BaseUrl is {account.Authority}.");
        }

        var redirect = $"{(outbound.Value.PublicBaseUrl ?? ConnectorsEndpoints.BaseUrl(request)).TrimEnd('/')}/connectors/{c.Id}/install";
        var (secrets, answer) = await client.ExchangeAsync(c, code, redirect, referer.Length > 0 ? referer : account.Authority, ct);
        if (secrets is null)
        {
            LogExchangeFailed(logger, c.Id, answer.Text);
            return Page(502, $"amoCRM refused the authorisation code: {answer.Text}.");
        }

        await client.SaveAsync(c.Id, secrets, ct);
        LogInstalled(logger, c.Id, secrets.Domain);
        return Page(200, $"PbxHub is connected to {secrets.Domain}: calls go to amoCRM from now on.");
    }

    private static IResult Page(int status, string text) => TypedResults.Content(
        $"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>PbxHub</title></head>
        <body><p>{System.Net.WebUtility.HtmlEncode(text)}</p></body></html>
        """, "text/html; charset=utf-8", statusCode: status);

    [LoggerMessage(Level = LogLevel.Information, Message = "amoCRM connector {ConnectorId}: installed on {Account}")]
    private static partial void LogInstalled(ILogger logger, string connectorId, string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "amoCRM connector {ConnectorId}: exchanging the authorisation code failed: {Problem}")]
    private static partial void LogExchangeFailed(ILogger logger, string connectorId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "amoCRM connector {ConnectorId}: an authorisation code for another account ({Referer}) refused")]
    private static partial void LogOtherAccount(ILogger logger, string connectorId, string referer);
}
