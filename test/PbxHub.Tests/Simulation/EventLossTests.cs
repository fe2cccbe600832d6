using System.Text.RegularExpressions;
using PbxHub.Providers.Evrotel.Simulator;
using PbxHub.Providers.HookType.Simulator;
using PbxHub.Providers.Sipuni.Simulator;
using PbxHub.Simulation;

namespace PbxHub.Tests.Simulation;

public sealed class EventLossTests
{
    private static readonly SipuniScenarioGenerator Sipuni = new("012345");

    public static TheoryData<string> Providers() => ["sipuni", "hooktype", "evrotel"];

    private static IScenarioGenerator Generator(string provider) => provider switch
    {
        "sipuni" => Sipuni,
        "hooktype" => new HookTypeScenarioGenerator(TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")),
        _ => new EvrotelScenarioGenerator(TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv"), ProviderFolding.RecordingBaseUrl),
    };

    private static IReadOnlyList<PlannedCall> Plan(int seed, double lose, LossMode mode, IScenarioGenerator? generator = null, int calls = 400, double duplicate = 0.3) =>
        TrafficPlanner.Plan(generator ?? Sipuni, new PlanOptions(ScenarioGenerators.Mixed, calls, true, duplicate, seed, new LossOptions(lose, mode)), SipuniFolding.Now);

    /// <summary>
    /// Whether a request is a hang-up, read from its fields by each provider's own rule (not from the script's flag):
    /// Sipuni's events 2 and 4, HookType's AttemptIncCallEnd, EndIncCall, MissedIncCall and EndOutCall, Evrotel's end.
    /// </summary>
    private static bool IsHangUp(string provider, HookRequest request) => provider switch
    {
        "sipuni" => request.Get("event") is "2" or "4",
        "hooktype" => request.Get("HookType") is "AttemptIncCallEnd" or "EndIncCall" or "MissedIncCall" or "EndOutCall",
        _ => request.Get("callstatus") == "end",
    };

    [Fact]
    public void Plan_SameSeed_SameCallsLoseTheSameRequests()
    {
        var a = Plan(7, 0.3, LossMode.Both);
        var b = Plan(7, 0.3, LossMode.Both);
        Assert.Equal(a.Select(p => (p.Loss, p.Dropped, p.Deliveries.Count)), b.Select(p => (p.Loss, p.Dropped, p.Deliveries.Count)));
        Assert.NotEqual(a.Select(p => p.Loss), Plan(8, 0.3, LossMode.Both).Select(p => p.Loss));
    }

    [Fact]
    public void Plan_Lose_TrafficOfEveryCallAsWithoutLoss()
    {
        var lossless = Plan(11, 0, LossMode.Both);
        var lossy = Plan(11, 0.5, LossMode.Both);
        Assert.Equal(lossless.Select(p => p.Call.Requests.Select(r => r.Encoded)), lossy.Select(p => p.Call.Requests.Select(r => r.Encoded)), new SequenceComparer());
        Assert.All(lossless, p => Assert.Equal(CallLoss.None, p.Loss));
        // What was kept went in the order and with the repeats the lossless run has.
        Assert.All(lossless.Zip(lossy), pair => Assert.Equal(
            pair.First.Deliveries.Select(Shown).Where(d => pair.Second.Deliveries.Select(Shown).Contains(d)), pair.Second.Deliveries.Select(Shown)));
    }

    [Fact]
    public void Plan_LoseShare_AboutThatShareOfCallsCountedWithTheirRequests()
    {
        var plan = Plan(3, 0.3, LossMode.Both, calls: 2000);
        var lost = plan.Where(p => p.Loss != CallLoss.None).ToList();
        Assert.InRange(lost.Count / 2000.0, 0.25, 0.33);
        Assert.InRange(lost.Count(p => p.Loss == CallLoss.Whole) / (double)lost.Count, 0.4, 0.6);
        Assert.All(lost, p => Assert.True(p.Dropped > 0));
        Assert.Equal(new LossCount(lost.Count(p => p.Loss == CallLoss.Whole), lost.Count(p => p.Loss == CallLoss.HangUps), lost.Sum(p => p.Dropped)), LossCount.Of(plan));
        var lossless = Plan(3, 0, LossMode.Both, calls: 2000);
        Assert.Equal(lossless.Sum(p => p.RequestCount), plan.Sum(p => p.RequestCount + p.Dropped));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Plan_LoseCalls_LostCallsSendNothing(string provider)
    {
        var lossless = Plan(5, 0, LossMode.Calls, Generator(provider));
        var plan = Plan(5, 0.4, LossMode.Calls, Generator(provider));
        Assert.Contains(plan, p => p.Loss == CallLoss.Whole);
        Assert.DoesNotContain(plan, p => p.Loss == CallLoss.HangUps);
        Assert.All(plan.Zip(lossless).Where(x => x.First.Loss == CallLoss.Whole), x =>
        {
            Assert.Empty(x.First.Deliveries);
            Assert.Equal(x.Second.RequestCount, x.First.Dropped);
        });
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Plan_LoseHangUps_DropsEveryHangUpAndNothingElse(string provider)
    {
        var lossless = Plan(9, 0, LossMode.HangUps, Generator(provider));
        var plan = Plan(9, 1, LossMode.HangUps, Generator(provider));
        foreach (var (lossy, whole) in plan.Zip(lossless))
        {
            var hangUps = whole.Deliveries.Where(d => IsHangUp(provider, d.Request)).ToList();
            Assert.Equal(whole.Deliveries.Where(d => !hangUps.Contains(d)).Select(Shown), lossy.Deliveries.Select(Shown));
            Assert.Equal(hangUps.Count == 0 ? CallLoss.None : CallLoss.HangUps, lossy.Loss);
            Assert.Equal(hangUps.Sum(d => d.Twice ? 2 : 1), lossy.Dropped);
        }

        Assert.All(plan.Where(p => p.Call.Expected.State == PbxHub.Calls.CallStates.Ended), p => Assert.Equal(CallLoss.HangUps, p.Loss));
    }

    [Fact]
    public void LossCount_LossyRun_ShownApartFromFailures()
    {
        var plan = Plan(3, 0.3, LossMode.Both, calls: 50);
        var count = LossCount.Of(plan);
        var report = new SimulationReport(50, 3, new SendStats(), null) { Lost = count };
        var output = new StringWriter();
        SimulationSummary.Write(TestConsole(output), report);
        Assert.True(report.Succeeded);
        Assert.Matches(new Regex($@"Requests dropped on purpose\s*│\s*{count.Requests}\s*│"), output.ToString());
        Assert.Matches(new Regex(@"Failed requests\s*│\s*0\s*│"), output.ToString());
    }

    /// <summary>A delivery by what goes on the wire: two plans of one seed hold equal requests, not the same objects.</summary>
    private static (string, string, string, bool) Shown(PbxHub.Simulation.Delivery d) => (d.Request.Method, d.Request.Encoded, d.Request.Text, d.Twice);

    private static Spectre.Console.IAnsiConsole TestConsole(StringWriter output) => Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings
    {
        Ansi = Spectre.Console.AnsiSupport.No,
        ColorSystem = Spectre.Console.ColorSystemSupport.NoColors,
        Interactive = Spectre.Console.InteractionSupport.No,
        Out = new Spectre.Console.AnsiConsoleOutput(output),
    });

    private sealed class SequenceComparer : IEqualityComparer<IEnumerable<string>>
    {
        public bool Equals(IEnumerable<string>? x, IEnumerable<string>? y) => x!.SequenceEqual(y!);

        public int GetHashCode(IEnumerable<string> obj) => 0;
    }
}
