using System.Collections.Concurrent;

namespace PbxHub.Bench.Targets;

/// <summary>
/// A webhook subscriber on 127.0.0.1 that answers <c>204</c> at once: counts the distinct <c>webhook-id</c>s it got
/// (a delivery sent again counts once) and keeps the first requests as received (signature headers and body), so the
/// same signed requests can be posted to it again without the hub.
/// </summary>
internal sealed class FastSubscriber : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, byte> ids = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<CapturedWebhook> captured = new();
    private readonly int keep;
    private long requests;

    private FastSubscriber(WebApplication app, int keep)
    {
        this.app = app;
        this.keep = keep;
    }

    public string Url => KestrelAddress.Of(app) + "/webhook";

    public long Distinct => ids.Count;

    public long Requests => Interlocked.Read(ref requests);

    public IReadOnlyCollection<CapturedWebhook> Captured => captured;

    public static async Task<FastSubscriber> StartAsync(int keep)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var web = builder.Build();
        var subscriber = new FastSubscriber(web, keep);
        web.MapPost("/webhook", (Delegate)subscriber.ReceiveAsync);
        await web.StartAsync();
        return subscriber;
    }

    /// <summary>Forgets what was counted (not what was captured), for the raw phase.</summary>
    public void Reset()
    {
        ids.Clear();
        Interlocked.Exchange(ref requests, 0);
    }

    private async Task<IResult> ReceiveAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        Interlocked.Increment(ref requests);
        var id = http.Request.Headers["webhook-id"].ToString();
        if (ids.TryAdd(id, 0) && captured.Count < keep && !http.Request.Headers.ContainsKey("x-bench-raw"))
        {
            captured.Enqueue(new CapturedWebhook(id, http.Request.Headers["webhook-timestamp"].ToString(), http.Request.Headers["webhook-signature"].ToString(), body.ToArray()));
        }

        return Results.NoContent();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>One signed webhook request as the hub sent it.</summary>
internal sealed record CapturedWebhook(string Id, string Timestamp, string Signature, byte[] Body);
