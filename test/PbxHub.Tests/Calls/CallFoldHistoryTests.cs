using CsCheck;
using PbxHub.Calls;
using PbxHub.Reconciliation;

namespace PbxHub.Tests.Calls;

/// <summary>The history joins a call only where it is more complete than the events (docs/reconciliation.md).</summary>
public sealed class CallFoldHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private static readonly Party Client = new("79161234567", "+79161234567", null);
    private static readonly Party Line = new("74951234567", "+74951234567", null);
    private static readonly Party Operator = new("101", null, "101");
    private static readonly CallIdentity Identity = new("call_x", "acc", "sipuni", "c1", T0.AddMinutes(30));

    private static HistoryFacts Answered(int endSecond = 70, int talk = 60) => new(
        Directions.Inbound, Client, Line, Line, T0, T0.AddSeconds(endSecond - talk), T0.AddSeconds(endSecond), Outcomes.Answered,
        talk, Operator, "ANSWER", "https://pbx.example/rec/c1.mp3");

    private static HistoryReported Row(HistoryFacts facts, int readMinute = 20) => new(T0.AddMinutes(readMinute), facts);

    private static CallSignal[] RingingAndAnswered =>
    [
        new CallSeen(T0, Directions.Inbound, Client, Line, Line, 0),
        new LegRinging(T0.AddSeconds(2), Operator),
        new LegAnswered(T0.AddSeconds(10), Operator),
    ];

    private static CallSignal[] CompleteHooks => [.. RingingAndAnswered, new CallEnded(T0.AddSeconds(70), Outcomes.Answered, "ANSWER")];

    [Fact]
    public void Fold_HistoryOnlyWithItsRecordingKept_TimesStillTheHistorys()
    {
        var kept = new Recording(RecordingStates.Kept, "/api/v1/calls/call_x/recording", "audio/mpeg", 1000, 60, "ab", T0.AddMinutes(25), null);

        var call = CallFold.Fold(Identity, [Row(Answered() with { AnsweredBy = null }), new RecordingSettled(T0.AddMinutes(25), kept)])!;

        Assert.Equal((T0, T0.AddSeconds(10), T0.AddSeconds(70)), (call.StartedAt, call.AnsweredAt, call.EndedAt));
        Assert.Equal(RecordingStates.Kept, call.Recording?.State);
        Assert.True(call.FromHistory);
    }

    [Fact]
    public void Fold_HistoryOnly_CallBuiltFromTheRowAndMarkedFromHistory()
    {
        var call = CallFold.Fold(Identity, [Row(Answered())])!;

        Assert.True(call.FromHistory);
        Assert.Equal((CallStates.Ended, Outcomes.Answered), (call.State, call.Outcome));
        Assert.Equal((T0, T0.AddSeconds(10), T0.AddSeconds(70)), (call.StartedAt, call.AnsweredAt, call.EndedAt));
        Assert.Equal(60, call.TalkSeconds);
        Assert.Equal("101", call.AnsweredBy?.Extension);
        Assert.Equal(Client, call.From);
        Assert.Equal("https://pbx.example/rec/c1.mp3", call.RecordingUrl);
        Assert.False(call.Incomplete);
    }

    [Fact]
    public void Fold_HangUpLost_CallCompletedFromHistoryKeepingTheEventsStartAndLegs()
    {
        var call = CallFold.Fold(Identity, [.. RingingAndAnswered, Row(Answered())])!;

        Assert.True(call.FromHistory);
        Assert.Equal((CallStates.Ended, Outcomes.Answered, T0.AddSeconds(70)), (call.State, call.Outcome, call.EndedAt));
        Assert.Equal(T0.AddSeconds(10), call.AnsweredAt);
        Assert.Equal(T0.AddSeconds(2), Assert.Single(call.Legs).StartedAt);
        Assert.Equal("ANSWER", call.ProviderResult);
    }

    [Fact]
    public void Fold_SweptCallThenHistory_IncompleteCorrected()
    {
        var swept = CallFold.Fold(Identity, [.. RingingAndAnswered, new TimedOut(T0.AddMinutes(15))])!;

        var call = CallFold.Fold(Identity, [.. RingingAndAnswered, new TimedOut(T0.AddMinutes(15)), Row(Answered())])!;

        Assert.True(swept.Incomplete);
        Assert.False(call.Incomplete);
        Assert.True(call.FromHistory);
        Assert.Equal((Outcomes.Answered, T0.AddSeconds(70), 60), (call.Outcome, call.EndedAt, call.TalkSeconds));
    }

    [Fact]
    public void Fold_CompleteHooksAndDifferingHistory_RecordIsTheHooksOwn()
    {
        var hooks = CallFold.Fold(Identity, CompleteHooks)!;

        var call = CallFold.Fold(Identity, [.. CompleteHooks, Row(Answered(endSecond: 95, talk: 80))])!;

        Assert.Equal(CallJson.Serialize(hooks), CallJson.Serialize(call));
        Assert.False(call.FromHistory);
    }

    [Fact]
    public void Fold_TwoRowsOfOneCall_LatestReadWins()
    {
        var call = CallFold.Fold(Identity, [Row(Answered(endSecond: 95, talk: 80), readMinute: 40), Row(Answered(), readMinute: 20)])!;

        Assert.Equal((T0.AddSeconds(95), 80), (call.EndedAt, call.TalkSeconds));
    }

    [Fact]
    public void Fold_HistoryCompletedThenTheRealHangUp_SameCallEndedEvent()
    {
        var completed = CallFold.Fold(Identity, [.. RingingAndAnswered, Row(Answered())])!;

        var real = CallFold.Fold(Identity, [.. CompleteHooks, Row(Answered())])!;

        var ended = CallEvents.Of(completed).Single(e => e.Type == CallEventTypes.Ended).Id;
        Assert.Equal(ended, CallEvents.Of(real).Single(e => e.Type == CallEventTypes.Ended).Id);
        Assert.Equal(CallEvents.Of(completed).Single(e => e.Type == CallEventTypes.Started).Id, CallEvents.Of(real).Single(e => e.Type == CallEventTypes.Started).Id);
    }

    [Fact]
    public void Fold_HooksHistoryAndTimeoutInAnyOrder_SameRecord()
    {
        CallSignal[] all = [.. RingingAndAnswered, new TimedOut(T0.AddMinutes(15)), Row(Answered(endSecond: 95, talk: 80), 40), Row(Answered(), 20)];
        var expected = CallJson.Serialize(CallFold.Fold(Identity, all)!);

        Gen.Shuffle(all.Concat(all).ToArray()).Sample(order => CallJson.Serialize(CallFold.Fold(Identity, order)!) == expected, iter: 200);
    }
}
