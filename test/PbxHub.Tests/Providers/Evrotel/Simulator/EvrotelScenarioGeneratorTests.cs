using System.Text.Json;
using CsCheck;
using PbxHub.Calls;
using PbxHub.Providers.Evrotel.Simulator;
using PbxHub.Simulation;
using PbxHub.Tests.Simulation;

namespace PbxHub.Tests.Providers.Evrotel.Simulator;

public sealed class EvrotelScenarioGeneratorTests
{
    private static readonly TimeZoneInfo Kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");
    private static readonly EvrotelScenarioGenerator Generator = new(Kyiv, ProviderFolding.RecordingBaseUrl);

    public static TheoryData<string> Scenarios() => [.. Generator.Scenarios];

    private static SimulatedCall Generate(string scenario, int seed, EvrotelScenarioGenerator? generator = null) =>
        (generator ?? Generator).Generate(scenario, seed, SipuniFolding.Now.AddMinutes(-10), new Random(seed));

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Generate_EveryScenario_FoldsToExpectedRecordUnderTheIdTheStartGot(string scenario)
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var call = Generate(scenario, seed);
            var (resolved, record) = ProviderFolding.Evrotel.Fold(call, call.Requests);
            Assert.Matches("^[1-9][0-9]{14}$", resolved.ProviderCallId);
            Assert.Null(resolved.IdFromReply);
            Assert.Empty(CallComparer.Differences(call.Expected, record));
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Generate_ShuffledAndDuplicated_EndStillAfterAStartAndSameRecord(string scenario)
    {
        Gen.Int.Sample(seed =>
        {
            var call = Generate(scenario, seed);
            var planned = TrafficPlanner.Deliver(call, new PlanOptions(scenario, 1, true, 0.5, seed), new Random(seed));
            // ProviderFolding fails if the end comes before any start: it would have no call id to carry.
            var (_, record) = ProviderFolding.Evrotel.Fold(call, SipuniFolding.Expand(planned));
            return CallComparer.Differences(call.Expected, record).Count == 0;
        }, iter: 300);
    }

