namespace PbxHub.Connectors.Bitrix24;

/// <summary>A Bitrix24 connector's settings (<c>Bitrix24:…</c>): the local application's credentials and what to create.</summary>
internal sealed class Bitrix24Options
{
    public const string DefaultOAuthUrl = "https://oauth.bitrix.info";

    /// <summary>The local application's <c>client_id</c> (the portal shows it when the application is added).</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Bitrix24's OAuth server, where tokens are refreshed.</summary>
    public string OAuthUrl { get; set; } = DefaultOAuthUrl;

    /// <summary><c>CRM_CREATE</c> of each registered call: a lead for a number the CRM does not know.</summary>
    public bool CrmCreate { get; set; } = true;

    /// <summary>Refresh the access token this long before it expires.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    public static IEnumerable<string> Problems(ConnectorOptions c)
    {
        var b = c.Bitrix24;
        if (string.IsNullOrWhiteSpace(b.ClientId))
        {
            yield return "Bitrix24:ClientId is required (the local application's client_id)";
        }

        if (string.IsNullOrWhiteSpace(b.ClientSecret))
        {
            yield return "Bitrix24:ClientSecret is required (the local application's client_secret)";
        }

        if (!Uri.TryCreate(b.OAuthUrl, UriKind.Absolute, out var oauth) || (oauth.Scheme != Uri.UriSchemeHttps && oauth.Scheme != Uri.UriSchemeHttp))
        {
            yield return $"Bitrix24:OAuthUrl '{b.OAuthUrl}' is not an absolute http(s) URL";
        }

        if (!IsUserId(c.DefaultUser))
        {
            yield return $"DefaultUser '{c.DefaultUser}' must be a Bitrix24 user id (a positive number): it owns missed calls";
        }

        foreach (var (key, user) in c.Employees.Where(e => !IsUserId(e.Value)))
        {
            yield return $"Employees:{key} '{user}' must be a Bitrix24 user id (a positive number)";
        }
    }

    private static bool IsUserId(string? value) => int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0;
}
