namespace PbxHub.Simulation;

/// <summary>One demo account: the hook it is sent to and the generator of its provider's calls.</summary>
internal sealed record DemoAccount(string Id, string Secret, IScenarioGenerator Generator);

/// <summary>
/// The traffic of <c>pbxhub demo</c>: a backlog of calls over the last hours for every demo account at once, so
/// the journal and the statistics have something to show within seconds, then a new call of each account every
/// <paramref name="interval"/> until the demo stops.
/// </summary>
internal sealed class DemoTraffic(IReadOnlyList<DemoAccount> accounts, Uri hub, TimeSpan interval, TimeProvider time)
{
    /// <summary>The longest generated call lasts less: a call started this long ago has all its events in the past.</summary>
    private static readonly TimeSpan LongestCall = TimeSpan.FromMinutes(10);

    private int next;

    public async Task RunAsync(int backlog, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var random = new Random();
        await Task.WhenAll(accounts.Select(a => SendAsync(http, a, backlog, () => LongestCall + TimeSpan.FromSeconds(random.Next(0, 6 * 3600)), ct)));
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(ct))
        {
            await Task.WhenAll(accounts.Select(a => SendAsync(http, a, 1, () => LongestCall, ct)));
        }
    }

    private async Task SendAsync(HttpClient http, DemoAccount account, int calls, Func<TimeSpan> ago, CancellationToken ct)
    {
        var target = new SimulationOptions { Url = hub.AbsoluteUri, Account = account.Id, Secret = account.Secret, Provider = account.Generator.Provider };
        var plan = new List<PlannedCall>(calls);
        for (var i = 0; i < calls; i++)
        {
            // A running index across rounds keeps provider call ids unique for the whole demo.
            var index = Interlocked.Increment(ref next);
            var random = new Random(index);
            var scenario = account.Generator.Scenarios[random.Next(account.Generator.Scenarios.Count)];
            var call = account.Generator.Generate(scenario, index, time.GetUtcNow() - ago(), random);
            plan.Add(TrafficPlanner.Deliver(call, new PlanOptions(scenario, 1, Shuffle: false, Duplicate: 0, index), random));
        }

        await new HookSender(http, target.HookUrl, 4, 0, time, target.HookHeaders).SendAsync(plan, () => { }, ct);
    }
}