    [Fact]
    public void Generate_EveryCall_StartThenEndCarryingItsReply()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var call = Generate(Generator.Scenarios[seed % 4], seed);
            Assert.All(call.Requests.SkipLast(1), r => Assert.Equal(("start", EvrotelCallScript.StartReply), (r.Get("callstatus"), r.RepliesAs)));
            var end = call.Requests[^1];
            Assert.Equal(("end", EvrotelCallScript.StartReply), (end.Get("callstatus"), end.Needs));
            Assert.Equal(HookRequest.Reply(EvrotelCallScript.StartReply), end.Get("callid"));
            Assert.Equal(call.ProviderCallId, end.Get("callid"));
            Assert.Equal("4711", JsonBodyOrForm(end.WithReply("4711")).callid);
        }
    }

    [Theory]
    [InlineData(EvrotelScenarioGenerator.InboundAnswered, "i", "ANSWERED", "answered")]
    [InlineData(EvrotelScenarioGenerator.InboundMissed, "i", "NO ANSWER", "missed")]
    [InlineData(EvrotelScenarioGenerator.OutboundAnswered, "o", "ANSWERED", "answered")]
    [InlineData(EvrotelScenarioGenerator.OutboundBusy, "o", "BUSY", "busy")]
    public void Generate_Scenario_DirectionDispositionAndOutcome(string scenario, string direction, string disposition, string outcome)
    {
        var call = Generate(scenario, 9);
        Assert.All(call.Requests, r => Assert.Equal(direction, r.Get("direction")));
        Assert.Equal(disposition, call.Requests[^1].Get("disposition"));
        Assert.Equal((outcome, disposition), (call.Expected.Outcome, call.Expected.ProviderResult));
        Assert.Equal(disposition == "ANSWERED", call.Requests[^1].Get("recfile") is not null);
    }

    [Fact]
    public void Generate_NoRecordingBaseUrl_ExpectsThePathAsGiven()
    {
        var call = Generate(EvrotelScenarioGenerator.InboundAnswered, 4, new EvrotelScenarioGenerator(Kyiv, null));
        Assert.Matches("^/wav/[1-9]/[0-9]{4}-[0-9]{2}-[0-9]{2}/[0-9]+\\.[0-9]+-[0-9]+\\.wav$", call.Expected.RecordingUrl);
        Assert.Equal(call.Requests[^1].Get("recfile"), call.Expected.RecordingUrl);
    }

    [Fact]
    public void Generate_OtherZoneWithDaylightSaving_FoldsToExpectedInAnAccountOfThatZone()
    {
        var generator = new EvrotelScenarioGenerator(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"), ProviderFolding.RecordingBaseUrl);
        var folding = ProviderFolding.Evrotel.InZone("America/New_York");
        for (var seed = 0; seed < 100; seed++)
        {
            var call = Generate(generator.Scenarios[seed % 4], seed, generator);
            var (_, record) = folding.Fold(call, call.Requests);
            Assert.Empty(CallComparer.Differences(call.Expected, record));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(SipuniFolding.Now.AddMinutes(-10).ToUnixTimeSeconds()), record.StartedAt);
        }
    }

    [Fact]
    public void Differences_KyivCallReadByAMoscowAccount_NamesTheStartAnHourEarly()
    {
        // What simulate --verify reports against an Evrotel account left in Moscow's zone: every other field matches.
        var call = Generate(EvrotelScenarioGenerator.InboundAnswered, 7);
        var (_, record) = ProviderFolding.Evrotel.InZone("Europe/Moscow").Fold(call, call.Requests);

        var start = DateTimeOffset.FromUnixTimeSeconds(SipuniFolding.Now.AddMinutes(-10).ToUnixTimeSeconds());
        var difference = Assert.Single(CallComparer.Differences(call.Expected, record));
        Assert.Equal($"startedAt: expected \"{CallJson.Utc(start)}\", got \"{CallJson.Utc(start.AddHours(-1))}\"", difference);
    }

    [Fact]
    public void Generate_ManyCalls_UseEveryQuirk()
    {
        var calls = Enumerable.Range(0, 300).Select(i => Generate(Generator.Scenarios[i % 4], i)).ToList();
        var requests = calls.SelectMany(c => c.Requests).Select(r => r.WithReply("123456789012345")).ToList();
        Assert.Contains(requests, r => r.Body == HookBody.Json);
        Assert.Contains(requests, r => r.Body == HookBody.Form);
        Assert.Contains(requests, r => r.Get("date") is not null);
        Assert.Contains(requests, r => r.Get("calldate") is not null);
        var json = requests.Where(r => r.Body == HookBody.Json).Select(r => JsonDocument.Parse(r.Text).RootElement).ToList();
        Assert.Contains(json, b => b.TryGetProperty("billsec", out var s) && s.ValueKind == JsonValueKind.Number);
        Assert.Contains(json, b => b.TryGetProperty("billsec", out var s) && s.ValueKind == JsonValueKind.String);
        Assert.Contains(json, b => b.TryGetProperty("billsec", out var s) && s.ValueKind == JsonValueKind.Null);
        Assert.Contains(json, b => b.TryGetProperty("callid", out var id) && id.ValueKind == JsonValueKind.Number);
        Assert.Contains(calls, c => c.Requests.Count(r => r.RepliesAs is not null) == 2);
        Assert.Contains(requests, r => r.Get("numberA") is { Length: 10 } a && a.StartsWith('0'));
        Assert.Contains(requests, r => r.Get("numberA") is { Length: 12 } a && a.StartsWith("380", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Get("numberA") is { Length: 3 });
        Assert.Contains(requests, r => r.Get("callstatus") == "end" && r.Get("numberA") is not null);
        Assert.Contains(requests, r => r.Body == HookBody.Form && r.Text.Contains("recfile=%2Fwav%2F", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_UnknownScenario_Throws() =>
        Assert.Throws<ArgumentException>(() => Generate("nope", 1));

    private static (string? callid, HookBody body) JsonBodyOrForm(HookRequest request) => request.Body == HookBody.Json
        ? (JsonDocument.Parse(request.Text).RootElement.GetProperty("callid").ToString(), request.Body)
        : (request.Get("callid"), request.Body);
}
