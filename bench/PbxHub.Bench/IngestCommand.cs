using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using PbxHub.Bench.Load;
using PbxHub.Bench.Targets;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench;

/// <summary>
/// <c>ingest</c>: the same load against a no-op endpoint and the real hub, in one process and one run,
/// for each provider (Sipuni, HookType JSON, Evrotel form): closed-loop throughput with N connections,
/// then, for Sipuni, open-loop latency at a fixed rate. The hub is measured once per storage engine and
/// per subscriber kind (none, slow, down), each a fresh hub on a fresh database, one after the other.
/// </summary>
internal static class IngestCommand
{
    private const double TargetRatio = 0.5;

    public static async Task<int> RunAsync(string[] args)
    {
        IngestSettings s;
        try
        {
            s = IngestSettings.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Report.Header(s);
        var epoch = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var runs = new List<TargetRun>();
        await using (var noop = await NoopTarget.StartAsync())
        {
            runs.Add(new TargetRun(noop.Name, "", await MeasureAsync(noop, s, epoch), null, null));
        }

        foreach (var engine in s.Storage.Engines)
        {
            foreach (var kind in s.Subscribers)
            {
                await using var subscriber = await Subscriber.StartAsync(kind, TimeSpan.FromSeconds(s.SubscriberDelay));
                var name = kind == "none" ? engine : $"{engine}+{kind}";
                await using var hub = await HubTarget.StartAsync(engine, s.Storage.PostgresServer, subscriber.Url, name);
                var durability = await hub.DurabilityAsync();
                Console.WriteLine($"{name}: {durability}{(subscriber.Url is null ? "" : $"; subscription to every event → {subscriber.Url} ({kind})")}");
                var results = await MeasureAsync(hub, s, epoch);
                runs.Add(new TargetRun(name, durability, results, await hub.StoredAsync(), kind == "slow" ? subscriber.Received : null));
            }
        }

        Report.Results(s.Providers, runs, TargetRatio);
        return 0;
    }

    /// <summary>Every provider's phases against one target.</summary>
    private static async Task<ProviderResult[]> MeasureAsync(ITarget target, IngestSettings s, long epoch)
    {
        var results = new List<ProviderResult>();
        foreach (var provider in s.Providers)
        {
            using var client = new HookClient(target.HookUrl(provider), provider, target.Headers(provider), s.Connections);
            Console.Write($"  {target.Name} {provider.Name}: warm-up {s.Warmup:0.#} s, then {s.Seconds:0.#} s … ");
            if (s.Warmup > 0)
            {
                await ThroughputRun.RunAsync(client, provider, s.Connections, TimeSpan.FromSeconds(s.Warmup), s.MaxRequests, 0, epoch);
            }

            // The same seeds for every target: each gets the same calls in the same order.
            var throughput = await ThroughputRun.RunAsync(client, provider, s.Connections, TimeSpan.FromSeconds(s.Seconds), s.MaxRequests, 100, epoch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{throughput.RequestsPerSecond:0} req/s"));

            // The open loop cannot wait for Evrotel's start to be answered before its end is due: Sipuni only.
            LatencyResult? latency = null;
            if (provider == BenchProvider.Sipuni && s.LatencySeconds > 0)
            {
                Console.Write($"  {target.Name} {provider.Name}: {s.Rate:0} req/s open loop for {s.LatencySeconds:0.#} s … ");
                latency = await LatencyRun.RunAsync(client, s.Rate, TimeSpan.FromSeconds(s.LatencySeconds), 200, epoch);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50 {latency.Latency.P50:0.00} ms, p99 {latency.Latency.P99:0.00} ms"));
            }

            results.Add(new ProviderResult(provider, throughput, latency));
        }

        return [.. results];
    }

    public static string Environment() =>
        $"{System.Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
        $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC";
}

/// <summary>One provider's phases against one target: throughput and (Sipuni) latency.</summary>
internal sealed record ProviderResult(BenchProvider Provider, ThroughputResult Throughput, LatencyResult? Latency);

/// <summary>One target's results: the no-op (no store) or a hub on an engine with a subscriber kind.</summary>
internal sealed record TargetRun(string Name, string Durability, ProviderResult[] Results, HubStored? Stored, long? SubscriberReceived);
