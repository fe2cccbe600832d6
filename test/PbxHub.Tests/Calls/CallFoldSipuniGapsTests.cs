using PbxHub.Tests.Infrastructure;

namespace PbxHub.Tests.Calls;

/// <summary>
/// Sipuni calls with an event missing or two hang-ups in one second, built from the specification's transfer
/// example (its call id, caller, line and times): the record must still say what happened.
/// </summary>
public sealed class CallFoldSipuniGapsTests
{
    private const long T = 1378296000;
    private const string Call = "call_id=1419783130.15593&src_num=8955555555&src_type=1";

    private static string Line(string line, long at) => $"event=1&{Call}&dst_num={line}&dst_type=1&timestamp={at}";

    private static string Ring(string ext, long at) => $"event=1&is_inner_call=1&{Call}&dst_num=012345{ext}&dst_type=2&timestamp={at}";

    private static string Answer(string ext, long at) => $"event=3&{Call}&dst_num=012345{ext}&dst_type=2&timestamp={at}";

    private static string HangUp(string dst, int dstType, string status, long answer, long at) =>
        $"event=2&{Call}&dst_num={dst}&dst_type={dstType}&call_start_timestamp={T}&call_answer_timestamp={answer}&timestamp={at}&status={status}";

    private static string LegHangUp(string ext, string status, long answer, long at) => HangUp("012345" + ext, 2, status, answer, at);

    private static DateTimeOffset At(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix);

    private static string? Ext(PbxHub.Calls.Party? party) => party?.Extension;

    [Fact]
    public void Fold_AnswerKnownOnlyFromTheLineHangUp_AnsweredByTheRungEmployee()
    {
        var call = Sipuni.FoldQueries([Line("8499999999", T), Ring("102", T), HangUp("8499999999", 1, "ANSWER", T + 8, T + 50)]);

        Assert.Equal(("ended", "answered", "ANSWER"), (call.State, call.Outcome, call.ProviderResult));
        Assert.Equal(At(T + 8), call.AnsweredAt);
        Assert.Equal((8, 42), (call.WaitSeconds, call.TalkSeconds));
        Assert.Equal(("102", "102"), (Ext(call.AnsweredBy), Ext(call.EndedWith)));
        Assert.Equal("answered", Assert.Single(call.Legs).Outcome);
    }

    [Theory]
    [InlineData("%2B74953887274")]
    [InlineData("74953887274")]
    [InlineData("84953887274")]
    public void Fold_LegAndLineHangUpInOneSecondWithoutAnswerEvent_AnsweredWhateverTheLineShape(string line)
    {
        var call = Sipuni.FoldQueries([
            Line(line, T), Ring("102", T), LegHangUp("102", "ANSWER", T + 8, T + 50), HangUp(line, 1, "ANSWER", T + 8, T + 50),
        ]);

        Assert.Equal(("ended", "answered"), (call.State, call.Outcome));
        Assert.Equal((8, 42, "102"), (call.WaitSeconds, call.TalkSeconds, Ext(call.AnsweredBy)));
        Assert.Equal("answered", Assert.Single(call.Legs).Outcome);
    }

    [Theory]
    [InlineData("%2B74953887274")]
    [InlineData("74953887274")]
    public void Fold_LegCancelAndLineAnswerInOneSecond_AnsweredButNotByThatLeg(string line)
    {
        var call = Sipuni.FoldQueries([
            Line(line, T), Ring("102", T), LegHangUp("102", "CANCEL", 0, T + 50), HangUp(line, 1, "ANSWER", T + 8, T + 50),
        ]);

        Assert.Equal(("ended", "answered", "ANSWER"), (call.State, call.Outcome, call.ProviderResult));
        Assert.Equal((8, 42), (call.WaitSeconds, call.TalkSeconds));
        Assert.Null(call.AnsweredBy);
        Assert.Equal("cancelled", Assert.Single(call.Legs).Outcome);
    }

    [Fact]
    public void Fold_TransferExampleWithoutItsSecondaryHangUp_EndsAtTheFinalHangUp()
    {
        var example = Sipuni.TransferExample();
        var call = Sipuni.FoldQueries(example.Where(q => !q.StartsWith("event=4", StringComparison.Ordinal)));

        Assert.Equal(("ended", "answered", false), (call.State, call.Outcome, call.Incomplete));
        Assert.Equal(At(T + 50), call.EndedAt);
        Assert.Equal((10, 40), (call.WaitSeconds, call.TalkSeconds));
        Assert.Equal(("101", "102"), (Ext(call.AnsweredBy), Ext(call.EndedWith)));
        Assert.All(call.Legs, l => Assert.Equal(("answered", At(T + 50)), (l.Outcome, l.EndedAt)));
        var transfer = Assert.Single(call.Transfers);
        Assert.Equal(("101", "102"), (Ext(transfer.From), Ext(transfer.To)));
    }

    [Fact]
    public void Fold_ParallelRingingWhoseCancelIsLost_EndsWhenTheAnsweringEmployeeHangsUp()
    {
        var call = Sipuni.FoldQueries([
            Line("8499999999", T), Ring("101", T), Ring("102", T), Answer("102", T + 6), LegHangUp("102", "ANSWER", T + 6, T + 40),
        ]);

        Assert.Equal(("ended", "answered", false), (call.State, call.Outcome, call.Incomplete));
        Assert.Equal(At(T + 40), call.EndedAt);
        Assert.Equal("102", Ext(call.AnsweredBy));
        Assert.Equal(("cancelled", "answered"), (call.Legs.Single(l => l.Party.Extension == "101").Outcome, call.Legs.Single(l => l.Party.Extension == "102").Outcome));
        Assert.Empty(call.Transfers);
    }

