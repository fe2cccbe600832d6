using System.Diagnostics;
using System.Globalization;
using PbxHub.Bench.Load;
using PbxHub.Bench.Storage;
using PbxHub.Bench.Targets;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Delivery;

/// <summary>
/// <c>delivery</c>: the delivery pipeline's throughput to a local subscriber that answers 204 at once. The hub
/// (a <c>pbxhub serve</c> process) ingests Sipuni traffic with its subscription disabled, <c>recover</c> schedules every
/// stored event, and enabling the subscription starts the clock; deliveries/s until the store has them all delivered,
/// beside the subscriber's own capacity: the same signed requests posted again by a plain HttpClient, in the same run.
/// </summary>
internal static class DeliveryCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        int events, connections;
        StorageChoice storage;
        try
        {
            var o = new BenchOptions(args);
            events = o.Whole("--events", 20_000, 100, 10_000_000);
            connections = o.Whole("--connections", 16, 1, 1024);
            storage = o.Storage("sqlite");
            o.CheckAllRead();
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        Console.WriteLine($"PbxHub delivery throughput — {IngestCommand.Environment()}; load average {LoadAverage.Now()}");
        Console.WriteLine($"at least {events:N0} normalised events from Sipuni traffic, one subscription to every event, a subscriber on 127.0.0.1 answering 204 at once; the hub's default delivery limits (64 in flight, 8 per subscription, each call's events in order)");
        var rows = new List<DeliveryRow>();
        foreach (var engine in storage.Engines)
        {
            rows.Add(await RunEngineAsync(engine, storage.PostgresServer, events, connections));
        }

        Console.WriteLine();
        Console.WriteLine("deliveries/s: hub = scheduled / time from enabling to all delivered in the store; raw N = the same signed requests posted by a plain HttpClient, N at a time");
        Console.WriteLine($"  {"engine",-10}{"deliveries",11}{"hub/s",9}{"raw 8/s",9}{"raw 64/s",9}{"hub/raw 8",11}{"hub/raw 64",11}{"hub CPU",9}  received (distinct)");
        foreach (var r in rows)
        {
            Console.WriteLine(Invariant($"  {r.Engine,-10}{r.Scheduled,11:N0}{r.HubRate,9:0}{r.Raw8,9:0}{r.Raw64,9:0}{r.HubRate / r.Raw8,11:0.000}{r.HubRate / r.Raw64,11:0.000}{r.HubCores,9:0.00}  {r.Received:N0} ({r.Distinct:N0}); store: {r.States}"));
        }

        return 0;
    }

    private static async Task<DeliveryRow> RunEngineAsync(string engine, string? postgresServer, int events, int connections)
    {
        var epoch = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        await using var subscriber = await FastSubscriber.StartAsync(events * 2);
        await using var data = await HubData.CreateAsync(engine, postgresServer);
        await using var hub = await HubChild.StartAsync(data, engine);
        Console.WriteLine();
        Console.WriteLine($"{engine}: {await data.DurabilityAsync()}");
        using var api = new HubApi(hub.Server.BaseUrl);
        var subscription = await api.SubscribeAsync(subscriber.Url, enabled: false);

        // Fill: closed-loop ingest in 5 s rounds until enough events are stored, then let the folds finish.
        using (var client = new HookClient(hub.HookUrl(BenchProvider.Sipuni), BenchProvider.Sipuni, hub.Headers(BenchProvider.Sipuni), connections))
        {
            var round = 0;
            while (await StoreProbe.CountAsync(data, "call_events") < events)
            {
                var t = await ThroughputRun.RunAsync(client, BenchProvider.Sipuni, connections, TimeSpan.FromSeconds(5), long.MaxValue, 1000 + round++, epoch);
                Console.WriteLine(Invariant($"  ingest: {t.RequestsPerSecond:0} req/s, {await StoreProbe.CountAsync(data, "call_events"):N0} events stored"));
            }
        }

        long stored = -1;
        for (var now = await StoreProbe.CountAsync(data, "call_events"); now != stored; now = await StoreProbe.CountAsync(data, "call_events"))
        {
            stored = now;
            await Task.Delay(2000);
        }

        long scheduled;
        try
        {
            scheduled = await api.RecoverAsync(subscription, DateTimeOffset.FromUnixTimeSeconds(epoch).AddDays(-1));
        }
        catch (InvalidOperationException)
        {
            Console.Error.WriteLine($"the hub's output:\n{hub.Server.Output}");
            throw;
        }

        Console.WriteLine(Invariant($"  {stored:N0} events stored; recover scheduled {scheduled:N0} deliveries; enabling the subscription (load average {LoadAverage.Now()})"));
        var cpuBefore = hub.Server.CpuTime();
        var clock = Stopwatch.StartNew();
        await api.EnableAsync(subscription, true);
        TimeSpan? allReceived = null;
        var nextReport = TimeSpan.FromSeconds(10);
        var states = await StoreProbe.DeliveriesAsync(data);
        while (states.GetValueOrDefault("delivered") < scheduled && clock.Elapsed < TimeSpan.FromHours(1))
        {
            await Task.Delay(100);
            if (allReceived is null && subscriber.Distinct >= scheduled)
            {
                allReceived = clock.Elapsed;
            }

            states = await StoreProbe.DeliveriesAsync(data);
            if (clock.Elapsed >= nextReport)
            {
                nextReport += TimeSpan.FromSeconds(10);
                Console.WriteLine(Invariant($"  {clock.Elapsed.TotalSeconds:0} s: received {subscriber.Distinct:N0}, delivered in the store {states.GetValueOrDefault("delivered"):N0} (load average {LoadAverage.Now()})"));
            }
        }

        var elapsed = clock.Elapsed;
        allReceived ??= elapsed;
        var cores = (hub.Server.CpuTime() - cpuBefore).TotalSeconds / elapsed.TotalSeconds;
        var hubRate = scheduled / elapsed.TotalSeconds;
        Console.WriteLine(Invariant($"  {engine}: {scheduled:N0} delivered in {elapsed.TotalSeconds:0.0} s = {hubRate:0} deliveries/s (the subscriber had them all after {allReceived.Value.TotalSeconds:0.0} s); hub CPU {cores:0.00} cores"));
        var received = subscriber.Requests;
        var distinct = subscriber.Distinct;
        var captured = subscriber.Captured.ToList();
        subscriber.Reset();
        var raw8 = await RawPoster.RunAsync(subscriber.Url, captured, 8);
        var raw64 = await RawPoster.RunAsync(subscriber.Url, captured, 64);
        Console.WriteLine(Invariant($"  raw: {captured.Count:N0} signed requests again: {raw8.Ok / raw8.Elapsed.TotalSeconds:0}/s 8 at a time, {raw64.Ok / raw64.Elapsed.TotalSeconds:0}/s 64 at a time"));
        var stateText = string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Value:N0} {s.Key}"));
        return new DeliveryRow(engine, scheduled, hubRate, raw8.Ok / raw8.Elapsed.TotalSeconds, raw64.Ok / raw64.Elapsed.TotalSeconds, cores, received, distinct, stateText);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

internal sealed record DeliveryRow(
    string Engine, long Scheduled, double HubRate, double Raw8, double Raw64, double HubCores, long Received, long Distinct, string States);
