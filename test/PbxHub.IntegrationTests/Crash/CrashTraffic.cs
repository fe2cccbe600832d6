using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation;

namespace PbxHub.IntegrationTests.Crash;

/// <summary>
/// Batches of every provider's simulated traffic, shuffled and duplicated as <c>pbxhub simulate --shuffle --duplicate</c>
/// sends it, through the rig's balancer. Calls are numbered across the whole campaign, so no two batches share a
/// provider call id.
/// </summary>
internal sealed class CrashTraffic(CrashRig rig, int callsPerProvider)
{
    /// <summary>Each batch's calls start over about this long, so a kill finds requests in flight.</summary>
    private const double BatchSeconds = 2;

    private int nextCall;

    /// <summary>Plans one batch from <paramref name="seed"/>; the returned task sends it and ends when every request was answered or failed.</summary>
    public (int Requests, Task Sending) Send(int seed, CancellationToken ct)
    {
        var random = new Random(seed);
        var first = nextCall;
        nextCall += callsPerProvider;
        var now = TimeProvider.System.GetUtcNow();
        var runs = new List<Task>();
        var requests = 0;
        foreach (var (provider, account, secret) in ThreeProviders.Senders)
        {
            var options = new SimulationOptions { Url = rig.Balancer.Url, Account = account, Secret = secret, Provider = provider };
            var generator = ScenarioGenerators.Find(provider, options.GeneratorSettings)!;
            var plan = new PlanOptions(ScenarioGenerators.Mixed, callsPerProvider, Shuffle: true, Duplicate: 0.3, seed);
            var calls = Enumerable.Range(first, callsPerProvider).Select(index =>
            {
                var scenario = generator.Scenarios[random.Next(generator.Scenarios.Count)];
                var call = generator.Generate(scenario, index, now.AddSeconds(-random.Next(300, 900)), random);
                return TrafficPlanner.Deliver(call, plan, random);
            }).ToList();
            requests += calls.Sum(c => c.RequestCount);
            runs.Add(SendAsync(options, calls, ct));
        }

        return (requests, Task.WhenAll(runs));
    }

    private static async Task SendAsync(SimulationOptions options, IReadOnlyList<PlannedCall> calls, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var sender = new HookSender(http, options.HookUrl, concurrency: 4, rate: Math.Max(1, calls.Count / BatchSeconds), TimeProvider.System, options.HookHeaders);
        await sender.SendAsync(calls, () => { }, ct);
    }
}
