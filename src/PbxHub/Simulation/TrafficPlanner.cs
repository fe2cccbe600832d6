namespace PbxHub.Simulation;

internal sealed record PlanOptions(string Scenario, int Calls, bool Shuffle, double Duplicate, int Seed, LossOptions? Loss = null);

/// <summary>Decides the whole run up front from the seed: which scenario each call plays, its times, order, repeats and losses.</summary>
internal static class TrafficPlanner
{
    /// <summary>Calls start within this window before now, so every generated time is recent and already past.</summary>
    private const int StartWindowSeconds = 300;

    /// <summary>The longest scenario lasts well under this, so its last event is not in the future.</summary>
    private const int LongestCallSeconds = 600;

    /// <summary>Moves the loss's random sources away from the traffic's, so <c>--lose</c> changes no generated request.</summary>
    private const int LossSalt = 0x10_55;

    public static IReadOnlyList<PlannedCall> Plan(IScenarioGenerator generator, PlanOptions options, DateTimeOffset now)
    {
        var calls = new List<PlannedCall>(options.Calls);
        var earliest = now.AddSeconds(-(StartWindowSeconds + LongestCallSeconds));
        for (var i = 0; i < options.Calls; i++)
        {
            // One random source per call: a call's traffic does not depend on how many calls came before it.
            var random = new Random(CallSeed(options.Seed, i));
            var scenario = options.Scenario == ScenarioGenerators.Mixed
                ? generator.Scenarios[random.Next(generator.Scenarios.Count)]
                : options.Scenario;
            var start = earliest.AddSeconds(random.Next(StartWindowSeconds));
            var call = generator.Generate(scenario, i, start, random);
            var planned = Deliver(call, options, random);
            calls.Add(options.Loss is { Share: > 0 } loss
                ? EventLoss.Apply(planned, loss, new Random(CallSeed(unchecked(options.Seed + LossSalt), i)))
                : planned);
        }

        return calls;
    }

    /// <summary>
    /// The call's seed, its bits mixed (SplitMix64's finaliser): <see cref="Random"/> seeded with neighbouring
    /// numbers draws nearly the same values at the same positions, so that every call of a run would, say, retry
    /// its start or none would.
    /// </summary>
    private static int CallSeed(int runSeed, int call)
    {
        var z = unchecked(((ulong)(uint)runSeed << 32 | (uint)call) + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & int.MaxValue);
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
