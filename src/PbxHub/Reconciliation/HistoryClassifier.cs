using System.Globalization;
using PbxHub.Calls;

namespace PbxHub.Reconciliation;

/// <summary>What a history row is to the call's record as it stood before the row was written (docs/reconciliation.md).</summary>
internal static class HistoryClassifier
{
    /// <summary>Talk times within this many seconds are the same talk counted two ways.</summary>
    private const int TalkTolerance = 2;

    public static ReconciliationFinding Classify(string callId, CallRecord? call, HistoryFacts facts, TimeSpan matchWindow)
    {
        if (call is null)
        {
            return new ReconciliationFinding(callId, FindingKinds.Created);
        }

        if (call.State != CallStates.Ended || call.Incomplete)
        {
            return new ReconciliationFinding(callId, FindingKinds.Completed);
        }

        var differs = new List<string>();
        if (!SameOutcome(call, facts))
        {
            differs.Add($"outcome: {call.Outcome} (history {facts.Outcome})");
        }

        if (Math.Abs(call.TalkSeconds - facts.TalkSeconds) > TalkTolerance)
        {
            differs.Add(string.Create(CultureInfo.InvariantCulture, $"talkSeconds: {call.TalkSeconds} (history {facts.TalkSeconds})"));
        }

        if ((call.StartedAt - facts.StartedAt).Duration() > matchWindow)
        {
            differs.Add($"startedAt: {CallJson.Utc(call.StartedAt)} (history {CallJson.Utc(facts.StartedAt)})");
        }

        if (facts.AnsweredBy is { } by && call.AnsweredBy is { } ours && by.Key != ours.Key)
        {
            differs.Add($"answeredBy: {ours.Extension ?? ours.Number ?? ours.Raw} (history {by.Extension ?? by.Number ?? by.Raw})");
        }

        return new ReconciliationFinding(callId, differs.Count == 0 ? FindingKinds.Matched : FindingKinds.Differing, differs.Count == 0 ? null : differs);
    }

    /// <summary>
    /// Every unanswered inbound call is missed to PbxHub, whatever the provider called it (docs/call-record.md); and a
    /// history's "no answer" is the only word some histories have for any unanswered call (Sipuni's export cannot say busy),
    /// so it agrees with every unanswered outcome of the events (docs/reconciliation.md).
    /// </summary>
    private static bool SameOutcome(CallRecord call, HistoryFacts facts) =>
        call.Outcome == facts.Outcome
        || (call.Outcome != Outcomes.Answered && facts.Outcome != Outcomes.Answered
            && (call.Direction == Directions.Inbound || facts.Outcome == Outcomes.NoAnswer));
}
