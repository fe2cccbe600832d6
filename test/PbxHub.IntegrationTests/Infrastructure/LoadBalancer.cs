using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PbxHub.IntegrationTests.Infrastructure;

/// <summary>A request the balancer forwarded and a node acknowledged (answered 2xx), with the body of that answer.</summary>
internal sealed record AckedHook(string Path, string Method, string? ContentType, string Query, byte[] Body, string? Authorization, string Answer);

/// <summary>
/// A stand-in for nginx in front of several nodes: each request goes to a node picked at random, so the
/// events of one call land on different nodes. A node that does not answer gets a 502, as nginx would give.
/// </summary>
internal sealed class LoadBalancer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpClient http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(10) };

    private LoadBalancer(WebApplication app)
    {
        this.app = app;
        Url = TestKestrel.BaseUrl(app);
    }

    public string Url { get; }

    /// <summary>The nodes' base URLs; replace one when a node restarts on another port.</summary>
    public string[] Nodes { get; set; } = [];

    public ConcurrentQueue<AckedHook> Acked { get; } = new();

    public static async Task<LoadBalancer> StartAsync()
    {
        var app = TestKestrel.Create();
        LoadBalancer? balancer = null;
        app.Run(http => balancer!.ForwardAsync(http));
        await app.StartAsync();
        balancer = new LoadBalancer(app);
        return balancer;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var nodes = Nodes;
        var node = nodes[Random.Shared.Next(nodes.Length)];
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), node + context.Request.Path + context.Request.QueryString);
        if (context.Request.Method != "GET")
        {
            request.Content = new ByteArrayContent(body);
            if (context.Request.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        try
        {
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadAsByteArrayAsync();
            if (response.IsSuccessStatusCode)
            {
                Acked.Enqueue(new AckedHook(
                    context.Request.Path, context.Request.Method, context.Request.ContentType,
                    context.Request.QueryString.HasValue ? context.Request.QueryString.Value![1..] : "", body, authorization.Length > 0 ? authorization : null,
                    System.Text.Encoding.UTF8.GetString(answer)));
            }

            context.Response.StatusCode = (int)response.StatusCode;
            context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
            await context.Response.Body.WriteAsync(answer);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            context.Response.StatusCode = 502;
        }
    }

    public async ValueTask DisposeAsync()
    {
        http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
