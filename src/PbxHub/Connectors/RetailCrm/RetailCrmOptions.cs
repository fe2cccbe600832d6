using System.Globalization;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>A RetailCRM connector's settings (<c>RetailCrm:…</c>, docs/connectors/retailcrm.md#settings).</summary>
internal sealed class RetailCrmOptions
{
    /// <summary>The system's address, e.g. <c>https://example.retailcrm.ru</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>An API key of the system (<c>X-API-KEY</c>) allowed the telephony, integration-module and user methods.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The telephony integration module's code (<c>integration-modules/{code}</c>).</summary>
    public string? Code { get; set; }

    /// <summary>The module's name as the system lists it.</summary>
    public string ModuleName { get; set; } = "PbxHub";

    /// <summary>The module's logo (an SVG's address); empty: none is sent.</summary>
    public string? Logo { get; set; }

    /// <summary>The store (<c>siteCode</c>) the lines' numbers belong to in <c>externalPhones</c>, and <c>site</c> of calls; empty: none.</summary>
    public string? Site { get; set; }

    /// <summary>The upload waits until no request of the call arrived for this long: RetailCRM takes one upload per call.</summary>
    public TimeSpan SettleFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Ended calls due within this window go in one <c>calls/upload</c> (at most 50, as the method allows).</summary>
    public TimeSpan UploadWindow { get; set; } = TimeSpan.FromMilliseconds(500);

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

        if (r.SettleFor < TimeSpan.Zero || r.SettleFor > TimeSpan.FromHours(1))
        {
            yield return $"RetailCrm:SettleFor '{r.SettleFor}' must be between 00:00:00 and 01:00:00";
        }

        if (r.UploadWindow < TimeSpan.Zero || r.UploadWindow > TimeSpan.FromSeconds(10))
        {
            yield return $"RetailCrm:UploadWindow '{r.UploadWindow}' must be between 00:00:00 and 00:00:10";
        }

        if (r.Logo is { Length: > 0 } logo && !Uri.TryCreate(logo, UriKind.Absolute, out _))
        {
            yield return $"RetailCrm:Logo '{logo}' is not an absolute URL";
        }

        if (c.DefaultUser is { } user && !IsUserId(user))
        {
            yield return $"DefaultUser '{user}' must be a RetailCRM user id (a positive number)";
        }

        foreach (var (key, value) in c.Employees.Where(e => !IsUserId(e.Value)))
        {
            yield return $"Employees:{key} '{value}' must be a RetailCRM user id (a positive number)";
        }
    }

    internal static bool IsUserId(string? value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0;
}
