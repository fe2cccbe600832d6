using PbxHub.Reconciliation;

namespace PbxHub.Calls;

/// <summary>
/// How the provider's call history joins a call (docs/reconciliation.md): the events' version is kept unless the
/// history is more complete. The call is folded without its history first; only when that finds nothing (the call
/// is known from the history alone), no end, only the sweeper's timeout or no start, the latest history row read
/// is turned into ordinary signals that fill what the events lack, and the record says <c>fromHistory</c>.
/// </summary>
internal static partial class CallFold
{
    private static CallRecord? FoldWithHistory(CallIdentity identity, List<CallSignal> distinct)
    {
        var events = distinct.Where(s => s is not HistoryReported).ToList();
        var record = events.Count == 0 ? null : FoldEvents(identity, events);
        if (record is { State: CallStates.Ended, Incomplete: false })
        {
            return record;
        }

        // The latest row read says what the history says now; equal times fall back to the facts, never to arrival order.
        var latest = distinct.OfType<HistoryReported>()
            .OrderByDescending(h => h.At).ThenBy(h => h.Facts.ToString(), StringComparer.Ordinal).First().Facts;
        var untimed = events.Where(s => s is not TimedOut).ToList();
        // PbxHub's own markers (a kept or failed recording, a start or end awaited) say nothing of when the call happened:
        // a call known otherwise only from its history takes all its times from the history.
        var withoutTimeout = untimed.Any(s => s is not (RecordingSettled or StartRequired or CallEndAwaited)) ? FoldEvents(identity, untimed) : null;
        var filled = untimed.Concat(Signals(latest, withoutTimeout, untimed.OfType<CallSeen>().Any(s => s.Priority == 0))).ToList();
        return FoldEvents(identity, filled)! with { FromHistory = true };
    }

    /// <summary>The history's facts as the signals a provider's hooks would have sent, only where the events say nothing.</summary>
    private static IEnumerable<CallSignal> Signals(HistoryFacts facts, CallRecord? events, bool startKnown)
    {
        // The start the events saw stays the call's start (and its call.started event): the history only fills gaps.
        var seenAt = events is null || facts.StartedAt > events.StartedAt ? facts.StartedAt : events.StartedAt;
        yield return new CallSeen(seenAt, facts.Direction, facts.From, facts.To, facts.Line, startKnown ? HistoryPriority : 0);
        if (events?.AnsweredAt is null && facts.AnsweredBy is { } by && (facts.AnsweredAt ?? AnsweredFromTalk(facts)) is { } answeredAt)
        {
            yield return new LegAnswered(answeredAt, by);
        }

        if (events is not { State: CallStates.Ended })
        {
            yield return new CallEnded(facts.EndedAt, facts.Outcome, facts.ProviderResult, facts.TalkSeconds);
        }

        if (events?.RecordingUrl is null && facts.RecordingUrl is { } url)
        {
            yield return new RecordingKnown(facts.EndedAt, url);
        }
    }

    /// <summary>Below every hook's own <see cref="CallSeen"/>: it fills only what they lack.</summary>
    private const int HistoryPriority = 100;

    private static DateTimeOffset? AnsweredFromTalk(HistoryFacts facts) =>
        facts.Outcome == Outcomes.Answered || facts.TalkSeconds > 0 ? facts.EndedAt.AddSeconds(-facts.TalkSeconds) : null;
}
