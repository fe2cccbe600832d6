using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using PbxHub.Bench;

return args.FirstOrDefault() switch
{
    "ingest" => await IngestCommand.RunAsync(args[1..]),
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

static int Usage()
{
    Console.WriteLine("""
        PbxHub benchmarks (run in Release; see bench/README.md)

          ingest [--provider all] [--connections 16] [--seconds 10] [--warmup 3] [--rate 500] [--latency-seconds 10] [--max-requests 2000000]
              Hook throughput over HTTP per provider (sipuni, hooktype JSON, evrotel form, or all) and
              Sipuni's open-loop latency: the real hub (durable SQLite ingest in a temp folder) against a
              no-op Kestrel endpoint, in the same run.

          micro [BenchmarkDotNet arguments, e.g. --filter '*' --job short]
              BenchmarkDotNet micro-benchmarks (CallFold over the spec's 7-event transfer).
        """);
    return 2;
}
