using PbxHub.Calls;
using PbxHub.Providers;
using static PbxHub.Tests.Providers.HookType.HookTypeHooks;

namespace PbxHub.Tests.Providers.HookType;

/// <summary>The document's six example payloads (docs/providers/hooktype-dialect.md), byte for byte, each alone and together where they share a call.</summary>
public sealed class HookTypeSpecExampleTests
{
    private static readonly Party Client = Number("9582412128", "+79582412128");
    private static readonly Party City = Number("4950665310", "+74950665310");

    [Fact]
    public void Fold_CreateIncCallExample_RingingInboundCallOnTheCityNumber()
    {
        var call = Fold([Example("CreateIncCall")]);

        Assert.Equal(("ec22aab1-02f8-487d-9b40-1173f33ba242", "hooktype", "inbound"), (call.ProviderCallId, call.Provider, call.Direction));
        Assert.Equal((Client, City, City), (call.From, call.To, call.Line));
        Assert.Equal(("ringing", (string?)null, (string?)null), (call.State, call.Outcome, call.ProviderResult));
        Assert.Equal(Utc("2021-01-28T11:15:22Z"), call.StartedAt);
        Assert.Equal(((DateTimeOffset?)null, (DateTimeOffset?)null), (call.AnsweredAt, call.EndedAt));
        Assert.Equal((0, 0), (call.WaitSeconds, call.TalkSeconds));
        Assert.Empty(call.Legs);
        Assert.Equal(((Party?)null, (Party?)null), (call.AnsweredBy, call.EndedWith));
        Assert.False(call.Incomplete);
    }

    [Fact]
    public void Fold_AttemptIncCallBeginExample_RingsTheEmployeeAsAnExtension()
    {
        var call = Fold([Example("AttemptIncCallBegin")]);

        Assert.Equal(("inbound", "ringing"), (call.Direction, call.State));
        Assert.Equal((Client, City, City), (call.From, call.To, call.Line));
        var leg = Assert.Single(call.Legs);
        Assert.Equal(new Leg(Employee("80052002651", "0052002651"), Utc("2021-01-28T11:15:30Z"), null, null, null), leg);
        Assert.Equal(Utc("2021-01-28T11:15:30Z"), call.StartedAt);
    }

    [Fact]
    public void Fold_CreateIncCallAndAttemptIncCallBeginExamples_OneCallStartedAtTheCreate()
    {
        // The two examples share their SessionID: the call arrives at 14:15:22 and rings the employee at 14:15:30.
        var call = Fold([Example("AttemptIncCallBegin"), Example("CreateIncCall")]);

        Assert.Equal(Utc("2021-01-28T11:15:22Z"), call.StartedAt);
        Assert.Equal((Client, City, City), (call.From, call.To, call.Line));
        Assert.Equal(Utc("2021-01-28T11:15:30Z"), Assert.Single(call.Legs).StartedAt);
        Assert.Equal(("ringing", 0), (call.State, call.WaitSeconds));
    }

    [Fact]
    public void Fold_ChangeIncCallExample_ActiveCallAnsweredByTheEmployee()
    {
        var call = Fold([Example("ChangeIncCall")]);
        var employee = Employee("800774994086005", "00774994086005");

        Assert.Equal(("13f225e3-e449-4576-94de-50bb59064f46", "inbound", "active"), (call.ProviderCallId, call.Direction, call.State));
        Assert.Equal(Client, call.From);
        Assert.Equal(Number("3462773930", "+73462773930"), call.Line);
        Assert.Equal(call.Line, call.To);
        Assert.Equal((Utc("2021-01-28T09:31:01Z"), (DateTimeOffset?)Utc("2021-01-28T09:31:01Z"), (DateTimeOffset?)null), (call.StartedAt, call.AnsweredAt, call.EndedAt));
        Assert.Equal((employee, (Party?)null), (call.AnsweredBy, call.EndedWith));
        Assert.Equal(new Leg(employee, Utc("2021-01-28T09:31:01Z"), Utc("2021-01-28T09:31:01Z"), null, null), Assert.Single(call.Legs));
        Assert.Null(call.Outcome);
    }

    [Fact]
    public void Parse_AttemptIncCallEndExampleAsPrinted_FailsAsNotJson()
    {
        // The spec prints this example without its closing brace: it is no JSON, so it is quarantined, not guessed at.
        var failed = Assert.IsType<HookParse.Failed>(Parse(Example("AttemptIncCallEnd")));

        Assert.StartsWith("the body is not valid JSON", failed.Reason, StringComparison.Ordinal);
        Assert.False(Example("AttemptIncCallEnd").AsSpan().EndsWith("}"u8));
    }

