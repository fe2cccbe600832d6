using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace PbxHub.Simulation.Emulators;

/// <summary>A request a stand-in received, kept so tests can assert exactly what was sent.</summary>
internal sealed record ReceivedRequest(string Method, string Path, string? Authorization, string? ContentType, string Body);

/// <summary>A small Kestrel app standing in for a provider's API, recording every request it receives.</summary>
internal sealed class EmulatorHost : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> received;

    private EmulatorHost(WebApplication app, ConcurrentQueue<ReceivedRequest> received)
    {
        App = app;
        this.received = received;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public WebApplication App { get; }

    /// <summary>Where the stand-in listens, without a trailing slash.</summary>
    public string BaseUrl { get; }

    /// <summary>Every request received so far, in order.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. received];

    /// <param name="url">Where to listen, e.g. <c>http://127.0.0.1:0</c> (any free port).</param>
    public static async Task<EmulatorHost> StartAsync(string url, Action<WebApplication> map, bool quiet = true)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(quiet ? LogLevel.Warning : LogLevel.Information);
        builder.Services.AddHttpClient();
        var app = builder.Build();
        var received = new ConcurrentQueue<ReceivedRequest>();
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            received.Enqueue(new ReceivedRequest(
                context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.ContentType, body));
            await next(context);
        });
        map(app);
        await app.StartAsync();
        return new EmulatorHost(app, received);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
