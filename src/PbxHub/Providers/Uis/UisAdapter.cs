using PbxHub.Accounts;
using PbxHub.Ingest;

namespace PbxHub.Providers.Uis;

/// <summary>
/// UIS as an account provider. Its document is the outbound Call API only (docs/providers/uis.md): UIS sends PbxHub no call
/// events, so the account has no hook URL, only the Call API credentials.
/// </summary>
internal sealed class UisAdapter : IProviderAdapter
{
    public const string BaseUrlKey = "Uis:BaseUrl";
    public const string LoginKey = "Uis:Login";
    public const string PasswordKey = "Uis:Password";
    public const string ServiceNumberKey = "Uis:ServiceNumber";

    public string Name => "uis";

    public string? HookPath(Account account) => null;

    public bool SecretInPath => false;

    public string DefaultTimeZone => "Europe/Moscow";

    public string DefaultCountry => "RU";

    /// <summary>
    /// The Call API (to place calls), the Data API (to read the call history: the journal of an account that sends no
    /// hooks), or both: whichever is begun must be complete (docs/providers/uis.md).
    /// </summary>
    public IEnumerable<string> SettingsProblems(Account account)
    {
        var callApi = ((string[])[BaseUrlKey, LoginKey, PasswordKey]).Any(k => account.Setting(k) is not null);
        var dataApi = ((string[])[UisHistoryReader.DataApiUrlKey, UisHistoryReader.AccessTokenKey]).Any(k => account.Setting(k) is not null);
        if (dataApi)
        {
            foreach (var problem in UisHistoryReader.Problems(account))
            {
                yield return problem;
            }
        }

        if (dataApi && !callApi)
        {
            yield break;
        }

        if (account.Setting(BaseUrlKey) is not { } url)
        {
            yield return $"{BaseUrlKey} is required (the Call API address, e.g. https://callapi.example.com)";
        }
        else if (!OutboundOptions.IsAbsoluteHttpUrl(url))
        {
            yield return $"{BaseUrlKey} '{url}' is not an absolute http(s) URL";
        }

        foreach (var key in (string[])[LoginKey, PasswordKey])
        {
            if (account.Setting(key) is null)
            {
                yield return $"{key} is required (the Call API user's credentials)";
            }
        }
    }

    public bool Authenticate(Account account, string? pathSecret, IHeaderDictionary headers) => false;

    public HookParse Parse(Account account, RawRequest request) => new HookParse.Failed("UIS sends no call events to PbxHub");

    public HookReply Accepted(Account account, HookParse.Parsed parsed, StoredRaw stored) => HookReply.Json(200, "{}");

    public HookReply Quarantined(string reason) => Rejected(reason);

    public HookReply Rejected(string reason) => HookReply.Json(400, "{}");

    public HookReply Denied() => HookReply.Json(403, "{}");
}
