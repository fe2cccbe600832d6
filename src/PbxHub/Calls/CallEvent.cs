using System.Security.Cryptography;
using System.Text;

namespace PbxHub.Calls;

/// <summary>A normalised change of a call, as stored in the event log and delivered.</summary>
internal sealed record CallEvent(string Id, string Type, DateTimeOffset OccurredAt, string Account, CallRecord Call, Leg? Leg);

internal static class CallEventTypes
{
    public const string Started = "call.started";
    public const string LegRinging = "call.leg.ringing";
    public const string Answered = "call.answered";
    public const string Transferred = "call.transferred";
    public const string LegEnded = "call.leg.ended";
    public const string Ended = "call.ended";
    public const string Missed = "call.missed";
    public const string Recording = "call.recording";

    /// <summary>PbxHub stored its own copy of the recording (docs/recordings.md).</summary>
    public const string RecordingKept = "call.recording.kept";

    public static readonly IReadOnlyList<string> All = [Started, LegRinging, Answered, Transferred, LegEnded, Ended, Missed, Recording, RecordingKept];
}

/// <summary>
/// Derives the normalised events a call record implies. Each id hashes the call and the facts the
/// event states, so folding the same raw events again yields the same ids, while a corrected fact
/// (a late end after the sweeper closed the call) yields a new event.
/// </summary>
internal static class CallEvents
{
    public static IReadOnlyList<CallEvent> Of(CallRecord call)
    {
        var events = new List<CallEvent>
        {
            Make(call, CallEventTypes.Started, call.StartedAt, null),
        };
        foreach (var leg in call.Legs)
        {
            events.Add(Make(call, CallEventTypes.LegRinging, leg.StartedAt, leg, leg.Party.Key));
            if (leg.EndedAt is { } legEnd)
            {
                events.Add(Make(call, CallEventTypes.LegEnded, legEnd, leg, leg.Party.Key, Stamp(leg.StartedAt), leg.Outcome));
            }
        }

        if (call.AnsweredAt is { } answered)
        {
            events.Add(Make(call, CallEventTypes.Answered, answered, null, call.AnsweredBy?.Key));
        }

        foreach (var transfer in call.Transfers)
        {
            events.Add(Make(call, CallEventTypes.Transferred, transfer.At, null, transfer.From.Key, transfer.To.Key));
        }

        if (call.RecordingUrl is { } url)
        {
            events.Add(Make(call, CallEventTypes.Recording, call.EndedAt ?? call.UpdatedAt, null, url));
        }

        if (call.Recording is { State: RecordingStates.Kept, KeptAt: { } kept } recording)
        {
            events.Add(Make(call, CallEventTypes.RecordingKept, kept, null, recording.Sha256));
        }

        if (call.EndedAt is { } ended)
        {
            events.Add(Make(call, CallEventTypes.Ended, ended, null, call.Outcome, call.Incomplete ? "incomplete" : null));
            if (call.Outcome == Outcomes.Missed)
            {
                events.Add(Make(call, CallEventTypes.Missed, ended, null));
            }
        }

        return events.OrderBy(e => e.OccurredAt).ThenBy(e => Array.IndexOf(Order, e.Type)).ToList();
    }

    private static readonly string[] Order =
    [
        CallEventTypes.Started, CallEventTypes.LegRinging, CallEventTypes.Answered, CallEventTypes.Transferred,
        CallEventTypes.LegEnded, CallEventTypes.Recording, CallEventTypes.Ended, CallEventTypes.Missed, CallEventTypes.RecordingKept,
    ];

    private static CallEvent Make(CallRecord call, string type, DateTimeOffset at, Leg? leg, params string?[] facts)
    {
        var text = string.Join('\n', [call.Id, type, Stamp(at), .. facts]);
        return new CallEvent("evt_" + StableIds.Hash(text), type, at, call.Account, call, leg);
    }

    private static string Stamp(DateTimeOffset at) => at.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
}

internal static class StableIds
{
    public static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..24];

    /// <summary>PbxHub's call id: stable for an account's provider call id, so replay gives the same id.</summary>
    public static string CallId(string account, string providerCallId) => "call_" + Hash(account + "\n" + providerCallId);
}
