using PbxHub.Accounts;
using PbxHub.Calls;

namespace PbxHub.Providers.Evrotel;

/// <summary>
/// What one Evrotel event says about its call. Parties: <c>numberA</c> is always the caller and
/// <c>numberB</c> the number called. Inbound (<c>direction=i</c>): a client calls the company's number
/// B, which is the line. Outbound (<c>o</c>): an employee (extension) or the company's number A calls
/// B; A is the line when it is a phone number. Two extensions are an internal call.
/// </summary>
internal static class EvrotelSignals
{
    public static IReadOnlyList<CallSignal> Start(Account account, EvrotelFields f, DateTimeOffset at) =>
        [Seen(account, f, at, priority: 0)];

    /// <summary>
    /// The end of a call. It requires the start: an end whose call id PbxHub never issued (or that has
    /// none) is still a call, made of what the end carries, and flagged incomplete.
    /// </summary>
    public static IReadOnlyList<CallSignal> End(Account account, EvrotelFields f, DateTimeOffset at, int? billsec)
    {
        var disposition = f.Get("disposition")?.ToUpperInvariant();
        var signals = new List<CallSignal>
        {
            Seen(account, f, at, priority: 2),
            new CallEnded(at, disposition is null ? null : OutcomeOf(disposition), disposition, billsec),
            new StartRequired(at),
        };
        if (RecordingUrl(account, f.Get("recfile")) is { } url)
        {
            signals.Add(new RecordingKnown(at, url));
        }

        return signals;
    }

    /// <summary>Asterisk's dispositions, which Evrotel passes on; anything else is kept as the provider result.</summary>
    public static string OutcomeOf(string disposition) => disposition switch
    {
        "ANSWERED" or "ANSWER" => Outcomes.Answered,
        "BUSY" => Outcomes.Busy,
        "CONGESTION" => Outcomes.Congestion,
        "FAILED" => Outcomes.Failed,
        "NO ANSWER" or "NOANSWER" or "NO_ANSWER" => Outcomes.NoAnswer,
        _ => Outcomes.Unknown,
    };

    /// <summary>
    /// <c>recfile</c> is a path on Evrotel's side, resolved against the account's recording base URL (its
    /// own path kept: <c>https://host/rec</c> + <c>/wav/…</c> is <c>https://host/rec/wav/…</c>). A full
    /// URL stays as it is; without a base URL the path is kept as given, as the only link there is.
    /// </summary>
    public static string? RecordingUrl(Account account, string? recfile)
    {
        if (recfile is null || recfile.Contains("://", StringComparison.Ordinal))
        {
            return recfile;
        }

        var baseUrl = EvrotelAdapter.Setting(account, EvrotelAdapter.RecordingBaseUrlSetting)?.Trim();
        return string.IsNullOrEmpty(baseUrl) ? recfile : baseUrl.TrimEnd('/') + "/" + recfile.TrimStart('/');
    }

    private static CallSeen Seen(Account account, EvrotelFields f, DateTimeOffset at, int priority)
    {
        var a = PartyOf(account, f.Get("numberA"));
        var b = PartyOf(account, f.Get("numberB"));
        var direction = DirectionOf(f.Get("direction"), a, b);
        return new CallSeen(at, direction, a, b, LineOf(direction, a, b), priority);
    }

    /// <summary>The company's number: B on an inbound call, A on an outbound one, when it is a phone number.</summary>
    public static Party? LineOf(string direction, Party? a, Party? b) => direction switch
    {
        Directions.Inbound when b?.Number is not null => b,
        Directions.Outbound when a?.Number is not null => a,
        _ => null,
    };

    /// <summary>
    /// What an ended call's outcome is, as the fold decides it for the events: answered when it was (talk time or
    /// <c>ANSWERED</c>), an unanswered inbound call missed, an unanswered outbound call its disposition's outcome.
    /// </summary>
    public static string OutcomeOf(string direction, string? disposition, int billsec) =>
        billsec > 0 || disposition is "ANSWERED" or "ANSWER" ? Outcomes.Answered
        : direction == Directions.Inbound ? Outcomes.Missed
        : disposition is null ? Outcomes.Unknown
        : OutcomeOf(disposition);

    public static string DirectionOf(string? direction, Party? a, Party? b)
    {
        if (a?.Extension is not null && b?.Extension is not null)
        {
            return Directions.Internal;
        }

        return direction?.ToLowerInvariant() switch
        {
            "i" or "in" or "incoming" or "inbound" => Directions.Inbound,
            "o" or "out" or "outgoing" or "outbound" => Directions.Outbound,

            // Not said: an employee's extension calling is the company calling out.
            _ => a?.Extension is not null ? Directions.Outbound : Directions.Inbound,
        };
    }

    public static Party? PartyOf(Account account, string? raw) => raw is null ? null : Parties.Number(raw, account.Country);
}
