using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>One webhook request as the subscriber received it: the headers and the exact body bytes.</summary>
internal sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, byte[] Body, int AnsweredWith)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// A real HTTP server on 127.0.0.1 standing in for a CRM that subscribed to webhooks. <see cref="Answer"/>
/// decides each answer (status, optional Retry-After, optional delay); every request is recorded.
/// </summary>
internal sealed class Subscriber : IAsyncDisposable
{
    private readonly WebApplication app;
    private int arrived;

    private Subscriber(WebApplication app)
    {
        this.app = app;
        Url = TestKestrel.BaseUrl(app) + "/hook";
    }

    public string Url { get; }

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Answer for a request (given the count received so far, this one included); default 200.</summary>
    public Func<ReceivedWebhook, (int Status, string? RetryAfter, TimeSpan Delay)> Answer { get; set; } = _ => (200, null, TimeSpan.Zero);

    /// <summary>Requests that arrived, counted before <see cref="Gate"/> holds them.</summary>
    public int Arrived => arrived;

    /// <summary>Every request waits for this before it is answered (default: open).</summary>
    public Task Gate { get; set; } = Task.CompletedTask;

    public IEnumerable<ReceivedWebhook> Delivered => Received.Where(r => r.AnsweredWith is >= 200 and < 300);

    public static async Task<Subscriber> StartAsync()
    {
        var app = TestKestrel.Create();
        Subscriber? subscriber = null;
        app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            var probe = new ReceivedWebhook(
                http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                http.Request.Headers["webhook-signature"].ToString(), buffer.ToArray(), 0);
            Interlocked.Increment(ref subscriber!.arrived);
            await subscriber.Gate;
            var (status, retryAfter, delay) = subscriber.Answer(probe);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }

            subscriber.Received.Enqueue(probe with { AnsweredWith = status });
            if (retryAfter is not null)
            {
                http.Response.Headers.RetryAfter = retryAfter;
            }

            http.Response.StatusCode = status;
            await http.Response.WriteAsync(status < 300 ? "thanks" : "not now");
        });
        await app.StartAsync();
        subscriber = new Subscriber(app);
        return subscriber;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
