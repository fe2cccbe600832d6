using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Delivery;

/// <summary><c>GET /api/v1/stream</c> over real HTTP: live events, resume with Last-Event-ID, filters, many clients.</summary>
public sealed class StreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static string[] Call(string id, long start) => SipuniHooks.AnsweredInbound(id, "89161234567", "74951234567", "101", start);

    private static string EventIdOf(SseMessage m) => JsonDocument.Parse(m.Data).RootElement.Str("id")!;

    [Fact]
    public async Task Stream_DisconnectAndResumeWithLastEventId_GivesExactlyTheMissedEvents()
    {
        await using var hub = await HubServer.StartAsync();
        var first = await SseClient.ConnectAsync(hub.Client, "/api/v1/stream");
        await hub.Client.SendHooksAsync(hub.HookPath, Call("sse1", 1_700_000_000));
        var expected1 = await hub.Client.EventIdsAsync(StableIds.CallId("demo", "sse1"));
        var got1 = await first.TakeAsync(expected1.Count, Patience);
        await first.DisposeAsync();
        Assert.Equal(expected1, got1.Select(EventIdOf));
        Assert.All(got1, m => Assert.Equal(JsonDocument.Parse(m.Data).RootElement.Str("type"), m.Event));

        // Missed while disconnected.
        await hub.Client.SendHooksAsync(hub.HookPath, Call("sse2", 1_700_000_100));
        await hub.Client.SendHooksAsync(hub.HookPath, Call("sse3", 1_700_000_200));
        var missed = (await hub.Client.EventIdsAsync(StableIds.CallId("demo", "sse2")))
            .Concat(await hub.Client.EventIdsAsync(StableIds.CallId("demo", "sse3"))).ToList();

        await using var resumed = await SseClient.ConnectAsync(hub.Client, "/api/v1/stream", lastEventId: got1[^1].Id);
        var got2 = await resumed.TakeAsync(missed.Count, Patience);
        Assert.Equal(missed, got2.Select(EventIdOf));
        Assert.Null(await resumed.NextAsync(TimeSpan.FromMilliseconds(700)));

        // And it stays live.
        await hub.Client.SendHooksAsync(hub.HookPath, Call("sse4", 1_700_000_300));
        var live = await hub.Client.EventIdsAsync(StableIds.CallId("demo", "sse4"));
        Assert.Equal(live, (await resumed.TakeAsync(live.Count, Patience)).Select(EventIdOf));
    }

    [Fact]
    public async Task Stream_FilteredByTypeAndAccount_OnlyMatchingEvents()
    {
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = "other", ["PbxHub:Accounts:1:Provider"] = "sipuni", ["PbxHub:Accounts:1:Secret"] = "other-secret-1",
        });
        await using var ended = await SseClient.ConnectAsync(hub.Client, "/api/v1/stream?type=call.ended&type=call.answered&account=demo");
        await using var other = await SseClient.ConnectAsync(hub.Client, "/api/v1/stream?account=other");
        await hub.Client.SendHooksAsync(hub.HookPath, Call("f1", 1_700_000_000));

        var got = await ended.TakeAsync(2, Patience);
        Assert.Equal(["call.answered", "call.ended"], got.Select(m => m.Event));
        Assert.Null(await ended.NextAsync(TimeSpan.FromMilliseconds(500)));
        Assert.Null(await other.NextAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task Stream_TwentyClientsAtOnce_EachGetsEveryEvent()
    {
        await using var hub = await HubServer.StartAsync();
        var clients = new List<SseClient>();
        for (var i = 0; i < 20; i++)
        {
            clients.Add(await SseClient.ConnectAsync(hub.Client, "/api/v1/stream"));
        }

        await hub.Client.SendHooksAsync(hub.HookPath, Call("many", 1_700_000_000));
        var expected = await hub.Client.EventIdsAsync(StableIds.CallId("demo", "many"));
        var results = await Task.WhenAll(clients.Select(c => c.TakeAsync(expected.Count, Patience)));
        Assert.All(results, r => Assert.Equal(expected, r.Select(EventIdOf)));
        foreach (var c in clients)
        {
            await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stream_Idle_SendsHeartbeatComments()
    {
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string> { ["PbxHub:Delivery:StreamHeartbeat"] = "00:00:00.200" });
        using var response = await hub.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var heartbeats = 0;
        while (heartbeats < 2 && await reader.ReadLineAsync(cts.Token) is { } line)
        {
            heartbeats += line.StartsWith(": heartbeat", StringComparison.Ordinal) ? 1 : 0;
        }

        Assert.Equal(2, heartbeats);
    }

    [Fact]
    public async Task Stream_BadLastEventId_ProblemDetails()
    {
        await using var hub = await HubServer.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream");
        request.Headers.Add("Last-Event-ID", "evt_nonsense");
        using var response = await hub.Client.SendAsync(request);
        await HttpJson.AssertProblemAsync(response, System.Net.HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Stream_WithoutApiKey_Unauthorized()
    {
        await using var hub = await HubServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(hub.BaseUrl) };
        using var response = await anonymous.GetAsync("/api/v1/stream");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
