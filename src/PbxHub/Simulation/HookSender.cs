using System.Collections.Concurrent;
using System.Text;

namespace PbxHub.Simulation;

/// <summary>What the sending did: requests, repeats and the failures by HTTP status (or transport error).</summary>
internal sealed class SendStats
{
    private long sent;
    private long duplicates;

    public long Sent => Interlocked.Read(ref sent);

    public long Duplicates => Interlocked.Read(ref duplicates);

    public ConcurrentDictionary<string, int> Failures { get; } = new(StringComparer.Ordinal);

    public long FailureCount => Failures.Values.Sum();

    public TimeSpan Elapsed { get; set; }

    public void Count(bool duplicate)
    {
        Interlocked.Increment(ref sent);
        if (duplicate)
        {
            Interlocked.Increment(ref duplicates);
        }
    }

    public void Fail(string reason) => Failures.AddOrUpdate(reason, 1, (_, n) => n + 1);
}

/// <summary>
/// Delivers planned calls to a hub's hook URL: calls start at the given rate, each call's requests go in
/// its planned order, and at most <c>concurrency</c> requests are in flight.
/// </summary>
internal sealed class HookSender(HttpClient http, string hookUrl, int concurrency, double rate, TimeProvider time)
{
    public async Task<SendStats> SendAsync(IReadOnlyList<PlannedCall> calls, Action onRequest, CancellationToken ct)
    {
        var stats = new SendStats();
        using var requestSlots = new SemaphoreSlim(concurrency);
        // Bounds the calls in progress, so a slow hub does not make us hold every planned call at once.
        using var callSlots = new SemaphoreSlim(Math.Max(concurrency * 4, 16));
        var started = time.GetTimestamp();
        var running = new List<Task>();
        for (var i = 0; i < calls.Count; i++)
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds(i / rate) - time.GetElapsedTime(started);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, time, ct);
                }
            }

            await callSlots.WaitAsync(ct);
            var call = calls[i];
            running.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await SendCallAsync(call, requestSlots, stats, onRequest, ct);
                    }
                    finally
                    {
                        callSlots.Release();
                    }
                },
                ct));
            running.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(running);
        stats.Elapsed = time.GetElapsedTime(started);
        return stats;
    }

    private async Task SendCallAsync(PlannedCall call, SemaphoreSlim slots, SendStats stats, Action onRequest, CancellationToken ct)
    {
        foreach (var delivery in call.Deliveries)
        {
            for (var copy = 0; copy < (delivery.Twice ? 2 : 1); copy++)
            {
                await slots.WaitAsync(ct);
                try
                {
                    await SendOneAsync(delivery.Request, stats, ct);
                    stats.Count(copy > 0);
                }
                finally
                {
                    slots.Release();
                }

                onRequest();
            }
        }
    }

    private async Task SendOneAsync(HookRequest request, SendStats stats, CancellationToken ct)
    {
        using var message = request.Method == "GET"
            ? new HttpRequestMessage(HttpMethod.Get, new Uri(hookUrl + "?" + request.Encoded))
            : new HttpRequestMessage(HttpMethod.Post, new Uri(hookUrl))
            {
                Content = new StringContent(request.Encoded, Encoding.UTF8, "application/x-www-form-urlencoded"),
            };
        try
        {
            using var response = await http.SendAsync(message, ct);
            if (!response.IsSuccessStatusCode)
            {
                stats.Fail("HTTP " + (int)response.StatusCode);
            }
        }
        catch (HttpRequestException ex)
        {
            stats.Fail(ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            stats.Fail("Timeout");
        }
    }
}
