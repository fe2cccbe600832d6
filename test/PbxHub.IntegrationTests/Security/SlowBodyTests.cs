using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PbxHub.IntegrationTests.Fuzzing;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Security;

/// <summary>A body that trickles in slower than Kestrel's minimum data rate: 408 and a quiet log, not a 500 and a stack trace.</summary>
public sealed class SlowBodyTests
{
    [Theory]
    [InlineData("hook")]
    [InlineData("api")]
    public async Task Post_BodySlowerThanMinimumRate_408ProblemAndNoErrorLogged(string surface)
    {
        var logs = new CapturedLogs();
        await using var hub = await HubServer.StartAsync(configure: builder =>
        {
            logs.AddTo(builder);
            // Kestrel's default grace is 5 s; 2 s keeps the test short with the same check.
            builder.WebHost.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(2)));
        });
        var (path, body) = surface == "hook"
            ? (hub.HookPath, SipuniHooks.Arrival("slow-1", "89031234567", "84951234567", 1_700_000_000))
            : ("/api/v1/subscriptions", """{"url": "https://example.com/hook"}""");
        var uri = new Uri(hub.BaseUrl);
        using var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {uri.Authority}\r\nAuthorization: Bearer {HubServer.ApiKey}\r\n" +
            $"Content-Type: {(surface == "hook" ? "application/x-www-form-urlencoded" : "application/json")}\r\nContent-Length: {body.Length + 4000}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + body[..10]));

        // Nothing more is sent: the answer must come from the hub's rate check, not from the client giving up.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var response = await ReadToEndAsync(stream, cts.Token);
        Assert.StartsWith("HTTP/1.1 408 ", response, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", response, StringComparison.Ordinal);
        Assert.Empty(logs.Unhandled);
        using var calls = await hub.Client.GetJsonAsync("/api/v1/calls");
        Assert.Equal(0, calls.RootElement.GetProperty("items").GetArrayLength());
    }

    private static async Task<string> ReadToEndAsync(NetworkStream stream, CancellationToken ct)
    {
        var text = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            text.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
