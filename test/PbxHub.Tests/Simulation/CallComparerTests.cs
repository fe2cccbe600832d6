using PbxHub.Calls;
using PbxHub.Simulation;

namespace PbxHub.Tests.Simulation;

public sealed class CallComparerTests
{
    private static readonly Party Ext101 = new("012345101", null, "101");

    private static CallRecord Record(Action<CallRecord>? _ = null) => new()
    {
        Id = "call_x", Account = "demo", Provider = "sipuni", ProviderCallId = "1.1", Direction = Directions.Inbound,
        State = CallStates.Ended, Outcome = Outcomes.Answered, StartedAt = SipuniFolding.Now, WaitSeconds = 5, TalkSeconds = 60,
        AnsweredBy = Ext101, EndedWith = Ext101, Legs = [new Leg(Ext101, SipuniFolding.Now, null, null, null)], Transfers = [],
        ProviderResult = "ANSWER", UpdatedAt = SipuniFolding.Now,
    };

    private static readonly ExpectedCall Expected = new()
    {
        Direction = Directions.Inbound, State = CallStates.Ended, Outcome = Outcomes.Answered, AnsweredBy = "101", EndedWith = "101",
        Legs = 1, WaitSeconds = 5, TalkSeconds = 60, ProviderResult = "ANSWER",
    };

    [Fact]
    public void Differences_MatchingRecord_None() => Assert.Empty(CallComparer.Differences(Expected, Record()));

    [Fact]
    public void Differences_WrongFields_NamesEachOne()
    {
        var actual = Record() with { TalkSeconds = 61, EndedWith = null, Outcome = Outcomes.Missed };
        Assert.Equal(
            ["outcome: expected \"answered\", got \"missed\"", "endedWith: expected \"101\", got null", "talkSeconds: expected 60, got 61"],
            CallComparer.Differences(Expected, actual));
    }

    [Fact]
    public void Differences_IncompleteWithSweptExpectation_ComparesWithIt()
    {
        var open = Expected with { State = CallStates.Active, Outcome = null, EndedWith = null, TalkSeconds = 0 };
        var expected = open with { IfSwept = open with { State = CallStates.Ended, Outcome = Outcomes.Unknown, Incomplete = true, EndedWith = "101" } };
        var swept = Record() with { Outcome = Outcomes.Unknown, Incomplete = true, TalkSeconds = 0 };
        Assert.Empty(CallComparer.Differences(expected, swept));
        Assert.Contains("incomplete: expected false, got true", CallComparer.Differences(open, swept));
    }

    [Fact]
    public void NameOf_NumberParty_E164() => Assert.Equal("+79161234567", CallComparer.NameOf(new Party("89161234567", "+79161234567", null)));
}
