namespace PbxHub.Connectors.AmoCrm;

/// <summary>An amoCRM connector's settings (<c>AmoCrm:…</c>, docs/connectors.md#amocrm): the account and how PbxHub is authorised.</summary>
internal sealed class AmoCrmOptions
{
    /// <summary>The account's address, e.g. <c>https://example.amocrm.ru</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>A long-lived token of the integration; else OAuth 2 with <see cref="ClientId"/> and <see cref="ClientSecret"/>.</summary>
    public string? Token { get; set; }

    /// <summary>The integration's id (OAuth 2).</summary>
    public string? ClientId { get; set; }

    /// <summary>The integration's secret key (OAuth 2).</summary>
    public string? ClientSecret { get; set; }

    public static IEnumerable<string> Problems(ConnectorOptions c)
    {
        var a = c.AmoCrm;
        if (!Uri.TryCreate(a.BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"AmoCrm:BaseUrl '{a.BaseUrl}' is not the account's absolute http(s) address, e.g. https://example.amocrm.ru";
        }

        if (string.IsNullOrWhiteSpace(a.Token) && (string.IsNullOrWhiteSpace(a.ClientId) || string.IsNullOrWhiteSpace(a.ClientSecret)))
        {
            yield return "AmoCrm:Token (a long-lived token) or AmoCrm:ClientId and AmoCrm:ClientSecret (OAuth 2) are required";
        }
    }
}
