using PbxHub.Calls;

namespace PbxHub.Tests.Calls;

/// <summary>What providers report about a call as a whole (talk seconds, an end without its start) and how the fold uses it.</summary>
public sealed class CallFoldReportedFiguresTests
{
    private static readonly DateTimeOffset T0 = new(2021, 1, 28, 11, 15, 22, TimeSpan.Zero);
    private static readonly CallIdentity Identity = new("call_x", "acme", "test", "x", T0);
    private static readonly Party Client = new("0987858227", "+380987858227", null);
    private static readonly Party Line = new("0679853913", "+380679853913", null);
    private static readonly Party Employee = new("101", null, "101");

    [Fact]
    public void Fold_EndWithTalkSecondsAndNoLeg_AnsweredThatLongBeforeTheEnd()
    {
        var call = CallFold.Fold(Identity, [
            new CallSeen(T0, Directions.Inbound, Client, Line, Line, 0),
            new CallEnded(T0.AddSeconds(120), Outcomes.Answered, "ANSWERED", 78),
        ])!;

        Assert.Equal("answered", call.Outcome);
        Assert.Equal(T0.AddSeconds(42), call.AnsweredAt);
        Assert.Equal(42, call.WaitSeconds);
        Assert.Equal(78, call.TalkSeconds);
        Assert.Null(call.AnsweredBy);
        Assert.False(call.Incomplete);
    }

    [Fact]
    public void Fold_ReportedTalkSeconds_WinOverTheTimestamps()
    {
        var call = CallFold.Fold(Identity, [
            new CallSeen(T0, Directions.Inbound, Client, Line, Line, 0),
            new LegRinging(T0.AddSeconds(2), Employee),
            new LegAnswered(T0.AddSeconds(5), Employee),
            new CallEnded(T0.AddSeconds(35), Outcomes.Answered, "200", 26),
        ])!;

        Assert.Equal(T0.AddSeconds(5), call.AnsweredAt);
        Assert.Equal(26, call.TalkSeconds);
        Assert.Equal("101", call.AnsweredBy?.Extension);
    }

    [Fact]
    public void Fold_ZeroTalkSecondsUnanswered_MissedNotAnswered()
    {
        var call = CallFold.Fold(Identity, [
            new CallSeen(T0, Directions.Inbound, Client, Line, Line, 0),
            new CallEnded(T0.AddSeconds(20), Outcomes.NoAnswer, "603-S", 0),
        ])!;

        Assert.Equal("missed", call.Outcome);
        Assert.Null(call.AnsweredAt);
        Assert.Equal(0, call.TalkSeconds);
        Assert.Equal(20, call.WaitSeconds);
    }

    [Fact]
    public void Fold_StartRequiredButNeverSeen_EndedAndFlaggedIncomplete()
    {
        var call = CallFold.Fold(Identity, [
            new StartRequired(T0.AddSeconds(120)),
            new CallEnded(T0.AddSeconds(120), Outcomes.Answered, "ANSWERED", 78),
        ])!;

        Assert.Equal("ended", call.State);
        Assert.Equal("answered", call.Outcome);
        Assert.True(call.Incomplete);
        Assert.Null(call.From);
    }

    [Fact]
    public void Fold_StartRequiredAndTheStartKnown_NotIncomplete()
    {
        var call = CallFold.Fold(Identity, [
            new CallSeen(T0, Directions.Inbound, Client, Line, Line, 0),
            new StartRequired(T0.AddSeconds(120)),
            new CallEnded(T0.AddSeconds(120), Outcomes.Answered, "ANSWERED", 78),
        ])!;

        Assert.False(call.Incomplete);
        Assert.Equal(Client, call.From);
    }
}
