using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using PbxHub.Bench.Load;
using PbxHub.Bench.Targets;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench;

/// <summary>
/// <c>ingest</c>: the same load against the real hub and a no-op endpoint, in one process and one run,
/// for each provider (Sipuni, HookType JSON, Evrotel form): closed-loop throughput with N connections,
/// then, for Sipuni, open-loop latency at a fixed rate.
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
        await using var noop = await NoopTarget.StartAsync();
        await using var hub = await HubTarget.StartAsync();
        ITarget[] targets = [noop, hub];
        var results = new List<ProviderResult>();
        foreach (var provider in s.Providers)
        {
            Console.WriteLine($"{provider.Name}:");
            var clients = targets.Select(t => new HookClient(t.HookUrl(provider), provider, t.Headers(provider), s.Connections)).ToArray();
            try
            {
                var throughput = new ThroughputResult[targets.Length];
                for (var i = 0; i < targets.Length; i++)
                {
                    Console.Write($"  {targets[i].Name}: warm-up {s.Warmup:0.#} s, then {s.Seconds:0.#} s … ");
                    if (s.Warmup > 0)
                    {
                        await ThroughputRun.RunAsync(clients[i], provider, s.Connections, TimeSpan.FromSeconds(s.Warmup), s.MaxRequests, 1000 * i, epoch);
                    }

                    throughput[i] = await ThroughputRun.RunAsync(clients[i], provider, s.Connections, TimeSpan.FromSeconds(s.Seconds), s.MaxRequests, 1000 * i + 100, epoch);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{throughput[i].RequestsPerSecond:0} req/s"));
                }

                // The open loop cannot wait for Evrotel's start to be answered before its end is due: Sipuni only.
                var latency = new LatencyResult?[targets.Length];
                for (var i = 0; provider == BenchProvider.Sipuni && s.LatencySeconds > 0 && i < targets.Length; i++)
                {
                    Console.Write($"  {targets[i].Name}: {s.Rate:0} req/s open loop for {s.LatencySeconds:0.#} s … ");
                    latency[i] = await LatencyRun.RunAsync(clients[i], s.Rate, TimeSpan.FromSeconds(s.LatencySeconds), 1000 * i + 200, epoch);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50 {latency[i]!.Latency.P50:0.00} ms, p99 {latency[i]!.Latency.P99:0.00} ms"));
                }

                results.Add(new ProviderResult(provider, throughput, latency));
            }
            finally
            {
                foreach (var client in clients)
                {
                    client.Dispose();
                }
            }
        }

        Report.Results(targets, results, TargetRatio);
        var (raw, calls, events) = await hub.StoredAsync();
        var acknowledged = results.Sum(r => r.Throughput[1].Ok + (r.Latency[1]?.Latency.Count ?? 0));
        Console.WriteLine($"hub store: {raw} raw events (acknowledged in measured phases: {acknowledged}, plus warm-up), {calls} calls, {events} normalised events");
        return 0;
    }

    public static string Environment() =>
        $"{System.Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
        $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC";
}

/// <summary>One provider's phases: throughput and (Sipuni) latency per target, in the targets' order.</summary>
internal sealed record ProviderResult(BenchProvider Provider, ThroughputResult[] Throughput, LatencyResult?[] Latency);
