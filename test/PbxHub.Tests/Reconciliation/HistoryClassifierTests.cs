using PbxHub.Calls;
using PbxHub.Reconciliation;

namespace PbxHub.Tests.Reconciliation;

/// <summary>What a history row is to the call's record (docs/reconciliation.md).</summary>
public sealed class HistoryClassifierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly Party Operator = new("101", null, "101");
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private static HistoryFacts Facts(string outcome = Outcomes.Answered, int talk = 60, Party? by = null, int startShift = 0) => new(
        Directions.Inbound, null, null, null, T0.AddSeconds(startShift), null, T0.AddSeconds(70), outcome, talk, by ?? Operator, null, null);

    private static CallRecord Call(string state = CallStates.Ended, bool incomplete = false, string? outcome = Outcomes.Answered, int talk = 60) => new()
    {
        Id = "call_1", Account = "a", Provider = "p", ProviderCallId = "c1", Direction = Directions.Inbound, State = state, Outcome = outcome,
        StartedAt = T0, TalkSeconds = talk, AnsweredBy = Operator, Legs = [], Transfers = [], Incomplete = incomplete, UpdatedAt = T0,
    };

    [Fact]
    public void Classify_EachCase_TheKindAndWhatDiffers()
    {
        Assert.Equal(FindingKinds.Created, HistoryClassifier.Classify("call_1", null, Facts(), Window).Kind);
        Assert.Equal(FindingKinds.Completed, HistoryClassifier.Classify("call_1", Call(CallStates.Active, outcome: null), Facts(), Window).Kind);
        Assert.Equal(FindingKinds.Completed, HistoryClassifier.Classify("call_1", Call(incomplete: true), Facts(), Window).Kind);
        Assert.Equal(FindingKinds.Matched, HistoryClassifier.Classify("call_1", Call(talk: 62), Facts(), Window).Kind);
        Assert.Equal(FindingKinds.Matched, HistoryClassifier.Classify("call_1", Call(outcome: Outcomes.Missed, talk: 0), Facts(Outcomes.NoAnswer, 0), Window).Kind);

        var differing = HistoryClassifier.Classify("call_1", Call(talk: 50), Facts(by: new Party("102", null, "102"), startShift: 90), Window);

        Assert.Equal(FindingKinds.Differing, differing.Kind);
        Assert.Equal(
            ["talkSeconds: 50 (history 60)", "startedAt: 2026-12-03T10:00:00Z (history 2026-12-03T10:01:30Z)", "answeredBy: 101 (history 102)"],
            differing.Differs);
    }
}
