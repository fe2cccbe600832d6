using System.Globalization;
using PbxHub.Bench.Load;
using PbxHub.Bench.Storage;
using PbxHub.Bench.Targets;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Latency;

/// <summary>
/// <c>latency</c>: acknowledgement latency (open loop, from when each request was due) at several fixed rates, the
/// hub as a <c>pbxhub serve</c> process beside the no-op as its own process, the same Sipuni requests to each;
/// the hub's percentiles over the no-op's at each rate.
/// </summary>
internal static class LatencyCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        IReadOnlyList<double> rates;
        double seconds, warmup;
        int connections;
        StorageChoice storage;
        try
        {
            var o = new BenchOptions(args);
            rates = o.Numbers("--rates", [100, 250, 500, 1000], 1, 100_000);
            seconds = o.Number("--seconds", 20, 1, 600);
            warmup = o.Number("--warmup", 3, 0, 120);
            connections = o.Whole("--connections", 64, 1, 1024);
            storage = o.Storage("sqlite");
            o.CheckAllRead();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Console.WriteLine($"PbxHub acknowledgement latency — {IngestCommand.Environment()}; load average {LoadAverage.Now()}");
        Console.WriteLine(Invariant($"open loop, Sipuni traffic, {seconds:0.#} s at each of {string.Join(", ", rates)} req/s; up to {connections} connections; no-op and hub ({string.Join(", ", storage.Engines)}) each its own process"));
        var epoch = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var datas = new List<HubData>();
        var targets = new List<ITarget>();
        try
        {
            targets.Add(await NoopChild.StartAsync());
            foreach (var engine in storage.Engines)
            {
                var data = await HubData.CreateAsync(engine, storage.PostgresServer);
                datas.Add(data);
                targets.Add(await HubChild.StartAsync(data, engine));
                Console.WriteLine($"{engine}: {await data.DurabilityAsync()}");
            }

            var rows = new List<(double Rate, string Target, LatencyResult Result)>();
            var clients = targets.ToDictionary(t => t, t => new HookClient(t.HookUrl(BenchProvider.Sipuni), BenchProvider.Sipuni, t.Headers(BenchProvider.Sipuni), connections));
            foreach (var (target, client) in clients)
            {
                if (warmup > 0)
                {
                    await ThroughputRun.RunAsync(client, BenchProvider.Sipuni, 16, TimeSpan.FromSeconds(warmup), long.MaxValue, 0, epoch);
                }
            }

            foreach (var rate in rates)
            {
                foreach (var (target, client) in clients)
                {
                    Console.Write(Invariant($"  {target.Name} at {rate:0} req/s for {seconds:0.#} s … "));
                    var result = await LatencyRun.RunAsync(client, rate, TimeSpan.FromSeconds(seconds), 200, epoch);
                    Console.WriteLine(Invariant($"p50 {result.Latency.P50:0.00} ms, p99 {result.Latency.P99:0.00} ms, p99.9 {result.Latency.P999:0.00} ms (load average {LoadAverage.Now()})"));
                    rows.Add((rate, target.Name, result));
                }
            }

            foreach (var client in clients.Values)
            {
                client.Dispose();
            }

            Print(rows);
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }

            foreach (var data in datas)
            {
                await data.DisposeAsync();
            }
        }

        return 0;
    }

    private static void Print(List<(double Rate, string Target, LatencyResult Result)> rows)
    {
        Console.WriteLine();
        Console.WriteLine("ms from when each request was due; × = hub / no-op at the same rate");
        Console.WriteLine($"  {"req/s",6} {"target",-10}{"ok",8}{"err",7}{"p50",9}{"p90",9}{"p99",9}{"p99.9",9}{"max",9}{"rate",7}{"p50 ×",8}{"p99 ×",8}{"p99.9 ×",9}");
        foreach (var (rate, target, r) in rows)
        {
            var noop = rows.First(x => x.Rate == rate && x.Target == "no-op").Result.Latency;
            var p = r.Latency;
            var ratios = target == "no-op" ? "" : Invariant($"{p.P50 / noop.P50,8:0.0}{p.P99 / noop.P99,8:0.0}{p.P999 / noop.P999,9:0.0}");
            Console.WriteLine(Invariant($"  {rate,6:0} {target,-10}{p.Count,8}{r.Errors.Total,7}{p.P50,9:0.00}{p.P90,9:0.00}{p.P99,9:0.00}{p.P999,9:0.00}{p.Max,9:0.00}{r.AchievedRate,7:0}{ratios}"));
            if (r.Errors.Total > 0)
            {
                Console.WriteLine($"           errors: {r.Errors}");
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
