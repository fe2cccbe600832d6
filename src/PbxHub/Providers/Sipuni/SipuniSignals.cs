using System.Text.RegularExpressions;
using PbxHub.Accounts;
using PbxHub.Calls;

namespace PbxHub.Providers.Sipuni;

/// <summary>What one Sipuni event says about its call, as provider-neutral signals.</summary>
internal static partial class SipuniSignals
{
    public static IReadOnlyList<CallSignal> From(Account account, SipuniFields f, int eventType, DateTimeOffset at)
    {
        var srcInternal = f.Get("src_type") == "2";
        var dstInternal = f.Get("dst_type") == "2";
        var src = Address(account, f.Get("src_num"), f.Get("short_src_num"), srcInternal);
        var dst = Address(account, f.Get("dst_num"), f.Get("short_dst_num"), dstInternal);
        var direction = !srcInternal ? Directions.Inbound : dstInternal ? Directions.Internal : Directions.Outbound;
        var signals = new List<CallSignal>();

        switch (eventType)
        {
            case 1:
                // Without is_inner_call an inbound event 1 is the call arriving on the company line (its dst);
                // every other event 1 rings a party: an extension, or the number an outbound call dials.
                var arrival = direction == Directions.Inbound && f.Get("is_inner_call") is null && !dstInternal;
                signals.Add(new CallSeen(at, direction, src, dst, arrival ? dst : null, arrival || direction != Directions.Inbound ? 0 : 1));
                if (!arrival && dst is not null)
                {
                    signals.Add(new LegRinging(at, dst));
                }

                AddTracking(signals, at, f);
                break;
            case 3:
                signals.Add(new CallSeen(at, direction, src, dst, null, 2));
                if (dst is not null)
                {
                    signals.Add(new LegAnswered(at, dst));
                }

                break;
            case 4:
                signals.Add(new CallSeen(at, direction, src, dst, null, 2));
                if (dst is not null)
                {
                    signals.Add(new HandedOver(at, dst));
                }

                AddRecording(signals, at, f);
                break;
            default:
                // An inbound hang-up whose destination is external is the company line's: it names the line even
                // when the line's event 1 was lost, so it still ends the call (docs/providers/sipuni.md).
                var lineHangUp = direction == Directions.Inbound && !dstInternal;
                signals.Add(new CallSeen(at, direction, src, dst, lineHangUp ? dst : null, 2));
                var status = f.Get("status")?.ToUpperInvariant();
                var answerHint = SipuniFields.ParseTime(f.Get("call_answer_timestamp"));
                var startHint = SipuniFields.ParseTime(f.Get("call_start_timestamp"));
                var party = dst ?? src;
                if (party is not null)
                {
                    signals.Add(new LegEnded(at, party, OutcomeOf(status), status, startHint, answerHint));
                    signals.Add(new HangUpEndsCall(at, party));
                }
                else
                {
                    signals.Add(new CallEnded(at, OutcomeOf(status), status));
                }

                AddRecording(signals, at, f);
                AddTracking(signals, at, f);
                break;
        }

        return signals;
    }

    /// <summary>Sipuni's hang-up statuses; anything else is kept as the provider result with an unknown outcome.</summary>
    public static string OutcomeOf(string? status) => status switch
    {
        "ANSWER" => Outcomes.Answered,
        "BUSY" => Outcomes.Busy,
        "NOANSWER" or "NO ANSWER" => Outcomes.NoAnswer,
        "CANCEL" => Outcomes.Cancelled,
        "CONGESTION" => Outcomes.Congestion,
        "CHANUNAVAIL" => Outcomes.Unavailable,
        _ => Outcomes.Unknown,
    };

    private static Party? Address(Account account, string? raw, string? shortForm, bool isInternal)
    {
        if (raw is null)
        {
            return null;
        }

        if (isInternal)
        {
            // Logins carry the same _id… decoration as numbers (docs/providers/sipuni.md); the extension is without it.
            return Parties.Extension(raw, ExtensionOf(account, WithoutLoginSuffix(raw), WithoutLoginSuffix(shortForm)));
        }

        return Parties.Number(raw, SuffixPattern().Replace(raw, ""), account.Country);
    }

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(login))]
    private static string? WithoutLoginSuffix(string? login) =>
        login is null ? null : LoginSuffixPattern().Replace(login, "") is { Length: > 0 } bare ? bare : login;

    /// <summary>Logins are the user number followed by the short number (012345101 → 101).</summary>
    private static string ExtensionOf(Account account, string login, string? shortForm)
    {
        if (shortForm is not null)
        {
            return shortForm;
        }

        var userNumber = account.Setting("Sipuni:UserNumber");
        return userNumber is not null && login.Length > userNumber.Length && login.StartsWith(userNumber, StringComparison.Ordinal)
            ? login[userNumber.Length..]
            : login;
    }

    private static void AddRecording(List<CallSignal> signals, DateTimeOffset at, SipuniFields f)
    {
        if (f.Get("call_record_link") is { } link)
        {
            // Some senders encode the link twice; the query decoding already undid one layer.
            var decoded = link.Contains("://", StringComparison.Ordinal) ? link : Uri.UnescapeDataString(link);
            signals.Add(new RecordingKnown(at, decoded));
        }
    }

    private static void AddTracking(List<CallSignal> signals, DateTimeOffset at, SipuniFields f)
    {
        var tracking = new Tracking(f.Get("roistat"), f.Get("roistat_number"), f.Get("roistat_marker") ?? f.Get("roistat_market"), f.Get("roistatgoogleid"));
        if (tracking != new Tracking(null, null, null, null))
        {
            signals.Add(new TrackingKnown(at, tracking));
        }
    }

    /// <summary>dst_num can carry a suffix such as <c>_id265648</c>.</summary>
    [GeneratedRegex("_[A-Za-z].*$")]
    private static partial Regex SuffixPattern();

    /// <summary>
    /// On a login only the <c>_id</c> + digits decoration is cut: a SIP login may be any text, underscores included.
    /// </summary>
    [GeneratedRegex("_id[0-9]+$")]
    private static partial Regex LoginSuffixPattern();
}
