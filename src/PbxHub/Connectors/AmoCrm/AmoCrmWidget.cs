using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace PbxHub.Connectors.AmoCrm;

/// <summary>
/// The telephony widget's click-to-call at <c>POST /connectors/{id}/events</c> (our contract, docs/connectors/amocrm.md#click-to-call):
/// <c>X-Auth-Token</c> = the disposable token, JSON <c>{"phone": "…"}</c>. The amoCRM user maps to an extension
/// (<c>Employees</c>) and the call is placed through the connector's one account that can place calls; the call the
/// provider then reports is added to amoCRM once, like any other.
/// </summary>
internal sealed partial class AmoCrmWidget(ConnectorClicks clicks, IOptions<Providers.OutboundOptions> outbound, TimeProvider time, ILogger<AmoCrmWidget> logger)
{
    public const string Header = "X-Auth-Token";

    public async Task<IResult> ReceiveAsync(ConnectorOptions c, HttpRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(c.AmoCrm.ClientSecret))
        {
            return TypedResults.Problem(statusCode: 401, title: "Disposable tokens cannot be checked",
                detail: "AmoCrm:ClientSecret (the integration's secret key, which signs the widget's X-Auth-Token) is not set.");
        }

        var (user, problem) = AmoCrmDisposableToken.Check(request.Headers[Header], c.AmoCrm.ClientSecret, Audience(request), time.GetUtcNow());
        if (user is { AccountDomain: var other } && !SameAccount(c, user))
        {
            (user, problem) = (null, $"the token is from account {other}, not AmoCrm:BaseUrl's");
        }

        if (user is null)
        {
            LogRefused(logger, c.Id, problem!);
            return TypedResults.Problem(statusCode: 401, title: "Invalid X-Auth-Token", detail: problem + ". Nothing was done.");
        }

        var phone = await PhoneAsync(request, ct);
        if (string.IsNullOrWhiteSpace(phone))
        {
            return TypedResults.Problem(statusCode: 400, title: "No phone", detail: "The request must carry the number to call: JSON {\"phone\": \"+79161234567\"}.");
        }

        var amoUser = user.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var employee = c.EmployeeFor(amoUser);
        return await clicks.PlaceAsync(c, employee, phone, employee is null ? $"amoCRM user {amoUser} is not mapped to an extension (Employees)" : null,
            new CrmClick($"amocrm:{user.TokenId ?? amoUser}", time.GetUtcNow()), v => v, ct);
    }

    /// <summary><c>aud</c> as parseDisposableToken expects it: scheme and host (no port) of the redirect URI, on the hub's public address.</summary>
    private string Audience(HttpRequest request)
    {
        var url = new Uri(outbound.Value.PublicBaseUrl ?? ConnectorsEndpoints.BaseUrl(request));
        return $"{url.Scheme}://{url.Host}";
    }

    /// <summary><c>iss</c> is the account's address: it must be the connector's (a token of another account, same integration, is refused).</summary>
    private static bool SameAccount(ConnectorOptions c, AmoCrmWidgetUser user) =>
        user.AccountDomain is null
        || (Uri.TryCreate(user.AccountDomain, UriKind.Absolute, out var iss) ? iss.Host : user.AccountDomain)
            .Equals(new Uri(c.AmoCrm.BaseUrl!).Host, StringComparison.OrdinalIgnoreCase);

    private static async Task<string?> PhoneAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            return (await request.ReadFormAsync(ct))["phone"].ToString();
        }

        try
        {
            return (await JsonNode.ParseAsync(request.Body, cancellationToken: ct))?["phone"]?.ToString();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "amoCRM connector {ConnectorId}: a widget request refused: {Problem}")]
    private static partial void LogRefused(ILogger logger, string connectorId, string problem);
}