    [Fact]
    public void Fold_AttemptIncCallEndExampleCompleted_LegEndsUnansweredButCallStaysOpen()
    {
        var call = Fold([CompletedAttemptIncCallEnd()]);

        var leg = Assert.Single(call.Legs);
        Assert.Equal(new Leg(Employee("80052002642", "0052002642"), Utc("2021-01-28T15:27:09Z"), null, Utc("2021-01-28T15:27:09Z"), "no_answer"), leg);
        // One employee not answering does not end the call: only EndIncCall or MissedIncCall does.
        Assert.Equal(("ringing", (string?)null, (DateTimeOffset?)null), (call.State, call.Outcome, call.EndedAt));
        Assert.DoesNotContain(CallEvents.Of(call), e => e.Type is "call.missed" or "call.ended");
    }

    [Fact]
    public void Fold_EndIncCallExample_AnsweredCallEndedWithTheEmployee()
    {
        var call = Fold([Example("EndIncCall")]);
        var employee = Employee("0052002651", "0052002651");

        Assert.Equal(("4045859e-2dff-4d92-afba-ea57566a6e8b", "inbound"), (call.ProviderCallId, call.Direction));
        Assert.Equal((Client, City, City), (call.From, call.To, call.Line));
        Assert.Equal(("ended", "answered", "200"), (call.State, call.Outcome, call.ProviderResult));
        // No StartTime: the talk (Duration 26 before EndTime 18:27:19) is the earliest the call is known to exist.
        Assert.Equal(Utc("2021-01-28T15:26:53Z"), call.StartedAt);
        Assert.Equal(((DateTimeOffset?)Utc("2021-01-28T15:26:53Z"), (DateTimeOffset?)Utc("2021-01-28T15:27:19Z")), (call.AnsweredAt, call.EndedAt));
        Assert.Equal((0, 26), (call.WaitSeconds, call.TalkSeconds));
        Assert.Equal((employee, employee), (call.AnsweredBy, call.EndedWith));
        Assert.Equal(new Leg(employee, Utc("2021-01-28T15:26:53Z"), Utc("2021-01-28T15:26:53Z"), Utc("2021-01-28T15:27:19Z"), "answered"), Assert.Single(call.Legs));
    }

    [Fact]
    public void Fold_AttemptIncCallEndCompletedAndEndIncCallExamples_OneCallWithTwoEmployees()
    {
        // Same SessionID: 80052002642 was rung and did not answer; 0052002651 talked 26 s and hung up at 18:27:19.
        var call = Fold([Example("EndIncCall"), CompletedAttemptIncCallEnd()]);

        Assert.Equal(("ended", "answered", "200"), (call.State, call.Outcome, call.ProviderResult));
        Assert.Equal([("0052002651", "answered"), ("0052002642", "no_answer")], call.Legs.Select(l => (l.Party.Extension!, l.Outcome!)));
        Assert.Equal(("0052002651", "0052002651"), (call.AnsweredBy?.Extension, call.EndedWith?.Extension));
        Assert.Equal((Utc("2021-01-28T15:26:53Z"), 0, 26), (call.StartedAt, call.WaitSeconds, call.TalkSeconds));
    }

    [Fact]
    public void Fold_MissedIncCallExample_MissedCallCancelledByTheCaller()
    {
        var call = Fold([Example("MissedIncCall")]);

        Assert.Equal(("391cb39b-2658-4bcb-b4de-6b1fd4a2ed70", "inbound"), (call.ProviderCallId, call.Direction));
        Assert.Equal((Client, City, City), (call.From, call.To, call.Line));
        Assert.Equal(("ended", "missed", "603-S"), (call.State, call.Outcome, call.ProviderResult));
        Assert.Equal((Utc("2021-01-28T15:34:51Z"), (DateTimeOffset?)null, (DateTimeOffset?)Utc("2021-01-28T15:34:51Z")), (call.StartedAt, call.AnsweredAt, call.EndedAt));
        Assert.Equal((0, 0), (call.WaitSeconds, call.TalkSeconds));
        Assert.Empty(call.Legs);
        Assert.Equal(((Party?)null, (Party?)null), (call.AnsweredBy, call.EndedWith));
        Assert.Contains(CallEvents.Of(call), e => e.Type == "call.missed");
    }

    [Theory]
    [InlineData("CreateIncCall")]
    [InlineData("AttemptIncCallBegin")]
    [InlineData("ChangeIncCall")]
    [InlineData("EndIncCall")]
    [InlineData("MissedIncCall")]
    public void Parse_ExampleWithAnyContentType_SameEvent(string hookType)
    {
        var json = Assert.IsType<HookParse.Parsed>(Parse(Example(hookType)));

        foreach (var contentType in new[] { null, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=windows-1251" })
        {
            Assert.Equal(json, Assert.IsType<HookParse.Parsed>(Parse(Example(hookType), contentType)), ParsedComparer.Instance);
        }
    }

    private sealed class ParsedComparer : IEqualityComparer<HookParse.Parsed>
    {
        public static readonly ParsedComparer Instance = new();

        public bool Equals(HookParse.Parsed? x, HookParse.Parsed? y) =>
            x!.CallKey == y!.CallKey && x.DedupeKey == y.DedupeKey && x.Signals.SequenceEqual(y.Signals);

        public int GetHashCode(HookParse.Parsed obj) => obj.CallKey.GetHashCode(StringComparison.Ordinal);
    }
}
