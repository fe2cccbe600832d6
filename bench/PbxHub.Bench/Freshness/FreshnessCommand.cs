using System.Globalization;
using PbxHub.Bench.Load;
using PbxHub.Bench.Storage;
using PbxHub.Bench.Targets;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Freshness;

/// <summary>
/// <c>freshness</c>: at a fixed open-loop rate of Sipuni requests each starting a new call, how long after each
/// acknowledgement the call shows on the live stream, at a webhook subscriber (first attempt) and in the API, with
/// the hub as a <c>pbxhub serve</c> child; optionally a CPU profile of the hub over the measured phase.
/// </summary>
internal static class FreshnessCommand
{
    private const double TargetMs = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        double rate, seconds, warmup, timeout;
        int connections, apiEvery;
        StorageChoice storage;
        string? profile;
        try
        {
            var o = new BenchOptions(args);
            rate = o.Number("--rate", 1000, 1, 100_000);
            seconds = o.Number("--seconds", 20, 1, 600);
            warmup = o.Number("--warmup", 3, 0, 120);
            timeout = o.Number("--timeout", 10, 1, 600);
            connections = o.Whole("--connections", 64, 1, 1024);
            apiEvery = o.Whole("--api-every", 20, 1, 1_000_000);
            storage = o.Storage("sqlite");
            profile = o.Text("--profile");
            o.CheckAllRead();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Console.WriteLine($"PbxHub freshness — {IngestCommand.Environment()}; load average {LoadAverage.Now()}");
        Console.WriteLine(Invariant($"open loop, Sipuni GETs each starting a new call, {rate:0} req/s for {seconds:0.#} s (after {warmup:0.#} s of warm-up); up to {connections} connections; one SSE client, one webhook subscriber, 1 in {apiEvery} calls read back"));
        var epoch = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var seed = 300;
        foreach (var engine in storage.Engines)
        {
            await using var data = await HubData.CreateAsync(engine, storage.PostgresServer);
            await using var hub = await HubChild.StartAsync(data, engine);
            Console.WriteLine($"{engine}: {await data.DurabilityAsync()}; hub pid {hub.Server.Pid}");
            await using var receiver = await WebhookReceiver.StartAsync();
            using (var admin = new HubApi(hub.Server.BaseUrl))
            {
                await admin.SubscribeAsync(receiver.Url);
            }

            await using var stream = await StreamWatcher.StartAsync(hub.Server.BaseUrl);
            using var client = new HookClient(hub.HookUrl(BenchProvider.Sipuni), BenchProvider.Sipuni, hub.Headers(BenchProvider.Sipuni), connections);
            using var api = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = connections }) { BaseAddress = new Uri(hub.Server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Authorization = new("Bearer", HubSettings.ApiKey);
            if (warmup > 0)
            {
                Console.Write(Invariant($"  warm-up {warmup:0.#} s … "));
                var w = await FreshnessRun.RunAsync(client, api, NewCalls.Make((int)(rate * warmup), seed++, epoch), rate, apiEvery, TimeSpan.FromSeconds(timeout), stream.Arrivals, receiver.Arrivals);
                Console.WriteLine($"{w.Acknowledged} acknowledged");
            }

            var calls = NewCalls.Make((int)Math.Max(1, rate * seconds), seed++, epoch);
            await using var profiler = profile is null ? null : await HubProfiler.StartAsync(hub.Server.Pid, TimeSpan.FromSeconds(seconds), profile, engine);
            Console.Write(Invariant($"  {rate:0} req/s for {seconds:0.#} s … "));
            var cpuBefore = hub.Server.CpuTime();
            var result = await FreshnessRun.RunAsync(client, api, calls, rate, apiEvery, TimeSpan.FromSeconds(timeout), stream.Arrivals, receiver.Arrivals);
            Console.WriteLine($"done (load average {LoadAverage.Now()})");
            var cpu = hub.Server.CpuTime() - cpuBefore;
            Print(engine, result, timeout, cpu);
            if (profiler is not null)
            {
                await profiler.ReportAsync(cpu.TotalMilliseconds * 1000 / Math.Max(1, result.Acknowledged));
            }
        }

        return 0;
    }

    private static void Print(string engine, FreshnessResult r, double timeout, TimeSpan hubCpu)
    {
        Console.WriteLine(Invariant($"  {engine}: sent {r.Sent} at {r.AchievedRate:0} req/s, acknowledged {r.Acknowledged}, errors {r.Errors}; ack latency p50 {r.Ack.P50:0.00} ms, p99 {r.Ack.P99:0.00} ms"));
        Console.WriteLine(Invariant($"  hub CPU over the phase and the wait: {hubCpu.TotalSeconds:0.00} s ({hubCpu.TotalMilliseconds * 1000 / Math.Max(1, r.Acknowledged):0} µs per acknowledged request)"));
        Console.WriteLine(Invariant($"  ms from the acknowledgement to when the call showed (target p99 ≤ {TargetMs:0} ms; never = not seen {timeout:0.#} s after the last acknowledgement)"));
        Console.WriteLine($"    {"channel",-26}{"calls",8}{"never",7}{"p50",9}{"p90",9}{"p99",9}{"max",9}  target");
        Row("stream (first event)", r.Stream);
        Row("webhook (first attempt)", r.Webhook);
        Row("API GET /calls/{id}", r.Api);

        static void Row(string name, Freshness f)
        {
            var p = f.Delays;
            var verdict = f.Never == 0 && p.P99 <= TargetMs ? "met" : "MISSED";
            Console.WriteLine(Invariant($"    {name,-26}{f.Expected,8}{f.Never,7}{p.P50,9:0.0}{p.P90,9:0.0}{p.P99,9:0.0}{p.Max,9:0.0}  {verdict}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
