namespace PbxHub.Connectors.AmoCrm;

/// <summary>An amoCRM connector's settings (<c>AmoCrm:…</c>, docs/connectors/amocrm.md): the account and how PbxHub is authorised.</summary>
internal sealed class AmoCrmOptions
{
    /// <summary>The account's address, e.g. <c>https://example.amocrm.ru</c>.</summary>
    public string? BaseUrl { get; set; }

    /// <summary>A long-lived token of the integration; else OAuth 2 with <see cref="ClientId"/> and <see cref="ClientSecret"/>.</summary>
    public string? Token { get; set; }

    /// <summary>The integration's id (OAuth 2).</summary>
    public string? ClientId { get; set; }

    /// <summary>The integration's secret key (OAuth 2, and the key the widget's disposable tokens are signed with).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Refresh the OAuth access token this long before it expires.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// amoCRM takes a call once and cannot update it: the call is added once no request of it has arrived for this long,
    /// from its record as it is then (docs/connectors.md#finish-and-late-events). Zero: at once.
    /// </summary>
    public TimeSpan SettleFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long the call waits (after it settled) for PbxHub to keep its recording, so the call carries PbxHub's link;
    /// past it, the provider's link goes. Zero: never waits.
    /// </summary>
    public TimeSpan RecordingWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The pipeline whose "unsorted" gets a call from an unknown number (<c>pipeline_id</c>); empty: the account's main pipeline.</summary>
    public int? PipelineId { get; set; }

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

        foreach (var (name, value) in new[] { ("SettleFor", a.SettleFor), ("RecordingWait", a.RecordingWait) })
        {
            if (value < TimeSpan.Zero || value > TimeSpan.FromHours(1))
            {
                yield return $"AmoCrm:{name} '{value}' must be between 00:00:00 and 01:00:00";
            }
        }

        if (a.PipelineId is <= 0)
        {
            yield return $"AmoCrm:PipelineId '{a.PipelineId}' must be a pipeline id (a positive number), or absent for the main pipeline";
        }

        if (!IsUserId(c.DefaultUser))
        {
            yield return $"DefaultUser '{c.DefaultUser}' must be an amoCRM user id (a positive number): it owns missed calls";
        }

        foreach (var (key, user) in c.Employees.Where(e => !IsUserId(e.Value)))
        {
            yield return $"Employees:{key} '{user}' must be an amoCRM user id (a positive number)";
        }
    }

    internal static bool IsUserId(string? value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0;
}
