namespace PbxHub.Connectors.RetailCrm;

/// <summary>A RetailCRM connector's settings (<c>RetailCrm:…</c>, docs/connectors.md#retailcrm): the system, its API key and the module's code.</summary>
internal sealed class RetailCrmOptions
{
    /// <summary>The system's address, e.g. <c>https://example.retailcrm.ru</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>An API key of the system (<c>X-API-KEY</c>) allowed the telephony and integration-module methods.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The telephony integration module's code (<c>integration-modules/{code}</c>).</summary>
    public string? Code { get; set; }

    public static IEnumerable<string> Problems(ConnectorOptions c)
    {
        var r = c.RetailCrm;
        if (!Uri.TryCreate(r.BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"RetailCrm:BaseUrl '{r.BaseUrl}' is not the system's absolute http(s) address, e.g. https://example.retailcrm.ru";
        }

        if (string.IsNullOrWhiteSpace(r.ApiKey))
        {
            yield return "RetailCrm:ApiKey is required (an API key of the system)";
        }

        if (string.IsNullOrWhiteSpace(r.Code))
        {
            yield return "RetailCrm:Code is required (the telephony integration module's code)";
        }
    }
}
