using System.Net;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Delivery;

/// <summary>
/// A recovery queues every event of what was acknowledged before it was asked (docs/webhooks.md, "Resend and recover"):
/// events are written by the fold just after the acknowledgement, and a recovery waits for it as a read of records does.
/// </summary>
public sealed class RecoverFreshTests
{
    [PostgresFact]
    public async Task Recover_HookAcknowledgedWhoseFoldIsStillWaiting_ItsEventsQueuedAndDelivered()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync();
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        using (var off = await hub.Client.PatchAsync($"/api/v1/subscriptions/{id}", WebhookDeliveryTests.JsonContent(new { enabled = false })))
        {
            off.EnsureSuccessStatusCode();
        }

        HttpResponseMessage recovered;
        await using (var hold = await FoldHold.StartAsync(hub))
        {
            // The hook is acknowledged, its fold waits at its commit.
            using var hook = await hub.Client.GetAsync($"{hub.HookPath}?{SipuniHooks.Arrival("late-fold", "89031234567", "84951234567", 1_700_000_000)}");
            Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
            await hold.FoldWaitingAsync();
            // A recover that does not wait for the fold answers at once, without the hook's events.
            var recovering = hub.Client.PostAsync($"/api/v1/subscriptions/{id}/recover?since=2023-01-01T00:00:00Z", null);
            await Task.WhenAny(recovering, Task.Delay(TimeSpan.FromSeconds(1)));
            await hold.ReleaseAsync();
            recovered = await recovering;
        }

        using (recovered)
        {
            Assert.Equal(HttpStatusCode.Accepted, recovered.StatusCode);
            using var accepted = await recovered.ReadJsonAsync();
            var expected = await hub.Client.EventIdsAsync(StableIds.CallId(HubServer.AccountId, "late-fold"));
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Count, accepted.RootElement.GetProperty("scheduled").GetInt32());

            using var on = await hub.Client.PatchAsync($"/api/v1/subscriptions/{id}", WebhookDeliveryTests.JsonContent(new { enabled = true }));
            on.EnsureSuccessStatusCode();
            await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Count() >= expected.Count, $"the {expected.Count} recovered events delivered");
            Assert.Equal(expected, subscriber.Delivered.Select(r => r.Id));
        }
    }
}
