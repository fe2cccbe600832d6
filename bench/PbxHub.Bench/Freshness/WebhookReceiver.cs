using System.Diagnostics;
using PbxHub.Bench.Targets;

namespace PbxHub.Bench.Freshness;

/// <summary>
/// A webhook subscriber on 127.0.0.1 that answers <c>204</c> at once and notes when each call's first delivery
/// arrived: answered at once, that is the first attempt (the hub retries only what failed).
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication app;
    private long requests;

    private WebhookReceiver(WebApplication app) => this.app = app;

    public string Url => KestrelAddress.Of(app) + "/webhook";

    public Arrivals Arrivals { get; } = new();

    public long Requests => Interlocked.Read(ref requests);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var web = builder.Build();
        var receiver = new WebhookReceiver(web);
        web.MapPost("/webhook", (Delegate)receiver.ReceiveAsync);
        await web.StartAsync();
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpContext http)
    {
        var at = Stopwatch.GetTimestamp();
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        Interlocked.Increment(ref requests);
        if (Arrivals.CallIdOf(body.ToArray()) is { } callId)
        {
            Arrivals.Seen(callId, at);
        }

        return Results.NoContent();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
