using System.Globalization;
using PbxHub.Bench.Load;
using PbxHub.Bench.Targets;

namespace PbxHub.Bench;

/// <summary>What the <c>ingest</c> verb prints.</summary>
internal static class Report
{
    public static void Header(IngestSettings s)
    {
        Console.WriteLine($"PbxHub ingest benchmark — {IngestCommand.Environment()}");
        Console.WriteLine(Invariant($"load: {s.Connections} connections; throughput {s.Seconds:0.#} s after {s.Warmup:0.#} s warm-up; latency at {s.Rate:0} req/s for {s.LatencySeconds:0.#} s"));
        Console.WriteLine("traffic: Sipuni calls (25% transfers as in the spec, 7 events; 35% answered, 4; 25% missed, 3; 15% outbound, 2-3), ~15% POST forms");
        Console.WriteLine();
    }

    public static void Results(ITarget[] targets, ThroughputResult[] throughput, LatencyResult?[] latency, double targetRatio)
    {
        Console.WriteLine();
        Console.WriteLine("throughput (closed loop)");
        Console.WriteLine($"  {"target",-8}{"req/s",10}{"ok",10}{"errors",8}  error kinds");
        for (var i = 0; i < targets.Length; i++)
        {
            var t = throughput[i];
            Console.WriteLine(Invariant($"  {targets[i].Name,-8}{t.RequestsPerSecond,10:0}{t.Ok,10}{t.Errors.Total,8}  {t.Errors}"));
        }

        var ratio = throughput[1].RequestsPerSecond / throughput[0].RequestsPerSecond;
        Console.WriteLine(Invariant($"  ratio ingest / no-op: {ratio:0.000} — target >= {targetRatio}: {(ratio >= targetRatio ? "MET" : "NOT MET")}"));
        if (latency.All(l => l is null))
        {
            return;
        }

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
