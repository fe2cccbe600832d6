using System.Diagnostics;
using System.Net.Http.Headers;
using PbxHub.Bench.Targets;

namespace PbxHub.Bench.Delivery;

/// <summary>The subscriber's capacity without the hub: a plain HttpClient posting the captured signed requests again, N at a time.</summary>
internal static class RawPoster
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<(long Ok, TimeSpan Elapsed)> RunAsync(string url, IReadOnlyList<CapturedWebhook> webhooks, int concurrency)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var next = -1;
        long ok = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < webhooks.Count; i = Interlocked.Increment(ref next))
            {
                var w = webhooks[i];
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(w.Body) };
                request.Content.Headers.ContentType = Json;
                request.Headers.TryAddWithoutValidation("webhook-id", w.Id);
                request.Headers.TryAddWithoutValidation("webhook-timestamp", w.Timestamp);
                request.Headers.TryAddWithoutValidation("webhook-signature", w.Signature);
                request.Headers.TryAddWithoutValidation("x-bench-raw", "1");
                using var response = await http.SendAsync(request);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref ok);
                }
            }
        })));
        return (ok, clock.Elapsed);
    }
}
