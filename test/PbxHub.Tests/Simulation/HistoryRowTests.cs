using PbxHub.Calls;
using PbxHub.Providers.Evrotel.Simulator;
using PbxHub.Providers.HookType.Simulator;
using PbxHub.Providers.Sipuni.Simulator;
using PbxHub.Simulation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.Tests.Simulation;

/// <summary>Each generated call's history row (what <c>--history</c> posts): its fields per scenario kind, and the same story as its events.</summary>
public sealed class HistoryRowTests
{
    private static readonly SipuniScenarioGenerator Sipuni = new("012345");
    private static readonly EvrotelScenarioGenerator Evrotel = new(TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv"), ProviderFolding.RecordingBaseUrl);
    private static readonly DateTimeOffset Start = SipuniFolding.Now.AddMinutes(-10);

    private static SimulatedCall Generate(IScenarioGenerator generator, string scenario, int seed) => generator.Generate(scenario, seed, Start, new Random(seed));

    private static string Digits(string e164) => e164.TrimStart('+');

    [Fact]
    public void Sipuni_Answered_InboundFromTheClientOnTheLineAnsweredByTheExtension()
    {
        var call = Generate(Sipuni, SipuniScenarioGenerator.Answered, 1);
        var row = call.History!;
        var arrival = call.Requests.First(r => r.Get("event") == "1" && r.Get("src_type") == "1");
        var hangUp = call.Requests.First(r => r.Get("event") == "2" && r.Get("dst_type") == "2");
        Assert.Equal(call.ProviderCallId, row.CallId);
        Assert.Equal(Directions.Inbound, row.Direction);
        Assert.EndsWith(row.From[^10..], arrival.Get("src_num")!, StringComparison.Ordinal);
        Assert.Equal(row.Line, row.To);
        Assert.Matches("^7[0-9]{10}$", row.From);
        Assert.Matches("^7[0-9]{10}$", row.Line!);
        Assert.Equal(Start.ToUnixTimeSeconds(), row.StartedAt.ToUnixTimeSeconds());
        Assert.Equal(hangUp.Get("call_answer_timestamp"), row.AnsweredAt!.Value.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(hangUp.Get("timestamp"), row.EndedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((Outcomes.Answered, call.Expected.AnsweredBy), (row.Outcome, row.AnsweredBy));
        Assert.Equal(hangUp.Get("short_dst_num") ?? hangUp.Get("dst_num")![6..], row.AnsweredBy);
        Assert.Equal(call.Expected.RecordingUrl, row.RecordingUrl);
    }

    [Fact]
    public void Sipuni_Missed_NobodyAnsweredEndedAtTheLastHangUp()
    {
        var call = Generate(Sipuni, SipuniScenarioGenerator.Missed, 2);
        var row = call.History!;
        Assert.Equal((Directions.Inbound, Outcomes.Missed), (row.Direction, row.Outcome));
        Assert.Null(row.AnsweredAt);
        Assert.Null(row.AnsweredBy);
        Assert.Equal(call.Requests.Where(r => r.Get("event") == "2").Max(r => long.Parse(r.Get("timestamp")!, System.Globalization.CultureInfo.InvariantCulture)),
            row.EndedAt.ToUnixTimeSeconds() * (call.Requests[0].Get("timestamp")!.Length > 10 ? 1000 : 1));
    }

    [Fact]
    public void Sipuni_Busy_OutboundFromTheExtensionToTheClient()
    {
        var call = Generate(Sipuni, SipuniScenarioGenerator.Busy, 3);
        var row = call.History!;
        var dial = call.Requests[0];
        Assert.Equal((Directions.Outbound, Outcomes.Busy), (row.Direction, row.Outcome));
        Assert.Equal(dial.Get("src_num")![6..].Split('_')[0], row.From);
        Assert.Matches("^7[0-9]{10}$", row.To);
        Assert.Contains(row.To[1..], dial.Get("dst_num")!, StringComparison.Ordinal);
        Assert.Null(row.Line);
        Assert.Null(row.AnsweredAt);
        Assert.Null(row.AnsweredBy);
    }

    [Fact]
    public void Sipuni_CallbackAnswered_OutboundAnsweredByTheClient()
    {
        var call = Generate(Sipuni, SipuniScenarioGenerator.Callback, 4);
        var row = call.History!;
        Assert.Equal((Directions.Outbound, Outcomes.Answered, row.To), (row.Direction, row.Outcome, row.AnsweredBy));
        Assert.Equal(Digits(call.Expected.AnsweredBy!), row.AnsweredBy);
        Assert.Equal(call.Expected.TalkSeconds, (int)(row.EndedAt - row.AnsweredAt!.Value).TotalSeconds);
    }

    [Fact]
    public void Sipuni_LostScenario_HistoryEndsTheCallItsEventsNeverEnd()
    {
        var rows = Enumerable.Range(0, 40).Select(seed => Generate(Sipuni, SipuniScenarioGenerator.Lost, seed)).ToList();
        Assert.All(rows, call => Assert.Equal(call.Expected.AnsweredBy is null ? Outcomes.Missed : Outcomes.Answered, call.History!.Outcome));
        Assert.All(rows.Where(c => c.Expected.AnsweredBy is not null), c =>
            Assert.Equal(SipuniScenarioGenerator.UnendedTalkSeconds, (c.History!.EndedAt - c.History.AnsweredAt!.Value).TotalSeconds));
        Assert.Contains(rows, c => c.Expected.AnsweredBy is null);
    }

    [Theory]
    [InlineData(EvrotelScenarioGenerator.InboundAnswered, "inbound", "answered")]
    [InlineData(EvrotelScenarioGenerator.InboundMissed, "inbound", "missed")]
    [InlineData(EvrotelScenarioGenerator.OutboundAnswered, "outbound", "answered")]
    [InlineData(EvrotelScenarioGenerator.OutboundBusy, "outbound", "busy")]
    public void Evrotel_EveryScenario_NumbersAsTheStartWroteThemTimesAndRecfileAsTheEnd(string scenario, string direction, string outcome)
    {
        for (var seed = 0; seed < 30; seed++)
        {
            var call = Generate(Evrotel, scenario, seed);
            var (row, start, end) = (call.History!, call.Requests[0], call.Requests[^1]);
            Assert.Equal("", row.CallId);
            Assert.Equal((direction, outcome), (row.Direction, row.Outcome));
            Assert.Equal((start.Get("numberA"), start.Get("numberB")), (row.From, row.To));
            Assert.Equal(direction == "inbound" ? row.To : row.From.Length > 3 ? row.From : null, row.Line);
            Assert.Equal(call.Expected.StartedAt, row.StartedAt);
            Assert.Equal(end.Get("date") ?? end.Get("calldate"), Kyiv(row.EndedAt));
            Assert.Equal(end.Get("recfile"), row.RecordingUrl);
            Assert.Null(row.AnsweredBy);
            var billsec = int.Parse(end.Get("billsec")!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(billsec, row.AnsweredAt is { } answered ? (int)(row.EndedAt - answered).TotalSeconds : 0);
            Assert.Equal(outcome == Outcomes.Answered, row.AnsweredAt is not null);
        }
    }

    [Fact]
    public void HookType_NoHistory_NoRowsAndNoShape()
    {
        var generator = new HookTypeScenarioGenerator(TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"));
        Assert.Null(((IScenarioGenerator)generator).History);
        Assert.All(generator.Scenarios, s => Assert.Null(Generate(generator, s, 1).History));
    }

    /// <summary>The history and the events tell one story: folded as the hub folds them, the events give the row's facts.</summary>
    [Fact]
    public void EveryEndedCall_RowAgreesWithTheRecordItsEventsFoldTo()
    {
        var sipuni = TrafficPlanner.Plan(Sipuni, new PlanOptions(ScenarioGenerators.Mixed, 400, false, 0, 21), SipuniFolding.Now)
            .Select(p => (p.Call, Record: SipuniFolding.Fold(p.Call.ProviderCallId, p.Call.Requests)));
        var evrotel = TrafficPlanner.Plan(Evrotel, new PlanOptions(ScenarioGenerators.Mixed, 200, false, 0, 21), SipuniFolding.Now)
            .Select(p => ProviderFolding.Evrotel.Fold(p.Call, p.Call.Requests));
        foreach (var (call, record) in sipuni.Concat(evrotel).Where(x => x.Call.Expected.State == CallStates.Ended))
        {
            var row = call.History!;
            var because = $"{call.Scenario} {call.ProviderCallId}";
            Assert.True(record.Direction == row.Direction, because);
            Assert.True(record.StartedAt == row.StartedAt, because);
            Assert.True(record.EndedAt == row.EndedAt, $"{because}: ended {record.EndedAt} in the events, {row.EndedAt} in the history");
            Assert.True(record.Outcome == row.Outcome, because);
            Assert.True(record.TalkSeconds == (row.AnsweredAt is { } a ? (int)(row.EndedAt - a).TotalSeconds : 0), because);
            Assert.True(HistoryLookup.Same(record.From, row.From), $"{because}: from {record.From} and {row.From}");
            // An inbound call whose line's arrival was lost names the extension rung as its To; the history, the line.
            Assert.True(HistoryLookup.Same(record.To, row.To) || (record.Direction == Directions.Inbound && record.To?.Extension is not null), $"{because}: to {record.To} and {row.To}");
        }
    }

    private static string Kyiv(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv")).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
}
