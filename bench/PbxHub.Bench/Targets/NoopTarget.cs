namespace PbxHub.Bench.Targets;

/// <summary>The ceiling: Kestrel and routing on the same hook route, answering <c>{"success": true}</c> and nothing else.</summary>
internal sealed class NoopTarget(WebApplication app) : ITarget
{
    private static readonly byte[] Success = """{"success": true}"""u8.ToArray();

    public string Name => "no-op";

    public string HookUrl { get; } = KestrelAddress.Of(app) + "/hooks/demo/s3cret";

    public static async Task<NoopTarget> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapMethods("/hooks/{accountId}/{secret}", ["GET", "POST"], (HttpContext http) =>
        {
            http.Response.StatusCode = 200;
            http.Response.ContentType = "application/json";
            return http.Response.Body.WriteAsync(Success).AsTask();
        });
        await app.StartAsync();
        return new NoopTarget(app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
