using System.Globalization;
using PbxHub.Bench.Load;
using PbxHub.Bench.Targets;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench;

/// <summary>What the <c>ingest</c> verb prints.</summary>
internal static class Report
{
    public static void Header(IngestSettings s)
    {
        Console.WriteLine($"PbxHub ingest benchmark — {IngestCommand.Environment()}");
        Console.WriteLine(Invariant($"load: {s.Connections} connections; throughput {s.Seconds:0.#} s after {s.Warmup:0.#} s warm-up; latency at {s.Rate:0} req/s for {s.LatencySeconds:0.#} s"));
        Console.WriteLine($"traffic: {string.Join(", ", s.Providers.Select(p => p.Name))} calls from pbxhub simulate's scenario generators, all scenarios mixed (HookType as JSON, Evrotel as forms)");
        Console.WriteLine();
    }

    public static void Results(ITarget[] targets, IReadOnlyList<ProviderResult> results, double targetRatio)
    {
        Console.WriteLine();
        Console.WriteLine("throughput (closed loop)");
        Console.WriteLine($"  {"provider",-10}{"target",-8}{"req/s",10}{"ok",10}{"errors",8}  error kinds");
        foreach (var r in results)
        {
            for (var i = 0; i < targets.Length; i++)
            {
                var t = r.Throughput[i];
                Console.WriteLine(Invariant($"  {r.Provider.Name,-10}{targets[i].Name,-8}{t.RequestsPerSecond,10:0}{t.Ok,10}{t.Errors.Total,8}  {t.Errors}"));
            }
        }

        foreach (var r in results)
        {
            var ratio = r.Throughput[1].RequestsPerSecond / r.Throughput[0].RequestsPerSecond;
            Console.WriteLine(Invariant($"  {r.Provider.Name,-10}ratio ingest / no-op: {ratio:0.000} — target >= {targetRatio}: {(ratio >= targetRatio ? "MET" : "NOT MET")}"));
        }

        if (results.FirstOrDefault(r => r.Latency.Any(l => l is not null)) is { } measured)
        {
            Latencies(targets, measured.Latency);
        }
    }

    private static void Latencies(ITarget[] targets, LatencyResult?[] latency)
    {
        Console.WriteLine();
        Console.WriteLine("acknowledgement latency (open loop, ms from when each request was due)");
        Console.WriteLine($"  {"target",-8}{"sent",8}{"ok",8}{"errors",8}{"p50",9}{"p90",9}{"p99",9}{"p99.9",9}{"max",9}{"lag max",9}{"rate",8}");
        for (var i = 0; i < targets.Length; i++)
        {
            if (latency[i] is not { } l)
            {
                continue;
            }

            var p = l.Latency;
            Console.WriteLine(Invariant(
                $"  {targets[i].Name,-8}{l.Sent,8}{p.Count,8}{l.Errors.Total,8}{p.P50,9:0.00}{p.P90,9:0.00}{p.P99,9:0.00}{p.P999,9:0.00}{p.Max,9:0.00}{l.MaxDispatchLag.TotalMilliseconds,9:0.00}{l.AchievedRate,8:0}"));
            if (l.Errors.Total > 0)
            {
                Console.WriteLine($"    errors: {l.Errors}");
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
