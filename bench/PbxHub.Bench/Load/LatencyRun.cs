using System.Diagnostics;
using PbxHub.Bench.Traffic;
using PbxHub.Simulation;

namespace PbxHub.Bench.Load;

internal sealed record LatencyResult(long Sent, Percentiles Latency, ErrorTally Errors, TimeSpan MaxDispatchLag, double AchievedRate);

/// <summary>
/// A fixed rate for a short phase (<see cref="OpenLoop"/>), one task kept per request. Sipuni traffic only: an
/// open loop cannot wait for Evrotel's start to be answered before sending its end.
/// </summary>
internal static class LatencyRun
{
    public static async Task<LatencyResult> RunAsync(HookClient client, double rate, TimeSpan duration, int seed, long epoch)
    {
        var total = Math.Max(1, (long)(rate * duration.TotalSeconds));
        using var hardStop = new CancellationTokenSource(duration + TimeSpan.FromSeconds(30));
        var traffic = new ProviderTraffic(BenchProvider.Sipuni, seed, epoch);
        var latencies = new double[total];
        var errors = new ErrorTally();
        var inFlight = new List<Task>((int)Math.Min(total, 1_000_000));
        var clock = Stopwatch.StartNew();
        var (sendingTook, maxLag) = await OpenLoop.PaceAsync(
            clock, rate, total, (i, due) => inFlight.Add(SendAsync(client, traffic.Next(), i, due, clock, latencies, errors, hardStop.Token)), hardStop.Token);
        await Task.WhenAll(inFlight);
        var ok = latencies.Where(l => !double.IsNaN(l)).ToArray();
        return new LatencyResult(total, Percentiles.Of(ok), errors, maxLag, total / sendingTook.TotalSeconds);
    }

    private static async Task SendAsync(
        HookClient client, HookRequest hook, long i, TimeSpan due, Stopwatch clock, double[] latencies, ErrorTally errors, CancellationToken ct)
    {
        var (latency, error) = await OpenLoop.SendAsync(client, hook, due, clock, ct);
        latencies[i] = latency;
        if (error is not null)
        {
            errors.Add(error);
        }
    }
}
