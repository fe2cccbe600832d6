using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Delivery;

public sealed class FairnessTests
{
    [Fact]
    public async Task Dispatch_OneSubscriberSlowWithABacklog_OthersAreNotHeldUp()
    {
        await using var slow = await Subscriber.StartAsync();
        slow.Answer = _ => (200, null, TimeSpan.FromSeconds(3));
        await using var fast = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Delivery:MaxConcurrency"] = "4",
            ["PbxHub:Delivery:MaxConcurrencyPerSubscription"] = "2",
        });
        await hub.Client.SubscribeAsync(slow.Url);
        await hub.Client.SubscribeAsync(fast.Url, new { eventTypes = new[] { "call.started" } });

        // Thirty calls: the slow subscriber has far more due than it can take, for a long while.
        var calls = Enumerable.Range(0, 30).SelectMany(i => SipuniHooks.AnsweredInbound($"fair{i}", $"8916{i:D7}", "74951234567", "101", 1_700_000_000 + i));
        await hub.Client.SendHooksAsync(hub.HookPath, calls);

        await Webhooks.WaitUntilAsync(() => fast.Delivered.Count() == 30, "every call.started at the fast subscriber while the slow one lags", seconds: 15);
        Assert.True(slow.Received.Count < 30, $"the slow subscriber already had {slow.Received.Count}: the test proves nothing");
    }

    [Fact]
    public async Task Patch_DescriptionOfADisabledSubscription_StaysDisabledWithItsReason()
    {
        await using var subscriber = await Subscriber.StartAsync();
        subscriber.Answer = _ => (410, null, TimeSpan.Zero);
        await using var hub = await HubServer.StartAsync();
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("p1", "89161234567", "74951234567", 1_700_000_000)]);
        await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}", s => !s.GetProperty("enabled").GetBoolean(), "disabled by the 410");

        using var patched = await hub.Client.PatchAsync($"/api/v1/subscriptions/{id}", WebhookDeliveryTests.JsonContent(new { description = "CRM (old endpoint)" }));
        using var doc = await patched.ReadJsonAsync();

        Assert.False(doc.RootElement.GetProperty("enabled").GetBoolean());
        Assert.Contains("410", doc.RootElement.Str("disabledReason"), StringComparison.Ordinal);
        Assert.Equal("CRM (old endpoint)", doc.RootElement.Str("description"));
    }
}
