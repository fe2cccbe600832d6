using CsCheck;
using PbxHub.Calls;
using static PbxHub.Tests.Providers.HookType.HookTypeHooks;

namespace PbxHub.Tests.Providers.HookType;

/// <summary>Whole calls assembled from HookType events (see <see cref="HookTypeCalls"/>), account in Europe/Moscow.</summary>
public sealed class HookTypeWholeCallTests
{
    private static readonly Party Client = Number("9582412128", "+79582412128");
    private static readonly Party City = Number("4950665310", "+74950665310");
    private static readonly Party First = Employee("80052002651", "0052002651");
    private static readonly Party Second = Employee("80052002642", "0052002642");

    [Fact]
    public void Fold_ParallelRingingAnsweredBySecond_TwoLegsSecondAnswered()
    {
        var call = Fold(HookTypeCalls.ParallelAnsweredBySecond());

        Assert.Equal(("inbound", "ended", "answered", "200"), (call.Direction, call.State, call.Outcome, call.ProviderResult));
        Assert.Equal((Client, City, City), (call.From, call.To, call.Line));
        Assert.Equal(Utc("2021-01-28T07:00:00Z"), call.StartedAt);
        Assert.Equal(((DateTimeOffset?)Utc("2021-01-28T07:00:09Z"), (DateTimeOffset?)Utc("2021-01-28T07:01:09Z")), (call.AnsweredAt, call.EndedAt));
        Assert.Equal((9, 60), (call.WaitSeconds, call.TalkSeconds));
        Assert.Equal(
            [
                new Leg(First, Utc("2021-01-28T07:00:02Z"), null, Utc("2021-01-28T07:00:09Z"), "no_answer"),
                new Leg(Second, Utc("2021-01-28T07:00:02Z"), Utc("2021-01-28T07:00:09Z"), Utc("2021-01-28T07:01:09Z"), "answered"),
            ],
            call.Legs.OrderBy(l => l.Party.Extension, StringComparer.Ordinal).Reverse());
        // EndIncCall names 0052002642 without the 8: the same employee as 80052002642, not a transfer.
        Assert.Equal((Second, Second), (call.AnsweredBy, call.EndedWith));
        Assert.Empty(call.Transfers);
        Assert.False(call.Incomplete);
    }

    [Fact]
    public void Fold_SequentialRinging_SecondEmployeeRungAfterFirstGaveUp()
    {
        var call = Fold(HookTypeCalls.Sequential());

        Assert.Equal(("inbound", "ended", "answered", "200"), (call.Direction, call.State, call.Outcome, call.ProviderResult));
        Assert.Equal((Client, City, City), (call.From, call.To, call.Line));
        Assert.Equal(
            [
                new Leg(First, Utc("2021-01-28T07:00:01Z"), null, Utc("2021-01-28T07:00:16Z"), "no_answer"),
                new Leg(Second, Utc("2021-01-28T07:00:16Z"), Utc("2021-01-28T07:00:20Z"), Utc("2021-01-28T07:00:50Z"), "answered"),
            ],
            call.Legs);
        Assert.Equal((Utc("2021-01-28T07:00:00Z"), (DateTimeOffset?)Utc("2021-01-28T07:00:20Z"), (DateTimeOffset?)Utc("2021-01-28T07:00:50Z")), (call.StartedAt, call.AnsweredAt, call.EndedAt));
        Assert.Equal((20, 30), (call.WaitSeconds, call.TalkSeconds));
        Assert.Equal((Second, Second), (call.AnsweredBy, call.EndedWith));
        Assert.Empty(call.Transfers);
    }

    [Fact]
    public void Fold_SequentialRingingBeforeTheSecondEmployee_CallStillRingingAndNotMissed()
    {
        var call = Fold(HookTypeCalls.Sequential().Take(3).ToArray());

        Assert.Equal(("ringing", (string?)null, (DateTimeOffset?)null), (call.State, call.Outcome, call.EndedAt));
        Assert.Equal("no_answer", Assert.Single(call.Legs).Outcome);
        Assert.DoesNotContain(CallEvents.Of(call), e => e.Type is "call.missed" or "call.ended");
    }

