using System.Globalization;
using PbxHub.Bench.Load;
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
        Console.WriteLine(Invariant($"hubs: storage {string.Join(", ", s.Storage.Engines)} × subscriber {string.Join(", ", s.Subscribers)} (slow answers after {s.SubscriberDelay:0.#} s), each fresh, one after the other"));
        Console.WriteLine();
    }

    public static void Results(IReadOnlyList<BenchProvider> providers, IReadOnlyList<TargetRun> runs, double targetRatio)
    {
        Console.WriteLine();
        Console.WriteLine("throughput (closed loop); vs none = this hub's rate / the same engine's rate without a subscriber");
        Console.WriteLine($"  {"provider",-10}{"target",-16}{"req/s",10}{"ok",10}{"errors",8}{"/ no-op",9}{"vs none",9}  error kinds");
        for (var p = 0; p < providers.Count; p++)
        {
            var noop = runs[0].Results[p].Throughput.RequestsPerSecond;
            foreach (var run in runs)
            {
                var t = run.Results[p].Throughput;
                var engine = run.Name.Split('+')[0];
                var none = runs.FirstOrDefault(r => r.Name == engine && r.Stored is not null);
                var ratio = run.Stored is null ? "" : Invariant($"{t.RequestsPerSecond / noop:0.000}");
                var vsNone = run.Stored is null || none is null || none == run ? "" : Invariant($"{t.RequestsPerSecond / none.Results[p].Throughput.RequestsPerSecond:0.00}");
                Console.WriteLine(Invariant($"  {providers[p].Name,-10}{run.Name,-16}{t.RequestsPerSecond,10:0}{t.Ok,10}{t.Errors.Total,8}{ratio,9}{vsNone,9}  {t.Errors}"));
            }
        }

        foreach (var run in runs.Where(r => r.Stored is not null))
        {
            for (var p = 0; p < providers.Count; p++)
            {
                var ratio = run.Results[p].Throughput.RequestsPerSecond / runs[0].Results[p].Throughput.RequestsPerSecond;
                Console.WriteLine(Invariant($"  {providers[p].Name,-10}{run.Name,-16}ratio ingest / no-op: {ratio:0.000} — target >= {targetRatio}: {(ratio >= targetRatio ? "MET" : "NOT MET")}"));
            }
        }

        Latencies(runs);
        Stores(runs);
    }

    private static void Latencies(IReadOnlyList<TargetRun> runs)
    {
        if (!runs.Any(r => r.Results.Any(x => x.Latency is not null)))
        {
            return;
        }

        Console.WriteLine();
        Console.WriteLine("acknowledgement latency, sipuni (open loop, ms from when each request was due)");
        Console.WriteLine($"  {"target",-16}{"sent",8}{"ok",8}{"errors",8}{"p50",9}{"p90",9}{"p99",9}{"p99.9",9}{"max",9}{"lag max",9}{"rate",8}");
        foreach (var run in runs)
        {
            if (run.Results.Select(x => x.Latency).OfType<LatencyResult>().FirstOrDefault() is not { } l)
            {
                continue;
            }

            var p = l.Latency;
            Console.WriteLine(Invariant(
                $"  {run.Name,-16}{l.Sent,8}{p.Count,8}{l.Errors.Total,8}{p.P50,9:0.00}{p.P90,9:0.00}{p.P99,9:0.00}{p.P999,9:0.00}{p.Max,9:0.00}{l.MaxDispatchLag.TotalMilliseconds,9:0.00}{l.AchievedRate,8:0}"));
            if (l.Errors.Total > 0)
            {
                Console.WriteLine($"    errors: {l.Errors}");
            }
        }
    }

    private static void Stores(IReadOnlyList<TargetRun> runs)
    {
        Console.WriteLine();
        foreach (var run in runs)
        {
            if (run.Stored is not { } stored)
            {
                continue;
            }

            var acknowledged = run.Results.Sum(r => r.Throughput.Ok + (r.Latency?.Latency.Count ?? 0));
            var deliveries = stored.Deliveries.Count == 0 ? "none" : string.Join(", ", stored.Deliveries.OrderBy(d => d.Key).Select(d => $"{d.Value} {d.Key}"));
            Console.WriteLine($"{run.Name} store ({run.Durability}): {stored.Raw} raw events (acknowledged in measured phases: {acknowledged}, plus warm-up), " +
                $"{stored.Calls} calls, {stored.Events} normalised events; deliveries: {deliveries}" +
                (run.SubscriberReceived is { } received ? $"; the slow subscriber received {received}" : ""));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
