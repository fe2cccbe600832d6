using System.Globalization;
using PbxHub.Bench.Targets;

namespace PbxHub.Bench.Wrk;

/// <summary>
/// <c>durable</c>: durable ingest measured with wrk against three servers, each its own process and started fresh for
/// every kind of traffic: the no-op (Kestrel only), the bare durable receiver (<see cref="BareReceiver"/>: what
/// durability itself costs) and the hub (<c>pbxhub serve</c> on SQLite, and on PostgreSQL with <c>--storage both</c>).
/// Every server gets the same pool of requests, each new to it. The ratios are the figures: hub / bare, hub / no-op.
/// </summary>
internal static class DurableCommand
{
    private const double TargetOfBare = 0.8;

    public static async Task<int> RunAsync(string[] args)
    {
        BenchOptions o;
        IReadOnlyList<WrkTraffic> kinds;
        int connections, pool;
        double seconds, warmup;
        Storage.StorageChoice storage;
        try
        {
            o = new BenchOptions(args);
            var names = o.Text("--traffic") ?? "all";
            kinds = names == "all" ? WrkTraffic.All : [.. names.Split(',').Select(n => WrkTraffic.Find(n)
                ?? throw new ArgumentException($"--traffic takes all or {string.Join(", ", WrkTraffic.All.Select(t => t.Name))}, not '{n}'"))];
            connections = o.Whole("--connections", 32, 1, 1024);
            seconds = o.Number("--seconds", 10, 1, 600);
            warmup = o.Number("--warmup", 3, 0, 120);
            pool = o.Whole("--pool", 300_000, 1000, 5_000_000);
            storage = o.Storage("sqlite");
            o.CheckAllRead();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Console.WriteLine($"PbxHub durable ingest with wrk — {IngestCommand.Environment()}; load average {LoadAverage.Now()}");
        Console.WriteLine(Invariant($"wrk: 1 thread, {connections} connections, {warmup:0.#} s warm-up then {seconds:0.#} s; pools of {pool} requests (each server gets the same)"));
        var folder = Path.Combine(Path.GetTempPath(), "pbxhub-bench", "wrk-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(folder);
        var rows = new List<(WrkTraffic Kind, string Server, WrkResult Result)>();
        try
        {
            foreach (var kind in kinds)
            {
                Console.WriteLine($"{kind.Name}: {kind.Description}");
                var hookPath = new Uri(HubSettings.HookUrl("http://127.0.0.1:1", kind.Provider)).AbsolutePath;
                var warmPool = kind.WritePool(folder, hookPath, (int)Math.Min(pool, Math.Max(1000, pool * warmup / Math.Max(1, seconds))), 1);
                var mainPool = kind.WritePool(folder, hookPath, pool, 2);
                var auth = HubSettings.Headers(kind.Provider).GetValueOrDefault("Authorization");
                foreach (var server in Servers(storage))
                {
                    await using var data = await HubData.CreateAsync(server.Engine, storage.PostgresServer);
                    await using var child = await server.StartAsync(data);
                    Console.Write($"  {server.Name,-10} … ");
                    if (warmup > 0)
                    {
                        await WrkDriver.RunAsync(child.BaseUrl, warmPool, auth, connections, warmup);
                    }

                    var isHub = server.Name.StartsWith("hub-", StringComparison.Ordinal);
                    var writerBefore = isHub ? await WriterTimes.ReadAsync(child.BaseUrl) : null;
                    var result = await WrkDriver.RunAsync(child.BaseUrl, mainPool, auth, connections, seconds);
                    Console.WriteLine(Invariant($"{result.RequestsPerSecond,8:0} req/s, p50 {result.P50Ms:0.00} ms, p99 {result.P99Ms:0.00} ms, refused {result.Non2xx}, socket errors {result.SocketErrors}{(result.Wrapped ? ", POOL WRAPPED (raise --pool)" : "")}"));
                    if (writerBefore is not null)
                    {
                        Console.WriteLine($"               writer: {WriterTimes.Shares(writerBefore, await WriterTimes.ReadAsync(child.BaseUrl))}");
                    }

                    rows.Add((kind, server.Name, result));
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        Summary(rows);
        return 0;
    }

    private static IEnumerable<Server> Servers(Storage.StorageChoice storage)
    {
        yield return new Server("no-op", "sqlite", async _ => await ChildServer.StartAsync(ChildServer.Dll("PbxHub.Bench.dll"), ["serve-noop"], new Dictionary<string, string>(), "/readyz", TimeSpan.FromMinutes(2)));
        yield return new Server("bare", "sqlite", async d => await ChildServer.StartAsync(ChildServer.Dll("PbxHub.Bench.dll"), ["serve-bare", "--data", d.Directory], new Dictionary<string, string>(), "/readyz", TimeSpan.FromMinutes(2)));
        foreach (var engine in storage.Engines)
        {
            yield return new Server($"hub-{engine}", engine, async d => (await HubChild.StartAsync(d, engine)).Server);
        }
    }

    private static void Summary(List<(WrkTraffic Kind, string Server, WrkResult Result)> rows)
    {
        Console.WriteLine();
        Console.WriteLine(Invariant($"{"traffic",-14}{"server",-14}{"req/s",9}{"/ no-op",9}{"/ bare",8}{"p99 ms",9}{"/ bare p99",12}"));
        foreach (var group in rows.GroupBy(r => r.Kind))
        {
            var noop = group.First(r => r.Server == "no-op").Result;
            var bare = group.First(r => r.Server == "bare").Result;
            foreach (var (kind, server, r) in group)
            {
                Console.WriteLine(Invariant($"{kind.Name,-14}{server,-14}{r.RequestsPerSecond,9:0}{r.RequestsPerSecond / noop.RequestsPerSecond,9:0.000}{r.RequestsPerSecond / bare.RequestsPerSecond,8:0.00}{r.P99Ms,9:0.00}{r.P99Ms / bare.P99Ms,12:0.00}"));
            }

            if (group.FirstOrDefault(r => r.Server == "hub-sqlite").Result is { } hub)
            {
                var ratio = hub.RequestsPerSecond / bare.RequestsPerSecond;
                Console.WriteLine(Invariant($"{group.Key.Name,-14}hub-sqlite / bare = {ratio:0.00}: target >= {TargetOfBare} {(ratio >= TargetOfBare ? "MET" : "NOT MET")}"));
            }

            if (group.FirstOrDefault(r => r.Server == "hub-postgres").Result is { } pg && group.FirstOrDefault(r => r.Server == "hub-sqlite").Result is { } lite)
            {
                Console.WriteLine(Invariant($"{group.Key.Name,-14}hub-postgres / hub-sqlite = {pg.RequestsPerSecond / lite.RequestsPerSecond:0.00}: target >= 0.5"));
            }
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Server(string Name, string Engine, Func<HubData, Task<ChildServer>> StartAsync);
}
