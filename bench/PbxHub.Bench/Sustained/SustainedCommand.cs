using System.Globalization;
using PbxHub.Bench.Load;
using PbxHub.Bench.Storage;
using PbxHub.Bench.Targets;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Sustained;

/// <summary>
/// <c>sustained</c>: the hub as its own <c>pbxhub serve</c> process; its closed-loop maximum measured first, then an
/// open loop of Sipuni traffic at a fraction of it (80 %) for minutes, sampling the process's resident memory.
/// </summary>
internal static class SustainedCommand
{
    private const double FlatRatio = 1.2;

    public static async Task<int> RunAsync(string[] args)
    {
        double minutes, fraction, seconds, warmup, sampleSeconds, settleSeconds;
        int connections, prefill, rounds;
        StorageChoice storage;
        try
        {
            var o = new BenchOptions(args);
            minutes = o.Number("--minutes", 10, 0.1, 600);
            fraction = o.Number("--fraction", 0.8, 0.01, 2);
            connections = o.Whole("--connections", 16, 1, 1024);
            seconds = o.Number("--seconds", 10, 1, 600);
            warmup = o.Number("--warmup", 3, 0, 120);
            sampleSeconds = o.Number("--sample", 5, 0.5, 600);
            settleSeconds = o.Number("--settle", 60, 0, 3600);
            prefill = o.Whole("--prefill", 500_000, 0, 100_000_000);
            rounds = o.Whole("--rounds", 6, 1, 1000);
            storage = o.Storage("sqlite");
            o.CheckAllRead();
            if (storage.Engines.Count != 1)
            {
                throw new ArgumentException("--storage must be sqlite or postgres (one engine a run)");
            }
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        var engine = storage.Engines[0];
        Console.WriteLine($"PbxHub sustained ingest — {IngestCommand.Environment()}; load average {LoadAverage.Now()}");
        Console.WriteLine(Invariant($"hub: pbxhub serve as a child process on {engine}; {connections} connections; maximum: the last of {rounds} closed-loop rounds of {seconds:0.#} s after {warmup:0.#} s; then {fraction:P0} of it, open loop, for {minutes:0.#} min; resident memory every {sampleSeconds:0.#} s; start = {settleSeconds:0} s into the open loop"));
        var epoch = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        await using var data = await HubData.CreateAsync(engine, storage.PostgresServer);
        if (prefill > 0)
        {
            // A hub in service holds far more than its page caches: on an empty database they would fill during the
            // run, and memory would follow the database's growth instead of showing whether anything leaks.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await data.FillAsync(prefill);
            Console.WriteLine(Invariant($"{engine}: prefilled with {prefill:N0} calls of the journal's generator in {clock.Elapsed.TotalSeconds:0} s; database files {Mib(DatabaseBytes(data))} MiB"));
        }

        await using var hub = await HubChild.StartAsync(data, engine);
        Console.WriteLine(Invariant($"{engine}: {await data.DurabilityAsync()}; ready in {hub.Server.StartupTime.TotalMilliseconds:0} ms, pid {hub.Server.Pid}, resident {Mib(hub.Server.ResidentBytes())} MiB"));
        using var client = new HookClient(hub.HookUrl(BenchProvider.Sipuni), BenchProvider.Sipuni, hub.Headers(BenchProvider.Sipuni), connections);
        if (warmup > 0)
        {
            await ThroughputRun.RunAsync(client, BenchProvider.Sipuni, connections, TimeSpan.FromSeconds(warmup), long.MaxValue, 0, epoch);
        }

        // The maximum is what the hub holds once the work behind the acknowledgements (folds, checkpoints) has caught
        // up: a first round of a few seconds is a burst it cannot keep, and 80 % of a burst overloads it.
        ThroughputResult max = null!;
        long closedLoopOk = 0;
        for (var round = 1; round <= rounds; round++)
        {
            max = await ThroughputRun.RunAsync(client, BenchProvider.Sipuni, connections, TimeSpan.FromSeconds(seconds), long.MaxValue, 100 + round, epoch);
            closedLoopOk += max.Ok;
            Console.WriteLine(Invariant($"  closed loop round {round}: {max.RequestsPerSecond:0} req/s ({max.Errors.Total} errors); resident {Mib(hub.Server.ResidentBytes())} MiB; load average {LoadAverage.Now()}"));
        }

        var afterMax = hub.Server.ResidentBytes();
        var rate = Math.Max(1, Math.Floor(max.RequestsPerSecond * fraction));
        Console.WriteLine(Invariant($"maximum (closed loop): {max.RequestsPerSecond:0} req/s ({max.Errors.Total} errors); resident after it {Mib(afterMax)} MiB; load average {LoadAverage.Now()}"));
        Console.WriteLine(Invariant($"open loop at {rate:0} req/s ({fraction:P0}) for {minutes:0.#} min …"));
        var result = await SustainedRun.RunAsync(
            client, rate, TimeSpan.FromMinutes(minutes), TimeSpan.FromSeconds(sampleSeconds),
            (at, completed) => Sample(hub.Server, data, at, completed, rate), 200, epoch);
        var stored = await StoreProbe.CountAsync(data, "raw_events");
        SustainedReport.Print(result, rate, max, fraction, TimeSpan.FromSeconds(settleSeconds), afterMax, FlatRatio);
        var acknowledged = closedLoopOk + result.Latencies.Count(l => !double.IsNaN(l));
        Console.WriteLine(Invariant($"stored raw events {stored:N0}; acknowledged {acknowledged:N0} in the closed-loop rounds and the open loop, plus the warm-up's"));
        return 0;
    }

    private static ProcessSample Sample(ChildServer server, HubData data, TimeSpan at, long completed, double rate)
    {
        // The SQLite files' size (PostgreSQL's is another process's): the hub's page caches grow with it, to their cap.
        var database = DatabaseBytes(data);
        var s = new ProcessSample(at, server.ResidentBytes(), server.AnonymousBytes(), database, server.CpuTime(), completed);
        if ((int)at.TotalSeconds % 60 < 5 || at.TotalSeconds < 1)
        {
            Console.WriteLine(Invariant($"  {at.TotalMinutes,5:0.0} min: resident {Mib(s.ResidentBytes),6} MiB (anonymous {Mib(s.AnonymousBytes)}; database files {Mib(database)} MiB), acknowledged {completed,9:N0} (due {at.TotalSeconds * rate,9:N0}), load average {LoadAverage.Now()}"));
        }

        return s;
    }

    private static long DatabaseBytes(HubData data) => data.Postgres is null ? new DirectoryInfo(data.Directory).GetFiles().Sum(f => f.Length) : 0;

    public static string Mib(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
