using System.Diagnostics;
using PbxHub.Bench.Load;
using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Sustained;

/// <summary>A sample of the hub process taken during the run.</summary>
internal sealed record ProcessSample(TimeSpan At, long ResidentBytes, long AnonymousBytes, long DatabaseBytes, TimeSpan CpuTime, long Completed);

internal sealed record SustainedResult(long Sent, double[] Latencies, ErrorTally Errors, TimeSpan SendingTook, TimeSpan MaxDispatchLag, IReadOnlyList<ProcessSample> Samples);

/// <summary>
/// An open loop at a fixed rate for a long time (<see cref="OpenLoop"/>), keeping no task per request, while a sampler reads the hub process's
/// resident memory and CPU time every few seconds.
/// </summary>
internal static class SustainedRun
{
    public static async Task<SustainedResult> RunAsync(
        HookClient client, double rate, TimeSpan duration, TimeSpan sampleEvery, Func<TimeSpan, long, ProcessSample> sample, int seed, long epoch)
    {
        var total = Math.Max(1, (long)(rate * duration.TotalSeconds));
        using var hardStop = new CancellationTokenSource(duration + TimeSpan.FromSeconds(60));
        var traffic = new ProviderTraffic(BenchProvider.Sipuni, seed, epoch);
        var latencies = new double[total];
        Array.Fill(latencies, double.NaN);
        var errors = new ErrorTally();
        var samples = new List<ProcessSample>();
        long outstanding = 0;
        long completed = 0;
        var clock = Stopwatch.StartNew();
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            samples.Add(sample(clock.Elapsed, Interlocked.Read(ref completed)));
            using var timer = new PeriodicTimer(sampleEvery);
            try
            {
                while (await timer.WaitForNextTickAsync(stopSampling.Token))
                {
                    samples.Add(sample(clock.Elapsed, Interlocked.Read(ref completed)));
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        });

        var (sendingTook, maxLag) = await OpenLoop.PaceAsync(clock, rate, total, (i, due) =>
        {
            Interlocked.Increment(ref outstanding);
            _ = SendAsync(i, due, traffic.Next());
        }, hardStop.Token);
        while (Interlocked.Read(ref outstanding) > 0 && !hardStop.IsCancellationRequested)
        {
            await Task.Delay(10);
        }

        await stopSampling.CancelAsync();
        await sampler;
        samples.Add(sample(clock.Elapsed, Interlocked.Read(ref completed)));
        return new SustainedResult(total, latencies, errors, sendingTook, maxLag, samples);

        async Task SendAsync(long i, TimeSpan due, PbxHub.Simulation.HookRequest hook)
        {
            var (latency, error) = await OpenLoop.SendAsync(client, hook, due, clock, hardStop.Token);
            if (error is null)
            {
                latencies[i] = latency;
                Interlocked.Increment(ref completed);
            }
            else
            {
                errors.Add(error);
            }

            Interlocked.Decrement(ref outstanding);
        }
    }
}
