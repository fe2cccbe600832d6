using PbxHub.Bench.Traffic;

namespace PbxHub.Bench.Targets;

/// <summary>The ceiling: Kestrel and routing on the same hook routes (with and without the secret), answering <c>{"success": true}</c> and nothing else.</summary>
internal sealed class NoopTarget(WebApplication app) : ITarget
{
    private static readonly byte[] Success = """{"success": true}"""u8.ToArray();

    public string Name => "no-op";

    private readonly string address = KestrelAddress.Of(app);

    public string HookUrl(BenchProvider provider) => address + (provider.SecretInPath ? "/hooks/demo/s3cret" : "/hooks/demo");

    public IReadOnlyDictionary<string, string> Headers(BenchProvider provider) => new Dictionary<string, string>();

    /// <summary>Started on Kestrel at <paramref name="url"/> (default: a free port on 127.0.0.1).</summary>
    public static async Task<NoopTarget> StartAsync(string url = "http://127.0.0.1:0")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapMethods("/hooks/{accountId}/{secret}", ["GET", "POST"], Answer);
        app.MapPost("/hooks/{accountId}", Answer);
        app.MapGet("/readyz", () => Results.Ok(new { status = "ready" }));
        await app.StartAsync();
        return new NoopTarget(app);
    }

    private static Task Answer(HttpContext http)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        return http.Response.Body.WriteAsync(Success).AsTask();
    }

    /// <summary>Until the process is asked to stop (SIGTERM, Ctrl+C): <c>serve-noop</c>, the no-op as its own process.</summary>
    public Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
