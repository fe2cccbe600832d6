using System.Net;
using System.Net.Sockets;

namespace PbxHub.Bench.Targets;

/// <summary>
/// A webhook subscriber the hub delivers to while it ingests: none, one that answers after a delay
/// (a Kestrel endpoint on 127.0.0.1), or one that is down (a port on 127.0.0.1 nobody listens on).
/// </summary>
internal sealed class Subscriber : IAsyncDisposable
{
    public static readonly string[] Kinds = ["none", "slow", "down"];

    private readonly WebApplication? app;
    private long received;

    private Subscriber(string kind, string? url, WebApplication? app)
    {
        Kind = kind;
        Url = url;
        this.app = app;
    }

    public string Kind { get; }

    /// <summary>Where the subscription points; null for none.</summary>
    public string? Url { get; }

    /// <summary>Deliveries that reached the slow subscriber (counted when they arrive, before the delay).</summary>
    public long Received => Interlocked.Read(ref received);

    public static async Task<Subscriber> StartAsync(string kind, TimeSpan delay)
    {
        switch (kind)
        {
            case "none":
                return new Subscriber(kind, null, null);
            case "down":
                return new Subscriber(kind, $"http://127.0.0.1:{ClosedPort()}/webhook", null);
            default:
                var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                var web = builder.Build();
                Subscriber? subscriber = null;
                web.MapPost("/webhook", async (HttpContext http) =>
                {
                    Interlocked.Increment(ref subscriber!.received);
                    await Task.Delay(delay, http.RequestAborted);
                    return Results.NoContent();
                });
                await web.StartAsync();
                subscriber = new Subscriber(kind, KestrelAddress.Of(web) + "/webhook", web);
                return subscriber;
        }
    }

    /// <summary>A port that was free a moment ago and is closed now: connections to it are refused.</summary>
    private static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
