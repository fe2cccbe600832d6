using PbxHub.Calls;
using PbxHub.Providers.Evrotel.Simulator;
using PbxHub.Providers.Sipuni.Simulator;
using PbxHub.Simulation;

namespace PbxHub.Tests.Simulation;

/// <summary>What <c>--verify</c> expects of a call after reconciliation, and how it reads the hub's answer to the run.</summary>
public sealed class HistoryExpectationTests
{
    private static readonly SipuniScenarioGenerator Sipuni = new("012345");
    private static readonly DateTimeOffset Start = SipuniFolding.Now.AddMinutes(-10);

    /// <summary>An answered call with a recording.</summary>
    private static SimulatedCall Answered() => Enumerable.Range(1, 100)
        .Select(seed => Sipuni.Generate(SipuniScenarioGenerator.Answered, seed, Start, new Random(seed))).First(c => c.Expected.RecordingUrl is not null);

    /// <summary>A record as a reconciler would build it from the call's history row alone: no legs, the row's facts.</summary>
    private static CallRecord FromRow(SimulatedCall call)
    {
        var row = call.History!;
        return new CallRecord
        {
            Id = "call_x", Account = "demo", Provider = "sipuni", ProviderCallId = row.CallId, Direction = row.Direction,
            From = new Party(row.From, "+" + row.From, null), To = new Party(row.To, "+" + row.To, null), State = CallStates.Ended,
            Outcome = row.Outcome, StartedAt = row.StartedAt, AnsweredAt = row.AnsweredAt, EndedAt = row.EndedAt,
            TalkSeconds = (int)(row.EndedAt - row.AnsweredAt!.Value).TotalSeconds, AnsweredBy = new Party(row.AnsweredBy!, null, row.AnsweredBy),
            Legs = [], Transfers = [], UpdatedAt = row.EndedAt,
        };
    }

    [Fact]
    public void Differences_RecordBuiltFromTheRow_None() =>
        Assert.Empty(HistoryExpectation.Differences(Answered(), Sipuni.History, FromRow(Answered()), fromHistory: true));

    [Fact]
    public void Differences_NotMarkedFromHistoryAndStillOpen_Named()
    {
        var record = FromRow(Answered()) with { State = CallStates.Active, Incomplete = true };
        Assert.Equal(
            ["fromHistory: expected true, got false", "state: expected \"ended\", got \"active\"", "incomplete: expected false, got true"],
            HistoryExpectation.Differences(Answered(), Sipuni.History, record, fromHistory: false));
    }

    [Fact]
    public void Differences_OtherTalkAndAnswerer_NamedWhereTheHistoryTellsThem()
    {
        var record = FromRow(Answered()) with { TalkSeconds = 1, AnsweredBy = new Party("999", null, "999"), RecordingUrl = null };
        Assert.Equal(
            ["talkSeconds: expected " + FromRow(Answered()).TalkSeconds + ", got 1", "answeredBy: expected \"" + Answered().Expected.AnsweredBy + "\", got \"999\""],
            HistoryExpectation.Differences(Answered(), Sipuni.History, record, fromHistory: true));
        // Evrotel's history names nobody but carries the recording.
        var evrotel = new EvrotelScenarioGenerator(TimeZoneInfo.Utc, null);
        Assert.Equal(["recordingUrl: expected \"" + Answered().Expected.RecordingUrl + "\", got null"],
            HistoryExpectation.Differences(Answered(), evrotel.History, record with { TalkSeconds = FromRow(Answered()).TalkSeconds }, fromHistory: true));
    }

    [Fact]
    public void Untouched_MarkedFromHistory_Named() =>
        Assert.Equal(["fromHistory: expected false, got true"],
            HistoryExpectation.Untouched(new ExpectedCall { Direction = "inbound", State = CallStates.Ended, Outcome = "answered" },
                FromRow(Answered()) with { AnsweredBy = null, TalkSeconds = 0 }, fromHistory: true));

    [Fact]
    public void NeedsHistory_LostOrNeverEnded_Yes()
    {
        var answered = TrafficPlanner.Deliver(Answered(), new PlanOptions("answered", 1, false, 0, 1), new Random(1));
        var lost = TrafficPlanner.Deliver(Sipuni.Generate(SipuniScenarioGenerator.Lost, 2, Start, new Random(2)), new PlanOptions("lost", 1, false, 0, 1), new Random(1));
        Assert.False(HistoryExpectation.NeedsHistory(answered));
        Assert.True(HistoryExpectation.NeedsHistory(answered with { Loss = CallLoss.HangUps }));
        Assert.True(HistoryExpectation.NeedsHistory(lost));
    }

    [Fact]
    public void Read_SucceededRun_CountsAndFindings()
    {
        var run = HubReconciliation.Read("""
            {"id":"rec_1","account":"demo","since":"2025-03-14T11:00:00Z","until":"2025-03-14T12:00:00Z","status":"succeeded","error":null,
             "seen":10,"created":3,"completed":2,"differing":1,"findings":[{"call":"call_a","field":"talkSeconds"}]}
            """);
        Assert.Equal(new ReconcileRun("rec_1", 10, 3, 2, 1, run.Findings, null), run);
        Assert.Equal("""{"call":"call_a","field":"talkSeconds"}""", Assert.Single(run.Findings));
        Assert.True(run.Succeeded);
    }

    [Fact]
    public void Read_FailedRun_ProblemNamesTheError() =>
        Assert.Equal("the reconciliation failed: Sipuni:ApiSecret is not set",
            HubReconciliation.Read("""{"status":"failed","error":"Sipuni:ApiSecret is not set","seen":0}""").Problem);
}
