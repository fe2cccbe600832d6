namespace PbxHub.Simulation;

internal sealed record PlanOptions(string Scenario, int Calls, bool Shuffle, double Duplicate, int Seed);

/// <summary>Decides the whole run up front from the seed: which scenario each call plays, its times, order and repeats.</summary>
internal static class TrafficPlanner
{
    /// <summary>Calls start within this window before now, so every generated time is recent and already past.</summary>
    private const int StartWindowSeconds = 300;

    /// <summary>The longest scenario lasts well under this, so its last event is not in the future.</summary>
    private const int LongestCallSeconds = 600;

    public static IReadOnlyList<PlannedCall> Plan(IScenarioGenerator generator, PlanOptions options, DateTimeOffset now)
    {
        var calls = new List<PlannedCall>(options.Calls);
        var earliest = now.AddSeconds(-(StartWindowSeconds + LongestCallSeconds));
        for (var i = 0; i < options.Calls; i++)
        {
            // One random source per call: a call's traffic does not depend on how many calls came before it.
            var random = new Random(unchecked((options.Seed * 1_000_003) + i));
            var scenario = options.Scenario == ScenarioGenerators.Mixed
                ? generator.Scenarios[random.Next(generator.Scenarios.Count)]
                : options.Scenario;
            var start = earliest.AddSeconds(random.Next(StartWindowSeconds));
            var call = generator.Generate(scenario, i, start, random);
            calls.Add(Deliver(call, options, random));
        }

        return calls;
    }

    public static PlannedCall Deliver(SimulatedCall call, PlanOptions options, Random random)
    {
        var requests = call.Requests.ToArray();
        if (options.Shuffle)
        {
            random.Shuffle(requests);
            requests = KeepAfterWhatTheyNeed(requests, random);
        }

        var deliveries = requests.Select(r => new Delivery(r, options.Duplicate > 0 && random.NextDouble() < options.Duplicate)).ToList();
        return new PlannedCall(call, deliveries);
    }

    /// <summary>
    /// A request that needs an earlier reply cannot go first (the provider could not have sent it): each is
    /// moved, if it came too early, to a random place after the first request that gets that reply.
    /// </summary>
    private static HookRequest[] KeepAfterWhatTheyNeed(HookRequest[] shuffled, Random random)
    {
        var order = shuffled.ToList();
        foreach (var dependent in shuffled.Where(r => r.Needs is not null))
        {
            var at = order.IndexOf(dependent);
            var source = order.FindIndex(r => r.RepliesAs == dependent.Needs);
            if (source > at)
            {
                order.RemoveAt(at);
                order.Insert(random.Next(source, order.Count + 1), dependent);
            }
        }

        return [.. order];
    }
}
