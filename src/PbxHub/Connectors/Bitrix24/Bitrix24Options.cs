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

    /// <summary>
    /// <c>finish</c> waits until no request of the call has arrived for this long (its late events come meanwhile), and
    /// is built from the record as it is then: Bitrix24 takes one finish per call. Zero: at once.
    /// </summary>
    public TimeSpan SettleFor { get; set; } = TimeSpan.FromSeconds(5);

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

        if (b.SettleFor < TimeSpan.Zero || b.SettleFor > TimeSpan.FromHours(1))
        {
            yield return $"Bitrix24:SettleFor '{b.SettleFor}' must be between 00:00:00 and 01:00:00";
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
