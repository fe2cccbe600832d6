using System.Globalization;
using System.Text.RegularExpressions;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Reconciliation;

namespace PbxHub.Providers.Evrotel;

/// <summary>
/// What one row of Evrotel's statistics page says about its call (docs/providers/evrotel.md#call-history), read with
/// the same rules as the call events: the same parties, direction, line, outcome and recording link for the same call.
/// </summary>
internal static partial class EvrotelStatFacts
{
    /// <summary>The web server's document root, which the page's <c>recfile</c> carries and the events' does not.</summary>
    private const string DocumentRoot = "/var/www/html";

    public static HistoryFacts? Read(Account account, ReadOnlySpan<byte> row)
    {
        var f = EvrotelStatRows.Fields(row);
        if (f is null || EvrotelStatRows.Required.Any(k => !f.ContainsKey(k))
            || CallDate(f["calldate"], account.Zone) is not { } started
            || !int.TryParse(f["billsec"], NumberStyles.None, CultureInfo.InvariantCulture, out var billsec))
        {
            return null;
        }

        // duration runs from the call's start to its end, billsec is the talk at its end; a duration shorter than the talk is not one.
        var seconds = f.TryGetValue("duration", out var d) && int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var duration)
            && duration >= billsec ? duration : billsec;
        var ended = started.AddSeconds(seconds);
        var disposition = f["disposition"].ToUpperInvariant();
        var a = EvrotelSignals.PartyOf(account, f["numberA"]);
        var b = EvrotelSignals.PartyOf(account, f["numberB"]);
        var direction = EvrotelSignals.DirectionOf(f["direction"], a, b);
        var outcome = EvrotelSignals.OutcomeOf(direction, disposition, billsec);
        return new HistoryFacts(
            direction, a, b, EvrotelSignals.LineOf(direction, a, b),
            started, outcome == Outcomes.Answered ? ended.AddSeconds(-billsec) : null, ended,
            outcome, billsec, AnsweredBy: null, disposition, RecordingUrl(account, f.GetValueOrDefault("recfile")));
    }

    /// <summary>
    /// <c>calldate</c> is Evrotel's wall clock. The page labels it <c>+00:00</c> although it is not UTC: in the public
    /// integration's sample answer a call of <c>2018-12-25T09:03:03+00:00</c> has the Asterisk <c>uniqueid</c>
    /// 1545721383 (07:03:03 UTC) and was saved at 07:06:02Z, i.e. 09:03:03 is Kyiv's time. So a zero offset is read
    /// as the account's wall clock, like the events' dates; any other offset is taken as written.
    /// </summary>
    public static DateTimeOffset? CallDate(string text, TimeZoneInfo zone) =>
        LocalTimes.Parse(ZeroOffset().Match(text.Trim()) is { Success: true } m ? m.Groups[1].Value : text, zone);

    /// <summary>
    /// The page's <c>recfile</c> is a file on Evrotel's web server (<c>/var/www/html/wav/…</c>) where the events carry its
    /// web path (<c>/wav/…</c>): without the document root it resolves against <c>Evrotel:RecordingBaseUrl</c> to the
    /// same link as the events' recording.
    /// </summary>
    public static string? RecordingUrl(Account account, string? recfile) =>
        EvrotelSignals.RecordingUrl(account, recfile is not null && recfile.StartsWith(DocumentRoot + "/", StringComparison.Ordinal)
            ? recfile[DocumentRoot.Length..]
            : recfile);

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?)(?:Z|[+-]00:?00)$")]
    private static partial Regex ZeroOffset();
}
