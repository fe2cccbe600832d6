using System.Diagnostics;
using PbxHub.Bench.Traffic;
using PbxHub.Simulation;

namespace PbxHub.Bench.Load;

internal sealed record LatencyResult(long Sent, Percentiles Latency, ErrorTally Errors, TimeSpan MaxDispatchLag, double AchievedRate);

/// <summary>
/// Open loop: request i is due at i / rate seconds whatever happened to the earlier ones, and its
/// latency counts from when it was due (or from when it was sent, if the dispatcher sent it a little
/// early), so a slow answer cannot hide the requests queued behind it (no coordinated omission). Sipuni
/// traffic only: an open loop cannot wait for Evrotel's start to be answered before sending its end.
/// </summary>
internal static class LatencyRun
{
    private static readonly TimeSpan Lookahead = TimeSpan.FromMilliseconds(0.5);

    public static async Task<LatencyResult> RunAsync(HookClient client, double rate, TimeSpan duration, int seed, long epoch)
    {
        var total = Math.Max(1, (long)(rate * duration.TotalSeconds));
        using var hardStop = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var traffic = new ProviderTraffic(BenchProvider.Sipuni, seed, epoch);
        var latencies = new double[total];
        var errors = new ErrorTally();
        var inFlight = new List<Task>((int)Math.Min(total, 1_000_000));
        var maxLag = TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed - Lookahead;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, hardStop.Token);
            }

            var lag = clock.Elapsed - due;
            maxLag = lag > maxLag ? lag : maxLag;
            inFlight.Add(SendAsync(client, traffic.Next(), i, due, clock, latencies, errors, hardStop.Token));
        }

        var sendingTook = clock.Elapsed;
        await Task.WhenAll(inFlight);
        var ok = latencies.Where(l => !double.IsNaN(l)).ToArray();
        return new LatencyResult(total, Percentiles.Of(ok), errors, maxLag, total / sendingTook.TotalSeconds);
    }

    private static async Task SendAsync(
        HookClient client, HookRequest hook, long i, TimeSpan due, Stopwatch clock, double[] latencies, ErrorTally errors, CancellationToken ct)
    {
        var sent = clock.Elapsed;
        var (error, _) = await client.SendAsync(hook, ct);
        var from = sent < due ? sent : due;
        latencies[i] = error is null ? (clock.Elapsed - from).TotalMilliseconds : double.NaN;
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
