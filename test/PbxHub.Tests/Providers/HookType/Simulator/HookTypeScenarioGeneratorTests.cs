using System.Globalization;
using System.Text.Json;
using CsCheck;
using PbxHub.Calls;
using PbxHub.Providers.HookType.Simulator;
using PbxHub.Simulation;
using PbxHub.Tests.Simulation;

namespace PbxHub.Tests.Providers.HookType.Simulator;

public sealed class HookTypeScenarioGeneratorTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly HookTypeScenarioGenerator Generator = new(Moscow);

    public static TheoryData<string> Scenarios() => [.. Generator.Scenarios];

    private static SimulatedCall Generate(string scenario, int seed, HookTypeScenarioGenerator? generator = null) =>
        (generator ?? Generator).Generate(scenario, seed, SipuniFolding.Now.AddMinutes(-10), new Random(seed));

    private static List<HookRequest> Hooks(string type, SimulatedCall call) => [.. call.Requests.Where(r => r.Get("HookType") == type)];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Generate_EveryScenario_FoldsToExpectedRecord(string scenario)
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var call = Generate(scenario, seed);
            Assert.Empty(CallComparer.Differences(call.Expected, ProviderFolding.HookType.Fold(call)));
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Generate_ShuffledAndDuplicated_FoldsToSameExpectedRecord(string scenario)
    {
        Gen.Int.Sample(seed =>
        {
            var call = Generate(scenario, seed);
            var planned = TrafficPlanner.Deliver(call, new PlanOptions(scenario, 1, true, 0.5, seed), new Random(seed));
            var (_, record) = ProviderFolding.HookType.Fold(call, SipuniFolding.Expand(planned));
            return CallComparer.Differences(call.Expected, record).Count == 0;
        }, iter: 300);
    }

    [Fact]
    public void Generate_Parallel_EmployeesRungAtOnceSecondAnswers()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var call = Generate(HookTypeScenarioGenerator.Parallel, seed);
            var attempts = Hooks("AttemptIncCallBegin", call);
            Assert.InRange(attempts.Count, 2, 3);
            Assert.Single(attempts.Select(a => a.Get("StartTime")).Distinct());
            Assert.Equal(attempts[1].Get("Called"), Hooks("ChangeIncCall", call).Single().Get("Called"));
            Assert.Equal(attempts.Count - 1, Hooks("AttemptIncCallEnd", call).Count);
            Assert.Equal(attempts[1].Get("Called")![1..], call.Expected.AnsweredBy);
        }
    }

    [Fact]
    public void Generate_Sequential_SecondRungWhenTheFirstAttemptEnds()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var call = Generate(HookTypeScenarioGenerator.Sequential, seed);
            Assert.Equal(
                ["CreateIncCall", "AttemptIncCallBegin", "AttemptIncCallEnd", "AttemptIncCallBegin", "ChangeIncCall", "EndIncCall"],
                call.Requests.Select(r => r.Get("HookType")));
            Assert.Equal(call.Requests[2].Get("EndTime"), call.Requests[3].Get("StartTime"));
            Assert.Equal(call.Requests[3].Get("Called"), call.Requests[4].Get("Called"));
        }
    }

    [Fact]
    public void Generate_Missed_MissedIncCallWithCancelledOrMissedCode()
    {
        var codes = Enumerable.Range(0, 60).Select(seed => Generate(HookTypeScenarioGenerator.Missed, seed))
            .Select(call =>
            {
                Assert.Empty(Hooks("ChangeIncCall", call));
                Assert.Equal(2, Hooks("AttemptIncCallEnd", call).Count);
                return Hooks("MissedIncCall", call).Single().Get("ResultCode");
            }).ToHashSet();
        Assert.Equal(["304", "603-S"], codes.Order());
    }

    [Theory]
    [InlineData(HookTypeScenarioGenerator.OutboundAnswered, "200")]
    [InlineData(HookTypeScenarioGenerator.OutboundBusy, "486")]
    public void Generate_Outbound_CreateAndEndOutCallFromAnEmployee(string scenario, string code)
    {
        var call = Generate(scenario, 3);
        Assert.Equal(["CreateOutCall", "EndOutCall"], call.Requests.Select(r => r.Get("HookType")));
        Assert.StartsWith("800", call.Requests[0].Get("Caller"), StringComparison.Ordinal);
        Assert.Equal(code, call.Requests[1].Get("ResultCode"));
        Assert.Equal(Directions.Outbound, call.Expected.Direction);
    }

    [Fact]
    public void Generate_Times_WallClockOfTheAccountsZone()
    {
        var call = Generate(HookTypeScenarioGenerator.Parallel, 5);
        var start = DateTimeOffset.FromUnixTimeSeconds(SipuniFolding.Now.AddMinutes(-10).ToUnixTimeSeconds());
        Assert.Equal(TimeZoneInfo.ConvertTime(start, Moscow).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), call.Requests[0].Get("StartTime"));
        Assert.Equal(start, ProviderFolding.HookType.Fold(call).StartedAt);
    }

    [Fact]
    public void Generate_OtherZoneWithDaylightSaving_FoldsToExpectedInAnAccountOfThatZone()
    {
        var generator = new HookTypeScenarioGenerator(TimeZoneInfo.FindSystemTimeZoneById("America/New_York"));
        var folding = ProviderFolding.HookType.InZone("America/New_York");
        for (var seed = 0; seed < 100; seed++)
        {
            var call = Generate(generator.Scenarios[seed % generator.Scenarios.Count], seed, generator);
            var record = folding.Fold(call);
            Assert.Empty(CallComparer.Differences(call.Expected, record));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(SipuniFolding.Now.AddMinutes(-10).ToUnixTimeSeconds()), record.StartedAt);
        }
    }

    [Fact]
    public void Generate_ManyCalls_UseEveryQuirk()
    {
        var calls = Enumerable.Range(0, 300).Select(i => Generate(Generator.Scenarios[i % Generator.Scenarios.Count], i)).ToList();
        var requests = calls.SelectMany(c => c.Requests).ToList();
        Assert.All(requests, r => Assert.Equal(HookBody.Json, r.Body));
        var bodies = requests.Select(r => JsonDocument.Parse(r.Text).RootElement).ToList();
        Assert.Contains(bodies, b => b.TryGetProperty("ResultCode", out var code) && code.ValueKind == JsonValueKind.String);
        Assert.Contains(bodies, b => b.TryGetProperty("ResultCode", out var code) && code.ValueKind == JsonValueKind.Number);
        Assert.Contains(bodies, b => b.TryGetProperty("Duration", out var d) && d.ValueKind == JsonValueKind.Number);
        Assert.All(requests, r => Assert.Matches("^[0-9]{10}$", r.Get("CityNumber")));
        Assert.Contains(requests, r => r.Get("Caller")!.Length == 10);
        Assert.Contains(requests, r => r.Get("Called") is { Length: 11 } called && called.StartsWith("8005200", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Get("Called") is { Length: 15 } called && called.StartsWith("800774994", StringComparison.Ordinal));
        Assert.Contains(requests, r => r.Get("HookType") == "EndIncCall" && r.Get("Called")!.StartsWith('0'));
        Assert.Contains(requests, r => r.Get("HookType") == "AttemptIncCallEnd" && r.Get("StartTime") is null);
        Assert.Contains(requests, r => r.Get("Redirecting") is { } redirecting && redirecting.StartsWith('8'));
        Assert.Equal(300, calls.Select(c => c.ProviderCallId).Distinct().Count());
        Assert.All(calls, c => Assert.Single(c.Requests.Select(r => r.Get("SessionID")).Distinct()));
    }

    [Fact]
    public void Generate_UnknownScenario_Throws() =>
        Assert.Throws<ArgumentException>(() => Generate("nope", 1));
}