    [Fact]
    public void Fold_NobodyAnswers_MissedWithBothLegsUnanswered()
    {
        var call = Fold(HookTypeCalls.Missed());

        Assert.Equal(("inbound", "ended", "missed", "304"), (call.Direction, call.State, call.Outcome, call.ProviderResult));
        Assert.Equal((Client, City, City), (call.From, call.To, call.Line));
        Assert.Equal((Utc("2021-01-28T07:00:00Z"), (DateTimeOffset?)null, (DateTimeOffset?)Utc("2021-01-28T07:00:21Z")), (call.StartedAt, call.AnsweredAt, call.EndedAt));
        Assert.Equal((21, 0), (call.WaitSeconds, call.TalkSeconds));
        Assert.Equal(2, call.Legs.Count);
        Assert.All(call.Legs, l => Assert.Equal((Utc("2021-01-28T07:00:01Z"), (DateTimeOffset?)Utc("2021-01-28T07:00:21Z"), "no_answer"), (l.StartedAt, l.EndedAt, l.Outcome!)));
        Assert.Equal([First, Second], call.Legs.Select(l => l.Party).OrderBy(p => p.Raw, StringComparer.Ordinal).Reverse());
        Assert.Equal(((Party?)null, (Party?)null), (call.AnsweredBy, call.EndedWith));
        Assert.Contains(CallEvents.Of(call), e => e.Type == "call.missed");
    }

    [Fact]
    public void Fold_OutboundAnswered_FromTheEmployeeToTheClient()
    {
        var call = Fold(HookTypeCalls.OutboundAnswered());
        var dialled = Number("9161234567", "+79161234567");

        Assert.Equal(("outbound", "ended", "answered", "200"), (call.Direction, call.State, call.Outcome, call.ProviderResult));
        Assert.Equal((First, dialled, City), (call.From, call.To, call.Line));
        Assert.Equal((Utc("2021-01-28T07:00:00Z"), (DateTimeOffset?)Utc("2021-01-28T07:00:15Z"), (DateTimeOffset?)Utc("2021-01-28T07:01:00Z")), (call.StartedAt, call.AnsweredAt, call.EndedAt));
        Assert.Equal((15, 45), (call.WaitSeconds, call.TalkSeconds));
        Assert.Equal(new Leg(dialled, Utc("2021-01-28T07:00:00Z"), Utc("2021-01-28T07:00:15Z"), Utc("2021-01-28T07:01:00Z"), "answered"), Assert.Single(call.Legs));
        Assert.Equal((dialled, dialled), (call.AnsweredBy, call.EndedWith));
    }

    [Fact]
    public void Fold_OutboundBusy_OutcomeBusy()
    {
        var call = Fold(HookTypeCalls.OutboundBusy());
        var dialled = Number("9161234567", "+79161234567");

        Assert.Equal(("outbound", "ended", "busy", "486"), (call.Direction, call.State, call.Outcome, call.ProviderResult));
        Assert.Equal((First, dialled, City), (call.From, call.To, call.Line));
        Assert.Equal((Utc("2021-01-28T07:00:00Z"), (DateTimeOffset?)null, (DateTimeOffset?)Utc("2021-01-28T07:00:04Z")), (call.StartedAt, call.AnsweredAt, call.EndedAt));
        Assert.Equal((4, 0), (call.WaitSeconds, call.TalkSeconds));
        Assert.Equal(new Leg(dialled, Utc("2021-01-28T07:00:00Z"), null, Utc("2021-01-28T07:00:04Z"), "busy"), Assert.Single(call.Legs));
        Assert.Equal(((Party?)null, (Party?)null), (call.AnsweredBy, call.EndedWith));
        Assert.DoesNotContain(CallEvents.Of(call), e => e.Type == "call.missed");
    }

    public static TheoryData<string> WholeCalls => new() { "parallel", "sequential", "missed", "outbound-answered", "outbound-busy" };

    [Theory]
    [MemberData(nameof(WholeCalls))]
    public void Fold_EveryOrderWithRepeats_SameRecordAndEventIds(string scenario)
    {
        var hooks = scenario switch
        {
            "parallel" => HookTypeCalls.ParallelAnsweredBySecond(),
            "sequential" => HookTypeCalls.Sequential(),
            "missed" => HookTypeCalls.Missed(),
            "outbound-answered" => HookTypeCalls.OutboundAnswered(),
            _ => HookTypeCalls.OutboundBusy(),
        };
        var expected = CallJson.Serialize(Fold(hooks));
        var expectedIds = CallEvents.Of(Fold(hooks)).Select(e => e.Id).ToList();

        // Each event once or twice, in any order.
        Gen.Select(Gen.Bool.Array[hooks.Length], Gen.Int).Select((twice, seed) =>
        {
            var sent = hooks.Concat(hooks.Where((_, i) => twice[i])).ToArray();
            new Random(seed).Shuffle(sent);
            return sent;
        }).Sample(order =>
        {
            var call = Fold(order);
            return CallJson.Serialize(call) == expected && CallEvents.Of(call).Select(e => e.Id).SequenceEqual(expectedIds);
        }, iter: 300);
    }
}
