using System.Diagnostics;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Load;

internal sealed record ThroughputResult(long Ok, ErrorTally Errors, TimeSpan Elapsed)
{
    public double RequestsPerSecond => Ok / Elapsed.TotalSeconds;
}

/// <summary>Closed loop: N workers, each sending its calls' events one after another as fast as answers come.</summary>
internal static class ThroughputRun
{
    public static async Task<ThroughputResult> RunAsync(
        HookClient client, BenchProvider provider, int workers, TimeSpan duration, long maxRequests, int seed, long epoch)
    {
        using var hardStop = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var errors = new ErrorTally();
        var perWorker = Math.Max(1, maxRequests / workers);
        var clock = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, workers)
            .Select(w => Task.Run(() => WorkerAsync(client, new ProviderTraffic(provider, seed + w, epoch), clock, duration, perWorker, errors, hardStop.Token)))
            .ToArray();
        var counts = await Task.WhenAll(tasks);
        return new ThroughputResult(counts.Sum(), errors, clock.Elapsed);
    }

    private static async Task<long> WorkerAsync(
        HookClient client, ProviderTraffic traffic, Stopwatch clock, TimeSpan duration, long limit, ErrorTally errors, CancellationToken ct)
    {
        long ok = 0;
        for (long sent = 0; sent < limit && clock.Elapsed < duration; sent++)
        {
            var request = traffic.Next();
            var (error, reply) = await client.SendAsync(request, ct);
            if (error is not null)
            {
                errors.Add(error);
            }
            else
            {
                ok++;
                traffic.Answered(request, reply ?? "");
            }
        }

        return ok;
    }
}
