using PbxHub.Simulation;

namespace PbxHub.Bench.Traffic;

/// <summary>
/// An endless, deterministic stream of Sipuni hook requests, call after call, made by the same
/// scenario generator as <c>pbxhub simulate</c> (all of its scenarios, mixed, each call's events in
/// the order Sipuni sends them). Every call has a fresh call_id. Not thread-safe: one per sender.
/// </summary>
internal sealed class SipuniTraffic(int seed, long epoch)
{
    private const string UserNumber = "012345";
    private static readonly IScenarioGenerator Generator = ScenarioGenerators.Find("sipuni", new GeneratorSettings(UserNumber))!;
    private static int calls;

    private readonly Random random = new(seed);
    private readonly Queue<HookRequest> pending = new();

    public HookRequest Next()
    {
        if (pending.Count == 0)
        {
            var index = Interlocked.Increment(ref calls);
            var scenario = Generator.Scenarios[random.Next(Generator.Scenarios.Count)];
            var call = Generator.Generate(scenario, index, DateTimeOffset.FromUnixTimeSeconds(epoch + random.Next(0, 3600)), random);
            foreach (var request in call.Requests)
            {
                pending.Enqueue(new HookRequest(request.Method == "POST", request.Encoded));
            }
        }

        return pending.Dequeue();
    }
}
