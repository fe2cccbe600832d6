using System.Globalization;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Security;

namespace PbxHub.Providers.Evrotel;

/// <summary>
/// Evrotel's real time call events (docs/providers/evrotel.md): <c>callstatus=start</c> and <c>end</c> POSTed as JSON or
/// form data with the account's token in <c>Authorization</c>. A start is answered with the call id
/// PbxHub assigns (raw digits), which Evrotel sends back as <c>callid</c> on the end; an end is
/// answered <c>OK</c>.
/// </summary>
internal sealed class EvrotelAdapter : IProviderAdapter
{
    public const string TokenSetting = "Evrotel:Token";
    public const string RecordingBaseUrlSetting = "Evrotel:RecordingBaseUrl";
    public const string BaseUrlSetting = "Evrotel:BaseUrl";
    public const string BillCodeSetting = "Evrotel:BillCode";

    /// <summary>The zone of Evrotel's wall clock, shared with the simulator and the stand-in.</summary>
    public const string UsualTimeZone = "Europe/Kyiv";

    private const string PlainText = "text/plain; charset=utf-8";

    public string Name => "evrotel";

    public string HookPath(Account account) => $"/hooks/{account.Id}";

    public bool SecretInPath => false;

    /// <summary>Evrotel is a Ukrainian PBX: its <c>calldate</c> is Kyiv's wall clock unless the account says otherwise.</summary>
    public string DefaultTimeZone => UsualTimeZone;

    public string DefaultCountry => "UA";

    public IEnumerable<string> SettingsProblems(Account account)
    {
        if (string.IsNullOrWhiteSpace(Setting(account, TokenSetting)))
        {
            yield return $"{TokenSetting} is required: the token Evrotel's manager issued, which Evrotel sends in the Authorization header";
        }

        foreach (var key in (string[])[RecordingBaseUrlSetting, BaseUrlSetting, EvrotelHistoryReader.StatUrlSetting])
        {
            if (Setting(account, key) is { } url && !string.IsNullOrWhiteSpace(url) && !IsHttpUrl(url))
            {
                yield return $"{key} '{url}' must be an absolute http or https URL";
            }
        }

        if (Setting(account, BillCodeSetting) is { } billCode && string.IsNullOrWhiteSpace(billCode))
        {
            yield return $"{BillCodeSetting} must not be empty when it is given";
        }
    }

    /// <summary>
    /// Evrotel sends the bare token (<c>Authorization: G7bng65jYk8GF294</c>); <c>Bearer &lt;token&gt;</c> is
    /// taken too, as proxies and hand-made test requests write it. Nothing else: the document's receiver
    /// only looks for the token somewhere in the header, which would let any text around it through.
    /// </summary>
    public bool Authenticate(Account account, string? pathSecret, IHeaderDictionary headers)
    {
        var token = Setting(account, TokenSetting)?.Trim();
        if (string.IsNullOrEmpty(token) || headers.Authorization.Count != 1 || headers.Authorization[0] is not { } header)
        {
            return false;
        }

        var presented = header.Trim();
        if (presented.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = presented["Bearer ".Length..].Trim();
        }

        return Secrets.AreEqual(presented, token);
    }

    public HookParse Parse(Account account, RawRequest request)
    {
        var (fields, problem) = EvrotelFields.Read(request);
        if (fields is null)
        {
            return new HookParse.Failed(problem!);
        }

        var status = fields.Get("callstatus");
        if (status?.ToLowerInvariant() is not ("start" or "end"))
        {
            return new HookParse.Failed(status is null ? "callstatus is missing (expected start or end)" : $"unknown callstatus '{status}' (expected start or end)");
        }

        // A start without any date is still a start: it happened when it arrived.
        var at = request.ReceivedAt;
        if (fields.Date is { } dateText)
        {
            if (LocalTimes.Parse(dateText, account.Zone) is not { } parsed)
            {
                var name = fields.Get("calldate") is null ? "date" : "calldate";
                return new HookParse.Failed($"{name} '{dateText}' is not a date and time such as 2018-04-01 00:00:11");
            }

            at = parsed;
        }

        var dedupeKey = "evrotel:" + fields.Digest("evrotel-event");
        if (status.Equals("start", StringComparison.OrdinalIgnoreCase))
        {
            return new HookParse.Parsed(EvrotelCallIds.ForStart(account.Id, fields), dedupeKey, EvrotelSignals.Start(account, fields, at));
        }

        var billsecText = fields.Get("billsec");
        int? billsec = null;
        if (billsecText is not null)
        {
            if (!int.TryParse(billsecText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return new HookParse.Failed($"billsec '{billsecText}' is not a whole number of seconds");
            }

            billsec = seconds;
        }

        var callKey = fields.Get("callid") ?? EvrotelCallIds.ForEndWithoutId(fields);
        return new HookParse.Parsed(callKey, dedupeKey, EvrotelSignals.End(account, fields, at, billsec));
    }

    /// <summary>A start is answered with its call id, raw, as Evrotel stores it; an end needs no more than OK.</summary>
    public HookReply Accepted(Account account, HookParse.Parsed parsed, StoredRaw stored) =>
        parsed.Signals.Any(s => s is CallEnded)
            ? new HookReply(200, PlainText, "OK")
            : new HookReply(200, PlainText, parsed.CallKey);

    /// <summary>
    /// Still 400 with the reason: Evrotel takes the body of a 200 as the call id it must send back, and an unreadable
    /// request has none to give (docs/quarantine.md).
    /// </summary>
    public HookReply Quarantined(string reason) => Rejected(reason);

    public HookReply Rejected(string reason) => new(400, PlainText, reason);

    /// <summary>The document's own receiver answers a wrong token with <c>Access denied</c>.</summary>
    public HookReply Denied() => new(403, PlainText, "Access denied");

    /// <summary>Settings keys are matched without regard to case: API input keeps the case it was typed in.</summary>
    public static string? Setting(Account account, string key) =>
        account.Setting(key) ?? account.Settings.FirstOrDefault(kv => string.Equals(kv.Key, key, StringComparison.OrdinalIgnoreCase)).Value;

    private static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
