using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Delivery;

/// <summary>
/// Deliveries keep flowing while their attempts wait to be written: the subscriber's requests are bounded by how many
/// may be in flight to it, not by the database's write lock (docs/webhooks.md, "How fast deliveries go").
/// </summary>
public sealed class DispatchThroughputTests
{
    [Fact]
    public async Task Dispatch_DatabaseBusyWhileAttemptsFinish_EveryFirstAttemptStillSentAndLoggedOnce()
    {
        await using var subscriber = await Subscriber.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.Gate = gate.Task;
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Delivery:MaxConcurrencyPerSubscription"] = "2",
        });
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        const int calls = 10;
        await hub.Client.SendHooksAsync(hub.HookPath, Enumerable.Range(0, calls).Select(i => SipuniHooks.Arrival($"busy{i}", $"8916{i:D7}", "74951234567", 1_700_000_000 + i)));
        await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}/deliveries", l => l.GetProperty("items").GetArrayLength() == calls, "every call's delivery queued");
        await Webhooks.WaitUntilAsync(() => subscriber.Arrived == 2, "two requests in flight, the subscription's limit");

        // The attempts of the two can now not be written until the test lets go of the database.
        await using (var blocker = await AttemptWrites.BlockAsync(hub.DataDirectory))
        {
            gate.SetResult();
            await Webhooks.WaitUntilAsync(
                () => subscriber.Delivered.Select(r => r.Id).Distinct().Count() == calls, $"all {calls} first attempts sent while the database was busy");
        }

        var log = await hub.Client.WaitForJsonAsync(
            $"/api/v1/subscriptions/{id}/deliveries?limit=1000",
            l => l.GetProperty("items").EnumerateArray().All(d => d.Str("state") == "delivered"),
            "every delivery recorded as delivered");
        await hub.DispatcherIdleAsync();
        Assert.Equal(calls, subscriber.Received.Count);
        Assert.All(log.GetProperty("items").EnumerateArray(), d => Assert.Equal(1, d.GetProperty("attemptLog").GetArrayLength()));
    }

    [Fact]
    public async Task Dispatch_BurstOfCallsToASlowSubscriber_EveryEventInCallOrderEachAttemptLogged()
    {
        await using var subscriber = await Subscriber.StartAsync();
        subscriber.Answer = _ => (200, null, TimeSpan.FromMilliseconds(20));
        await using var hub = await HubServer.StartAsync();
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        var callIds = Enumerable.Range(0, 40).Select(i => $"burst{i}").ToList();
        await hub.Client.SendHooksAsync(
            hub.HookPath, callIds.SelectMany((c, i) => SipuniHooks.AnsweredInbound(c, $"8916{i:D7}", "74951234567", "101", 1_700_000_000 + i)));
        var expected = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var call in callIds.Select(c => StableIds.CallId(HubServer.AccountId, c)))
        {
            expected[call] = await hub.Client.EventIdsAsync(call);
        }

        var total = expected.Values.Sum(e => e.Count);
        var log = await hub.Client.WaitForJsonAsync(
            $"/api/v1/subscriptions/{id}/deliveries?limit=1000",
            l => l.GetProperty("items").GetArrayLength() == total && l.GetProperty("items").EnumerateArray().All(d => d.Str("state") == "delivered"),
            $"all {total} deliveries recorded as delivered");
        await hub.DispatcherIdleAsync();

        var received = subscriber.Received.Select(r => (r.Id, Call: CallOf(r))).ToList();
        Assert.Equal(total, received.Count);
        foreach (var (call, events) in expected)
        {
            Assert.Equal(events, received.Where(r => r.Call == call).Select(r => r.Id));
        }

        Assert.All(log.GetProperty("items").EnumerateArray(), d =>
        {
            Assert.Equal(1, d.GetProperty("attempts").GetInt32());
            var attempt = Assert.Single(d.GetProperty("attemptLog").EnumerateArray());
            Assert.Equal(200, attempt.GetProperty("statusCode").GetInt32());
        });
    }

    private static string CallOf(ReceivedWebhook webhook)
    {
        using var body = JsonDocument.Parse(webhook.Body);
        return body.RootElement.GetProperty("call").Str("id")!;
    }
}
