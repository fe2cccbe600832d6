using System.Diagnostics;
using System.Globalization;
using PbxHub.Bench.Journal;
using PbxHub.Bench.Storage;
using PbxHub.Bench.Targets;

namespace PbxHub.Bench.Startup;

/// <summary>
/// <c>startup</c>: time from the start of the <c>pbxhub serve</c> process to the first <c>200</c> on <c>/readyz</c>, on an
/// empty database (first start: creates and migrates it; and a restart), and on one holding a year of calls (the
/// journal's fill), beside a no-op ASP.NET Core app (its own process, to its first <c>200</c>) in the same run; the
/// kinds take turns, each run once per round, so load on the machine falls on all of them alike.
/// </summary>
internal static class StartupCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        int runs, calls;
        StorageChoice storage;
        try
        {
            var o = new BenchOptions(args);
            runs = o.Whole("--runs", 5, 1, 100);
            calls = o.Whole("--calls", 1_000_000, 0, 50_000_000);
            storage = o.Storage("sqlite");
            o.CheckAllRead();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Console.WriteLine($"PbxHub start-up to ready — {IngestCommand.Environment()}; load average {LoadAverage.Now()}");
        Console.WriteLine(Invariant($"{runs} rounds; with data: {calls:N0} calls (the journal benchmark's year); time from process start to the first 200 on /readyz (polled every 5 ms)"));
        var rows = new List<(string Engine, string Kind, List<(TimeSpan Time, long Rss)> Starts)>();
        foreach (var engine in storage.Engines)
        {
            rows.AddRange(await RunEngineAsync(engine, storage.PostgresServer, runs, calls));
        }

        Console.WriteLine();
        Console.WriteLine("ms from process start to ready; × = median / the no-op's median in the same engine's rounds");
        Console.WriteLine($"  {"engine",-10}{"kind",-34}{"median",9}{"min",9}{"max",9}{"×",7}{"RSS MiB",9}");
        foreach (var (engine, kind, starts) in rows)
        {
            var noop = Median(rows.First(r => r.Engine == engine && r.Kind == NoopKind).Starts.Select(s => s.Time.TotalMilliseconds));
            var ms = starts.Select(s => s.Time.TotalMilliseconds).ToList();
            Console.WriteLine(Invariant($"  {engine,-10}{kind,-34}{Median(ms),9:0}{ms.Min(),9:0}{ms.Max(),9:0}{Median(ms) / noop,7:0.00}{Median(starts.Select(s => s.Rss / 1048576.0)),9:0}"));
        }

        return 0;
    }

    private const string NoopKind = "no-op (slim ASP.NET Core)";

    private static async Task<List<(string, string, List<(TimeSpan, long)>)>> RunEngineAsync(string engine, string? postgresServer, int runs, int calls)
    {
        Console.WriteLine();
        await using var empty = await HubData.CreateAsync(engine, postgresServer);
        await using var full = await HubData.CreateAsync(engine, postgresServer);
        Console.WriteLine($"{engine}: {await full.DurabilityAsync()}");
        await (await HubChild.StartAsync(empty, engine)).DisposeAsync();
        if (calls == 0)
        {
            await (await HubChild.StartAsync(full, engine)).DisposeAsync();
        }
        else
        {
            Console.Write(Invariant($"{engine}: filling {calls:N0} calls … "));
            var clock = Stopwatch.StartNew();
            await full.FillAsync(calls);
            Console.WriteLine(Invariant($"{clock.Elapsed.TotalSeconds:0} s"));
        }

        var kinds = new (string Name, Func<Task<ChildServer>> Start)[]
        {
            (NoopKind, async () => (await NoopChild.StartAsync()).Server),
            ("hub, empty, first start (migrates)", async () =>
            {
                // A fresh database each round, kept until the round's end so the next is fresh as well.
                var fresh = await HubData.CreateAsync(engine, postgresServer);
                try
                {
                    return (await HubChild.StartAsync(fresh, engine)).Server;
                }
                finally
                {
                    Pending.Add(fresh);
                }
            }),
            ("hub, empty, restart", async () => (await HubChild.StartAsync(empty, engine)).Server),
            (Invariant($"hub, {calls:N0} calls, restart"), async () => (await HubChild.StartAsync(full, engine)).Server),
        };
        var starts = kinds.ToDictionary(k => k.Name, _ => new List<(TimeSpan, long)>());
        for (var round = 1; round <= runs; round++)
        {
            var line = new List<string>();
            foreach (var (name, start) in kinds)
            {
                await using var server = await start();
                var rss = server.ResidentBytes();
                starts[name].Add((server.StartupTime, rss));
                line.Add(Invariant($"{server.StartupTime.TotalMilliseconds:0}"));
            }

            foreach (var fresh in Pending)
            {
                await fresh.DisposeAsync();
            }

            Pending.Clear();
            Console.WriteLine($"  round {round}: {string.Join(" / ", line)} ms (no-op / first start / restart empty / restart with data), load average {LoadAverage.Now()}");
        }

        return kinds.Select(k => (engine, k.Name, starts[k.Name])).ToList();
    }

    private static readonly List<HubData> Pending = [];

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
