using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using PbxHub.Bench.Load;
using PbxHub.Bench.Targets;

namespace PbxHub.Bench;

/// <summary>
/// <c>ingest</c>: the same Sipuni load against the real hub and a no-op endpoint, in one process and
/// one run: closed-loop throughput with N connections, then open-loop latency at a fixed rate.
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
        var clients = targets.Select(t => new HookClient(t.HookUrl, s.Connections)).ToArray();
        try
        {
            var throughput = new ThroughputResult[targets.Length];
            for (var i = 0; i < targets.Length; i++)
            {
                Console.Write($"  {targets[i].Name}: warm-up {s.Warmup:0.#} s, then {s.Seconds:0.#} s … ");
                if (s.Warmup > 0)
                {
                    await ThroughputRun.RunAsync(clients[i], s.Connections, TimeSpan.FromSeconds(s.Warmup), s.MaxRequests, 1000 * i, epoch);
                }

                throughput[i] = await ThroughputRun.RunAsync(clients[i], s.Connections, TimeSpan.FromSeconds(s.Seconds), s.MaxRequests, 1000 * i + 100, epoch);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{throughput[i].RequestsPerSecond:0} req/s"));
            }

            var latency = new LatencyResult?[targets.Length];
            for (var i = 0; s.LatencySeconds > 0 && i < targets.Length; i++)
            {
                Console.Write($"  {targets[i].Name}: {s.Rate:0} req/s open loop for {s.LatencySeconds:0.#} s … ");
                latency[i] = await LatencyRun.RunAsync(clients[i], s.Rate, TimeSpan.FromSeconds(s.LatencySeconds), 1000 * i + 200, epoch);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"p50 {latency[i]!.Latency.P50:0.00} ms, p99 {latency[i]!.Latency.P99:0.00} ms"));
            }

            Report.Results(targets, throughput, latency, TargetRatio);
            var (raw, calls, events) = await hub.StoredAsync();
            var acknowledged = throughput[1].Ok + (latency[1]?.Latency.Count ?? 0);
            Console.WriteLine($"hub store: {raw} raw events (acknowledged in measured phases: {acknowledged}, plus warm-up), {calls} calls, {events} normalised events");
            return 0;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    public static string Environment() =>
        $"{System.Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}, " +
        $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC";
}
