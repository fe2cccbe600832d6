using PbxHub.Calls;
using PbxHub.Providers.Sipuni.Simulator;
using PbxHub.Simulation;

namespace PbxHub.Tests.Simulation;

public sealed class TrafficPlannerTests
{
    private static readonly SipuniScenarioGenerator Generator = new("012345");

    private static IReadOnlyList<PlannedCall> Plan(int seed, string scenario = ScenarioGenerators.Mixed, int calls = 200, bool shuffle = false, double duplicate = 0) =>
        TrafficPlanner.Plan(Generator, new PlanOptions(scenario, calls, shuffle, duplicate, seed), SipuniFolding.Now);

    [Fact]
    public void Plan_SameSeed_SameTraffic()
    {
        var a = Plan(42, shuffle: true, duplicate: 0.3);
        var b = Plan(42, shuffle: true, duplicate: 0.3);
        Assert.Equal(
            a.SelectMany(p => p.Deliveries.Select(d => (d.Request.Method, d.Request.Encoded, d.Twice))),
            b.SelectMany(p => p.Deliveries.Select(d => (d.Request.Method, d.Request.Encoded, d.Twice))));
        Assert.Equal(a.Select(p => p.Call.Expected), b.Select(p => p.Call.Expected));
    }

    [Fact]
    public void Plan_OtherSeed_OtherTraffic() =>
        Assert.NotEqual(Plan(1).Select(p => p.Call.Requests[0].Encoded), Plan(2).Select(p => p.Call.Requests[0].Encoded));

    [Fact]
    public void Plan_Mixed_CoversEveryScenarioWithUniqueIds()
    {
        var plan = Plan(5, calls: 500);
        Assert.Equal(Generator.Scenarios.Order(), plan.Select(p => p.Call.Scenario).Distinct().Order());
        Assert.Equal(500, plan.Select(p => p.Call.ProviderCallId).Distinct().Count());
    }

    [Fact]
    public void Plan_OneScenario_OnlyThatScenario() =>
        Assert.All(Plan(5, SipuniScenarioGenerator.Busy), p => Assert.Equal(SipuniScenarioGenerator.Busy, p.Call.Scenario));

    [Fact]
    public void Plan_Timestamps_RecentAndNotInFuture()
    {
        var times = Plan(9).SelectMany(p => p.Call.Requests).Select(r => SipuniFolding.Parse(r).Signals[0].At).ToList();
        Assert.All(times, t => Assert.InRange(t, SipuniFolding.Now.AddMinutes(-20), SipuniFolding.Now));
    }

    [Fact]
    public void Plan_DuplicateProbability_RepeatsAboutThatShare()
    {
        var deliveries = Plan(3, calls: 1000, duplicate: 0.25).SelectMany(p => p.Deliveries).ToList();
        Assert.InRange(deliveries.Count(d => d.Twice) / (double)deliveries.Count, 0.2, 0.3);
        Assert.DoesNotContain(Plan(3, duplicate: 0).SelectMany(p => p.Deliveries), d => d.Twice);
    }

    [Fact]
    public void Plan_Shuffle_KeepsEveryRequestOfTheCall()
    {
        var plain = Plan(11);
        var shuffled = Plan(11, shuffle: true);
        Assert.Contains(shuffled, p => !p.Deliveries.Select(d => d.Request).SequenceEqual(p.Call.Requests));
        Assert.All(shuffled, p => Assert.Equal(
            p.Call.Requests.Select(r => r.Encoded).Order(), p.Deliveries.Select(d => d.Request.Encoded).Order()));
        Assert.Equal(plain.Select(p => p.Call.ProviderCallId), shuffled.Select(p => p.Call.ProviderCallId));
    }

    [Fact]
    public void Plan_WholeMixedRun_EveryCallFoldsToItsExpectation()
    {
        foreach (var planned in Plan(77, calls: 400, shuffle: true, duplicate: 0.3))
        {
            var record = SipuniFolding.Fold(planned.Call.ProviderCallId, SipuniFolding.Expand(planned));
            Assert.Empty(CallComparer.Differences(planned.Call.Expected, record));
        }
    }

    [Fact]
    public void ToE164_EveryNumberShape_SameNumber()
    {
        var random = new Random(1);
        for (var i = 0; i < 200; i++)
        {
            var number = i % 2 == 0 ? RussianNumber.Mobile(random) : RussianNumber.CompanyLine(random);
            Assert.Equal(number.E164, Parties.ToE164(number.Shape(random), "RU"));
        }
    }

    [Fact]
    public void Plan_ShuffledEvrotel_EveryEndAfterAStartAndTheRestShuffled()
    {
        var evrotel = ScenarioGenerators.Find("evrotel", new GeneratorSettings("012345"))!;
        var plan = TrafficPlanner.Plan(evrotel, new PlanOptions(ScenarioGenerators.Mixed, 400, true, 0, 8), SipuniFolding.Now);
        Assert.All(plan, p =>
        {
            var order = p.Deliveries.Select(d => d.Request).ToList();
            var end = order.FindIndex(r => r.Needs is not null);
            Assert.Contains(order.Take(end), r => r.RepliesAs == order[end].Needs);
        });
        // A retried start can still come after the end: only what depends on a reply is held back.
        Assert.Contains(plan, p => p.Deliveries[^1].Request.RepliesAs is not null);
    }

    [Fact]
    public void Plan_NeighbouringCalls_DrawIndependently()
    {
        var evrotel = ScenarioGenerators.Find("evrotel", new GeneratorSettings("012345"))!;
        var plan = TrafficPlanner.Plan(evrotel, new PlanOptions(ScenarioGenerators.Mixed, 400, false, 0, 6), SipuniFolding.Now);
        // Each call retries its start with probability 0.3, independently of its neighbours' seeds.
        Assert.InRange(plan.Count(p => p.Call.Requests.Count(r => r.RepliesAs is not null) == 2) / 400.0, 0.2, 0.4);
    }
}
