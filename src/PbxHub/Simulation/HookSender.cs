using System.Text;

namespace PbxHub.Simulation;

/// <summary>
/// Delivers planned calls to a hub's hook URL: calls start at the given rate, each call's requests go in
/// its planned order, and at most <c>concurrency</c> requests are in flight. <paramref name="headers"/> go on
/// every request (Evrotel's token). A request that needs an earlier reply gets it filled in; a request sent
/// again (a retry or a duplicate) must get the same reply as before, else it counts as a failure.
/// </summary>
internal sealed class HookSender(
    HttpClient http, string hookUrl, int concurrency, double rate, TimeProvider time, IReadOnlyDictionary<string, string>? headers = null)
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
            var (call, index) = (calls[i], i);
            running.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        stats.Replies[index] = await SendCallAsync(call, requestSlots, stats, onRequest, ct);
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

    private async Task<IReadOnlyDictionary<string, string>> SendCallAsync(
        PlannedCall call, SemaphoreSlim slots, SendStats stats, Action onRequest, CancellationToken ct)
    {
        var replies = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var delivery in call.Deliveries)
        {
            for (var copy = 0; copy < (delivery.Twice ? 2 : 1); copy++)
            {
                var request = delivery.Request;
                if (request.Needs is { } needed)
                {
                    if (!replies.TryGetValue(needed, out var reply))
                    {
                        // Only a failed earlier request leaves this unknown; that failure is already counted.
                        stats.Fail($"not sent: no reply to '{needed}' to fill in");
                        onRequest();
                        continue;
                    }

                    request = request.WithReply(reply);
                }

                await slots.WaitAsync(ct);
                try
                {
                    var body = await SendOneAsync(request, stats, ct);
                    stats.Count(copy > 0);
                    Remember(request, body, replies, stats);
                }
                finally
                {
                    slots.Release();
                }

                onRequest();
            }
        }

        return replies;
    }

    private static void Remember(HookRequest request, string? body, Dictionary<string, string> replies, SendStats stats)
    {
        if (request.RepliesAs is not { } name || body is null)
        {
            return;
        }

        if (!replies.TryAdd(name, body) && replies[name] != body)
        {
            stats.Fail($"a repeated '{name}' got another reply");
        }
    }

    /// <summary>The reply's body when the hub accepted the request; null when it failed (counted in <paramref name="stats"/>).</summary>
    private async Task<string?> SendOneAsync(HookRequest request, SendStats stats, CancellationToken ct)
    {
        using var message = request.Method == "GET"
            ? new HttpRequestMessage(HttpMethod.Get, new Uri(hookUrl + "?" + request.Encoded))
            : new HttpRequestMessage(HttpMethod.Post, new Uri(hookUrl))
            {
                Content = new StringContent(request.Text, Encoding.UTF8, request.ContentType),
            };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await http.SendAsync(message, ct);
            if (!response.IsSuccessStatusCode)
            {
                stats.Fail("HTTP " + (int)response.StatusCode);
                return null;
            }

            var body = await response.Content.ReadAsStringAsync(ct);
            // The hub answers success to a request it kept in quarantine (docs/quarantine.md); generated traffic must never be.
            if (body.Contains("\"quarantined\":true", StringComparison.Ordinal))
            {
                stats.Fail("quarantined");
                return null;
            }

            return body;
        }
        catch (HttpRequestException ex)
        {
            stats.Fail(ex.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            stats.Fail("Timeout");
        }

        return null;
    }
}
