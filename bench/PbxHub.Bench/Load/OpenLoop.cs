using System.Diagnostics;
using PbxHub.Simulation;

namespace PbxHub.Bench.Load;

/// <summary>
/// The pacing of an open loop: request i is due at i / rate seconds whatever happened to the earlier ones, and its
/// latency counts from when it was due (or from when it was sent, if the dispatcher sent it a little early), so a
/// slow answer cannot hide the requests queued behind it (no coordinated omission).
/// </summary>
internal static class OpenLoop
{
    private static readonly TimeSpan Lookahead = TimeSpan.FromMilliseconds(0.5);

    /// <summary>Calls <paramref name="start"/> for each request when it is due; returns how long that took and the worst lag behind schedule.</summary>
    public static async Task<(TimeSpan SendingTook, TimeSpan MaxLag)> PaceAsync(
        Stopwatch clock, double rate, long total, Action<long, TimeSpan> start, CancellationToken ct)
    {
        var maxLag = TimeSpan.Zero;
        for (long i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed - Lookahead;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, ct);
            }

            var lag = clock.Elapsed - due;
            maxLag = lag > maxLag ? lag : maxLag;
            start(i, due);
        }

        return (clock.Elapsed, maxLag);
    }

    /// <summary>Sends one request; its latency in ms from when it was due, or the error.</summary>
    public static async Task<(double LatencyMs, string? Error)> SendAsync(HookClient client, HookRequest hook, TimeSpan due, Stopwatch clock, CancellationToken ct)
    {
        var sent = clock.Elapsed;
        var (error, _) = await client.SendAsync(hook, ct);
        var from = sent < due ? sent : due;
        return error is null ? ((clock.Elapsed - from).TotalMilliseconds, null) : (double.NaN, error);
    }
}
