using System.Net.Sockets;
using System.Text;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Delivery;

public sealed class SlowStreamClientTests
{
    [Fact]
    public async Task Stream_ClientThatStopsReading_IsDroppedInsteadOfBuffered()
    {
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Delivery:StreamWriteTimeout"] = "00:00:00.500",
            ["PbxHub:Delivery:StreamHeartbeat"] = "00:00:00.200",
        });
        var uri = new Uri(hub.BaseUrl);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await socket.ConnectAsync(uri.Host, uri.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"GET /api/v1/stream?lastEventId=0 HTTP/1.1\r\nHost: {uri.Authority}\r\nAuthorization: Bearer {HubServer.ApiKey}\r\n\r\n"));

        // Far more events (about 9 000, over 10 MB) than the socket buffers hold (4 MB), while the client reads nothing.
        var hooks = Enumerable.Range(0, 1500).SelectMany(i =>
            SipuniHooks.AnsweredInbound($"slow{i}", $"8916{i:D7}", "74951234567", "10" + (i % 10), 1_700_000_000 + i));
        await Parallel.ForEachAsync(hooks.Chunk(50), async (chunk, _) => await hub.Client.SendHooksAsync(hub.HookPath, chunk));

        // The hub gave up on the client: reading now reaches the end of what it had sent, then the end of the stream.
        var received = 0L;
        var buffer = new byte[65536];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer, deadline.Token)) > 0)
            {
                received += n;
            }
        }
        catch (SocketException)
        {
            // Reset by the hub: dropped all the same.
        }

        Assert.False(deadline.IsCancellationRequested, "the stream stayed open: the slow client was not dropped");
        using var log = await hub.Client.GetJsonAsync("/api/v1/calls?limit=1");
        Assert.True(received > 0, "nothing was sent before the client was dropped");
    }
}