    [Theory]
    [InlineData(true, "answered")]
    [InlineData(false, "missed")]
    public void Fold_SequentialRingingWhoseNoAnswerIsLost_EndsWithTheNextEmployeesHangUp(bool nextAnswers, string outcome)
    {
        string[] next = nextAnswers
            ? [Answer("102", T + 20), LegHangUp("102", "ANSWER", T + 20, T + 60)]
            : [LegHangUp("102", "NOANSWER", 0, T + 60)];
        var call = Sipuni.FoldQueries([Line("8499999999", T), Ring("101", T), Ring("102", T + 15), .. next]);

        Assert.Equal(("ended", outcome, false), (call.State, call.Outcome, call.Incomplete));
        Assert.Equal(At(T + 60), call.EndedAt);
        Assert.Equal("cancelled", call.Legs.Single(l => l.Party.Extension == "101").Outcome);
        Assert.Empty(call.Transfers);
    }

    [Theory]
    [InlineData("%2B74953887274")]
    [InlineData("74953887274")]
    public void Fold_LegAndLineBusyInOneSecond_LegKeepsItsOwnStatus(string line)
    {
        var call = Sipuni.FoldQueries([
            Line(line, T), Ring("105", T + 1), LegHangUp("105", "BUSY", 0, T + 2), HangUp(line, 1, "BUSY", 0, T + 2),
        ]);

        Assert.Equal(("ended", "missed"), (call.State, call.Outcome));
        Assert.Equal("busy", Assert.Single(call.Legs).Outcome);
    }

    [Fact]
    public void Fold_LoginSuffixOnTheRingOnly_OneLegAndTheCallEnds()
    {
        var call = Sipuni.FoldQueries([
            Line("8499999999", T),
            $"event=1&is_inner_call=1&{Call}&dst_num=012345101_id265648&dst_type=2&timestamp={T}",
            Answer("101", T + 10),
            LegHangUp("101", "ANSWER", T + 10, T + 40),
        ]);

        var leg = Assert.Single(call.Legs);
        Assert.Equal(("101", "answered"), (leg.Party.Extension, leg.Outcome));
        Assert.Equal(("ended", "answered", (10, 30)), (call.State, call.Outcome, (call.WaitSeconds, call.TalkSeconds)));
    }

    [Fact]
    public void Fold_EmployeeRungDuringTheCallNeverAnswers_NoTransfer()
    {
        var call = Sipuni.FoldQueries([
            Line("8499999999", T), Ring("101", T), Answer("101", T + 10), Ring("103", T + 20),
            LegHangUp("103", "NOANSWER", 0, T + 35), LegHangUp("101", "ANSWER", T + 10, T + 60),
        ]);

        Assert.Empty(call.Transfers);
        Assert.Equal(["101", "103"], call.Legs.Select(l => l.Party.Extension));
        Assert.Equal("no_answer", call.Legs[1].Outcome);
        Assert.Equal(("ended", "answered", "101"), (call.State, call.Outcome, Ext(call.EndedWith)));
    }

    [Theory]
    [InlineData("%2B74953887274", true)]
    [InlineData("74953887274", true)]
    [InlineData("74953887274", false)]
    public void Fold_LineArrivalLost_LineHangUpStillEndsTheCallAndIsNoLeg(string line, bool legHangUpKept)
    {
        string[] legEnd = legHangUpKept ? [LegHangUp("102", "ANSWER", T + 8, T + 50)] : [];
        var call = Sipuni.FoldQueries([Ring("102", T), Answer("102", T + 8), .. legEnd, HangUp(line, 1, "ANSWER", T + 8, T + 50)]);

        Assert.Equal(("ended", "answered", false), (call.State, call.Outcome, call.Incomplete));
        Assert.Equal(("+74953887274", At(T + 50)), (call.Line?.Number, call.EndedAt));
        var leg = Assert.Single(call.Legs);
        Assert.Equal(("102", "answered"), (leg.Party.Extension, leg.Outcome));
        Assert.Equal(("102", "102"), (Ext(call.AnsweredBy), Ext(call.EndedWith)));
    }

    [Theory]
    [InlineData("%2B74953887274")]
    [InlineData("74953887274")]
    public void Fold_ParallelRingingAnswerLostOtherCancelInTheLineHangUpSecond_CreditedWhateverTheLineSpelling(string line)
    {
        var call = Sipuni.FoldQueries([
            Line(line, T), Ring("101", T), Ring("102", T), LegHangUp("101", "CANCEL", 0, T + 8), HangUp(line, 1, "ANSWER", T + 8, T + 8),
        ]);

        Assert.Equal(("ended", "answered", "102"), (call.State, call.Outcome, Ext(call.AnsweredBy)));
        Assert.Equal(("cancelled", "answered"), (call.Legs.Single(l => l.Party.Extension == "101").Outcome, call.Legs.Single(l => l.Party.Extension == "102").Outcome));
    }

    [Theory]
    [InlineData("101", "102")]
    [InlineData("102", "101")]
    public void Fold_TwoLegsHangUpInTheLastSecondWithoutTheLines_ProviderResultNotDecidedByTheirNumbers(string first, string next)
    {
        var call = Sipuni.FoldQueries([
            Line("8499999999", T), Ring(first, T), Ring(next, T + 15), LegHangUp(first, "NOANSWER", 0, T + 15), LegHangUp(next, "CHANUNAVAIL", 0, T + 15),
        ]);

        Assert.Equal(("ended", "missed", "NOANSWER"), (call.State, call.Outcome, call.ProviderResult));
        Assert.Equal(("no_answer", "unavailable"), (call.Legs.Single(l => l.Party.Extension == first).Outcome, call.Legs.Single(l => l.Party.Extension == next).Outcome));
    }
}
