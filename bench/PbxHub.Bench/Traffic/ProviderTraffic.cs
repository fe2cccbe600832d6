using PbxHub.Simulation;

namespace PbxHub.Bench.Traffic;

/// <summary>
/// An endless, deterministic stream of one provider's hook requests, call after call, made by the same
/// scenario generator as <c>pbxhub simulate</c> (all of its scenarios, mixed, each call's events in the
/// order the provider sends them), every call with fresh ids. Evrotel's end carries the id the hub
/// answered to its start (see <see cref="Answered"/>), and goes as form data, as Evrotel's own sender
/// posts it. Not thread-safe: one per sender.
/// </summary>
internal sealed class ProviderTraffic(BenchProvider provider, int seed, long epoch)
{
    private static readonly GeneratorSettings Settings = new("012345");
    private static int calls;

    private readonly IScenarioGenerator generator = ScenarioGenerators.Find(provider.Name, Settings)!;
    private readonly Random random = new(seed);
    private readonly Queue<HookRequest> pending = new();
    private readonly Dictionary<string, string> replies = new(StringComparer.Ordinal);

    public HookRequest Next()
    {
        while (true)
        {
            if (pending.Count == 0)
            {
                replies.Clear();
                var index = Interlocked.Increment(ref calls);
                var scenario = generator.Scenarios[random.Next(generator.Scenarios.Count)];
                var call = generator.Generate(scenario, index, DateTimeOffset.FromUnixTimeSeconds(epoch + random.Next(0, 3600)), random);
                foreach (var request in call.Requests)
                {
                    pending.Enqueue(provider.FormOnly && request.Body == HookBody.Json ? request with { Body = HookBody.Form } : request);
                }
            }

            var next = pending.Dequeue();
            if (next.Needs is not { } needed)
            {
                return next;
            }

            // An end whose start failed cannot be sent: the failure is counted already.
            if (replies.TryGetValue(needed, out var reply))
            {
                return next.WithReply(reply);
            }
        }
    }

    /// <summary>Remembers the reply a later request of the call needs.</summary>
    public void Answered(HookRequest request, string body)
    {
        if (request.RepliesAs is { } name)
        {
            replies.TryAdd(name, body);
        }
    }
}

/// <summary>A provider whose traffic the benchmark sends, and how its acknowledgement looks.</summary>
internal sealed record BenchProvider(string Name, bool FormOnly, bool SecretInPath)
{
    public static readonly BenchProvider Sipuni = new("sipuni", false, true);
    public static readonly BenchProvider HookType = new("hooktype", false, true);
    public static readonly BenchProvider Evrotel = new("evrotel", true, false);

    public static readonly IReadOnlyList<BenchProvider> All = [Sipuni, HookType, Evrotel];

    /// <summary>Sipuni and HookType are answered <c>{"success": true}</c>; Evrotel with the call id (start) or OK (end).</summary>
    public bool Accepts(ReadOnlySpan<byte> body) =>
        SecretInPath ? body.IndexOf("\"success\": true"u8) >= 0 : !body.Trim(" \r\n"u8).IsEmpty;
}
