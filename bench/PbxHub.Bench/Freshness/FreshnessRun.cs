using System.Diagnostics;
using System.Net;
using PbxHub.Bench.Load;
using PbxHub.Bench.Targets;

namespace PbxHub.Bench.Freshness;

/// <summary>Milliseconds from each acknowledgement to when the call showed on one channel, and how many never did.</summary>
internal sealed record Freshness(Percentiles Delays, long Expected, long Never);

internal sealed record FreshnessResult(
    long Sent, long Acknowledged, ErrorTally Errors, Percentiles Ack, double AchievedRate, Freshness Stream, Freshness Webhook, Freshness Api);

/// <summary>
/// The open loop of <see cref="OpenLoop"/> over new calls; each request's acknowledgement time is kept, and every
/// <c>apiEvery</c>-th call is read back (<c>GET /api/v1/calls/{id}</c>, again while it answers 404) right after its
/// acknowledgement. Then waits up to <c>timeout</c> for every acknowledged call on the stream and the webhook receiver.
/// </summary>
internal static class FreshnessRun
{
    public static async Task<FreshnessResult> RunAsync(
        HookClient client, HttpClient api, NewCall[] calls, double rate, int apiEvery, TimeSpan timeout, Arrivals stream, Arrivals webhook)
    {
        var total = calls.Length;
        var acks = new long[total];
        var reads = new long[total];
        var ackMs = new double[total];
        Array.Fill(ackMs, double.NaN);
        var errors = new ErrorTally();
        using var hardStop = new CancellationTokenSource(TimeSpan.FromSeconds(total / rate) + timeout + TimeSpan.FromSeconds(30));
        var inFlight = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var (sendingTook, _) = await OpenLoop.PaceAsync(clock, rate, total, (i, due) => inFlight.Add(SendAsync(i, due)), hardStop.Token);
        await Task.WhenAll(inFlight);

        var acked = Enumerable.Range(0, total).Where(i => acks[i] != 0).ToArray();
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && acked.Any(i => !stream.TryGet(calls[i].CallId, out _) || !webhook.TryGet(calls[i].CallId, out _)))
        {
            await Task.Delay(100);
        }

        return new FreshnessResult(
            total, acked.Length, errors, Percentiles.Of(ackMs.Where(l => !double.IsNaN(l)).ToArray()), total / sendingTook.TotalSeconds,
            Delays(acked, i => stream.TryGet(calls[i].CallId, out var at) ? at : 0),
            Delays(acked, i => webhook.TryGet(calls[i].CallId, out var at) ? at : 0),
            Delays(acked.Where(i => i % apiEvery == 0).ToArray(), i => reads[i]));

        Freshness Delays(int[] which, Func<int, long> seenAt)
        {
            var delays = which.Where(i => seenAt(i) != 0).Select(i => Stopwatch.GetElapsedTime(acks[i], seenAt(i)).TotalMilliseconds).ToArray();
            return new Freshness(Percentiles.Of(delays), which.Length, which.Length - delays.Length);
        }

        async Task SendAsync(long index, TimeSpan due)
        {
            var i = (int)index;
            var (latency, error) = await OpenLoop.SendAsync(client, calls[i].Request, due, clock, hardStop.Token);
            if (error is not null)
            {
                errors.Add(error);
                return;
            }

            acks[i] = Stopwatch.GetTimestamp();
            ackMs[i] = latency;
            if (i % apiEvery == 0)
            {
                reads[i] = await ReadAsync(api, calls[i].CallId, acks[i] + (long)(timeout.TotalSeconds * Stopwatch.Frequency), hardStop.Token);
            }
        }
    }

    /// <summary>When <c>GET /api/v1/calls/{id}</c> first answered 200; 0 when it never did before the deadline.</summary>
    private static async Task<long> ReadAsync(HttpClient api, string callId, long deadline, CancellationToken ct)
    {
        while (Stopwatch.GetTimestamp() < deadline)
        {
            try
            {
                using var response = await api.GetAsync($"/api/v1/calls/{callId}", HttpCompletionOption.ResponseContentRead, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetTimestamp();
                }

                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    return 0;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return 0;
            }

            await Task.Delay(1, ct);
        }

        return 0;
    }
}
