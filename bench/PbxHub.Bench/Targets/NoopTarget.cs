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

    public static async Task<NoopTarget> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapMethods("/hooks/{accountId}/{secret}", ["GET", "POST"], Answer);
        app.MapPost("/hooks/{accountId}", Answer);
        await app.StartAsync();
        return new NoopTarget(app);
    }

    private static Task Answer(HttpContext http)
    {
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        return http.Response.Body.WriteAsync(Success).AsTask();
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
