using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using PbxHub.Bench;

return args.FirstOrDefault() switch
{
    "ingest" => await IngestCommand.RunAsync(args[1..]),
    "journal" => await PbxHub.Bench.Journal.JournalCommand.RunAsync(args[1..]),
    "sustained" => await PbxHub.Bench.Sustained.SustainedCommand.RunAsync(args[1..]),
    "latency" => await PbxHub.Bench.Latency.LatencyCommand.RunAsync(args[1..]),
    "freshness" => await PbxHub.Bench.Freshness.FreshnessCommand.RunAsync(args[1..]),
    "profile-stages" => await PbxHub.Bench.Freshness.StageShares.RunAsync(args[1..]),
    "delivery" => await PbxHub.Bench.Delivery.DeliveryCommand.RunAsync(args[1..]),
    "startup" => await PbxHub.Bench.Startup.StartupCommand.RunAsync(args[1..]),
    "durable" => await PbxHub.Bench.Wrk.DurableCommand.RunAsync(args[1..]),
    "serve-noop" => await ServeNoop(args[1..]),
    "serve-bare" => await PbxHub.Bench.Targets.BareReceiver.ServeAsync(args[1..]),
    "micro" => Micro(args[1..]),
    _ => Usage(),
};

static int Micro(string[] rest)
{
    // Reports go next to the binaries (bin/…/BenchmarkDotNet.Artifacts), not into the caller's folder.
    var config = DefaultConfig.Instance.WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
    BenchmarkSwitcher.FromAssembly(typeof(IngestCommand).Assembly).Run(rest, config);
    return 0;
}

// The no-op as its own process (for start-up and latency beside a pbxhub serve child): serve-noop --urls URL.
static async Task<int> ServeNoop(string[] rest)
{
    var url = rest.Length == 2 && rest[0] == "--urls" ? rest[1] : "http://127.0.0.1:5099";
    await using var noop = await PbxHub.Bench.Targets.NoopTarget.StartAsync(url);
    await noop.WaitForShutdownAsync();
    return 0;
}

static int Usage()
{
    Console.WriteLine("""
        PbxHub benchmarks (run in Release; see bench/README.md)

          ingest [--provider all] [--storage sqlite|postgres|both] [--postgres CONNSTRING] [--subscriber none|slow|down|all]
                 [--subscriber-delay 2] [--connections 16] [--seconds 10] [--warmup 3] [--rate 500] [--latency-seconds 10]
                 [--max-requests 2000000]
              Hook throughput over HTTP per provider (sipuni, hooktype JSON, evrotel form, or all) and
              Sipuni's open-loop latency: the real hub (durable ingest on a fresh SQLite file and/or a fresh
              PostgreSQL database, with or without a slow or unreachable webhook subscriber) against a
              no-op Kestrel endpoint, in the same run. PostgreSQL: --postgres or THROWAWAY_POSTGRES.

          journal [--calls 1000000] [--checkpoint calls/10] [--runs 200] [--warmup 10] [--storage sqlite|postgres|both] [--postgres CONNSTRING]
              Fills a fresh database per engine with a year of calls (bulk SQL), timing the queries of
              GET /api/v1/calls (first page, by number, a day, a week, missed unreturned) at --checkpoint calls and
              again at --calls: p50/p95/max and the ratio of the p95s.

          sustained [--storage sqlite|postgres] [--minutes 10] [--fraction 0.8] [--connections 16] [--seconds 10] [--warmup 3]
                    [--sample 5] [--settle 60]
              pbxhub serve as a child process: its closed-loop maximum, then an open loop at 80 % of it for 10 minutes,
              sampling the process's resident memory (VmRSS): start, end, max, slope, latency per minute.

          latency [--rates 100,250,500,1000] [--seconds 20] [--warmup 3] [--connections 64] [--storage sqlite|postgres|both]
              Open-loop acknowledgement latency p50/p99/p99.9 at each rate, the hub (child process) beside the no-op
              (child process), with the ratios hub / no-op.

          freshness [--rate 1000] [--seconds 20] [--warmup 3] [--timeout 10] [--api-every 20] [--connections 64]
                    [--storage sqlite|postgres|both] [--postgres CONNSTRING] [--profile DIR]
              Open-loop Sipuni GETs each starting a new call to the hub (child process) with one SSE client and one webhook
              subscriber: ms from each acknowledgement to the call's first event on the stream, its first webhook attempt and
              (1 in --api-every) GET /api/v1/calls/{id} answering 200; p50/p90/p99/max against 100 ms, and never-seen counts.
              --profile DIR: a CPU profile of the hub over the phase (dotnet-trace collect-linux, root) and its CPU by stage.

          profile-stages REPORT [--cpu-us MICROSECONDS-PER-REQUEST]
              CPU shares by stage (HTTP and the rest, parse, store, fold, outbox, stream, …) from a saved
              `dotnet-trace report TRACE topN --inclusive -n 3000` (see bench/README.md, "CPU by stage").

          delivery [--events 20000] [--connections 16] [--storage sqlite|postgres|both]
              Deliveries/s from a hub holding that many events (ingested, then recover) to a subscriber answering 204 at
              once, beside the same signed requests posted to it by a plain HttpClient.

          startup [--runs 5] [--calls 1000000] [--storage sqlite|postgres|both]
              Time from process start to /readyz 200: empty (first start, restart) and with a year of calls, beside a
              no-op ASP.NET Core app; medians and ratios.

          durable [--traffic all|sipuni-new,sipuni-calls,hooktype,evrotel] [--connections 32] [--seconds 10] [--warmup 3]
                  [--pool 300000] [--storage sqlite|postgres|both] [--postgres CONNSTRING]
              Durable ingest driven by wrk (Debian's package; 1 thread): the no-op, the bare durable receiver (one raw
              insert per request, the same group commit, synchronous=FULL) and the hub, each its own process, fresh per
              kind of traffic, sent the same pool of new requests; req/s, p50/p99 and the ratios hub / bare, hub / no-op.

          micro [BenchmarkDotNet arguments, e.g. --filter '*' --job short]
              BenchmarkDotNet micro-benchmarks (CallFold over the spec's 7-event transfer).
        """);
    return 2;
}
