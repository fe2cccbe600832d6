using System.Text.Json;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Delivery;

/// <summary>Signed webhooks to a real subscriber over real HTTP, checked with an independent verifier.</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly string[] ExampleQueries = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sipuni-transfer-example.txt"))
        .Where(line => line.Length > 0).Select(line => line[(line.IndexOf('?', StringComparison.Ordinal) + 1)..]).ToArray();

    private static readonly string ExampleCallId = StableIds.CallId(HubServer.AccountId, "1419783130.15593");

    [Fact]
    public async Task Deliver_SpecTransferExample_EveryEventSignedOnceInLogOrder()
    {
        await using var subscriber = await Subscriber.StartAsync();
        var (time, hub) = await FakeClock.StartHubAsync();
        await using var _ = hub;
        var (_, secret) = await hub.Client.SubscribeAsync(subscriber.Url);

        await hub.Client.SendHooksAsync(hub.HookPath, ExampleQueries);
        var expected = await hub.Client.EventIdsAsync(ExampleCallId);
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count >= expected.Count, $"{expected.Count} webhooks arrived");
        // Everything the dispatcher would send at this moment has been sent: a duplicate would be among them.
        await hub.DispatcherIdleAsync();

        var received = subscriber.Received.ToList();
        Assert.Equal(expected, received.Select(r => r.Id));
        Assert.Contains("call.transferred", received.Select(r => JsonDocument.Parse(r.Body).RootElement.Str("type")));
        foreach (var webhook in received)
        {
            Assert.True(StandardWebhooksVerifier.Verify(secret, webhook), $"signature of {webhook.Id} does not verify");
            using var body = JsonDocument.Parse(webhook.Body);
            Assert.Equal(webhook.Id, body.RootElement.Str("id"));
            Assert.Equal(ExampleCallId, body.RootElement.GetProperty("call").Str("id"));
            Assert.Equal("demo", body.RootElement.Str("account"));
            Assert.Equal(time.GetUtcNow().ToUnixTimeSeconds(), long.Parse(webhook.Timestamp, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Deliver_WrongSecret_IndependentVerifierRejects()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync();
        await hub.Client.SubscribeAsync(subscriber.Url);

        await hub.Client.SendHooksAsync(hub.HookPath, ExampleQueries.Take(1));
        await Webhooks.WaitUntilAsync(() => !subscriber.Received.IsEmpty, "a webhook arrived");

        var other = "whsec_" + Convert.ToBase64String(new byte[32]);
        Assert.False(StandardWebhooksVerifier.Verify(other, subscriber.Received.First()));
    }

    [Fact]
    public async Task Deliver_SubscriptionFilteredByType_OnlyThoseEvents()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var everything = await Subscriber.StartAsync();
        var (_, hub) = await FakeClock.StartHubAsync();
        await using var _ = hub;
        await hub.Client.SubscribeAsync(subscriber.Url, new { eventTypes = new[] { "call.ended", "call.answered" } });
        await hub.Client.SubscribeAsync(everything.Url);

        await hub.Client.SendHooksAsync(hub.HookPath, ExampleQueries);
        await AllOfTheCallOutAsync(hub, everything);

        var types = subscriber.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.Str("type")).ToList();
        Assert.Equal(["call.answered", "call.ended"], types);
    }

    [Fact]
    public async Task Deliver_SubscriptionOfAnotherAccount_ReceivesNothing()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var everything = await Subscriber.StartAsync();
        var (_, hub) = await FakeClock.StartHubAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = "other", ["PbxHub:Accounts:1:Provider"] = "sipuni", ["PbxHub:Accounts:1:Secret"] = "other-secret-1",
        });
        await using var _ = hub;
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url, new { accounts = new[] { "other" } });
        await hub.Client.SubscribeAsync(everything.Url);

        await hub.Client.SendHooksAsync(hub.HookPath, ExampleQueries);
        await AllOfTheCallOutAsync(hub, everything);

        Assert.Empty(subscriber.Received);
        using var log = await hub.Client.GetJsonAsync($"/api/v1/subscriptions/{id}/deliveries");
        Assert.Equal(0, log.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Deliver_Gone410_SubscriptionDisabledAndVisible()
    {
        await using var subscriber = await Subscriber.StartAsync();
        subscriber.Answer = _ => (410, null, TimeSpan.Zero);
        var (time, hub) = await FakeClock.StartHubAsync();
        await using var _ = hub;
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);

        await hub.Client.SendHooksAsync(hub.HookPath, ExampleQueries);
        var sub = await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}", s => !s.GetProperty("enabled").GetBoolean(), "the subscription is disabled");
        Assert.Contains("410", sub.Str("disabledReason"), StringComparison.Ordinal);
        // A day later, past every retry the schedule would have made: nothing more was sent.
        await hub.DispatcherIdleAsync();
        hub.Advance(time, TimeSpan.FromDays(1));
        await hub.DispatcherIdleAsync();
        Assert.Single(subscriber.Received);

        // The events stored while it was disabled asked for again, then re-enabled (docs/webhooks.md, "Disabling"): each
        // sent once, in order. The endpoint is fixed first: a 410 would disable the subscription again. Re-enabling wakes
        // the dispatcher.
        subscriber.Answer = _ => (204, null, TimeSpan.Zero);
        (await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/recover?since=2013-09-04T00:00:00Z", null)).EnsureSuccessStatusCode();
        var expected = await hub.Client.EventIdsAsync(ExampleCallId);
        await hub.DispatcherIdleAsync();
        Assert.Single(subscriber.Received);
        using var patch = await hub.Client.PatchAsync($"/api/v1/subscriptions/{id}", JsonContent(new { enabled = true }));
        patch.EnsureSuccessStatusCode();
        using var after = await patch.ReadJsonAsync();
        Assert.Null(after.RootElement.Str("disabledReason"));
        // Once nothing is in flight the clock moves on a minute, so a retry the schedule made after a transient fault (a
        // storage error on a loaded machine) comes too, and no request in flight runs into its timeout on the fake clock.
        for (var minute = 0; minute < 30 && subscriber.Delivered.Count() < expected.Count; minute++)
        {
            await hub.DispatcherIdleAsync();
            if (subscriber.Delivered.Count() < expected.Count)
            {
                hub.Advance(time, TimeSpan.FromMinutes(1));
            }
        }

        await hub.DispatcherIdleAsync();
        Assert.Equal(expected, subscriber.Delivered.Select(r => r.Id));
    }

    [Fact]
    public async Task Deliver_Redirect_IsAFailureNotFollowed()
    {
        await using var subscriber = await Subscriber.StartAsync();
        subscriber.Answer = _ => (307, null, TimeSpan.Zero);
        await using var hub = await HubServer.StartAsync();
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);

        await hub.Client.SendHooksAsync(hub.HookPath, ExampleQueries.Take(1));
        var log = await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}/deliveries",
            l => l.GetProperty("items").GetArrayLength() > 0 && l.GetProperty("items")[0].GetProperty("attempts").GetInt32() == 1, "one attempt logged");
        var delivery = log.GetProperty("items")[0];
        Assert.Equal("pending", delivery.Str("state"));
        Assert.Equal(307, delivery.GetProperty("attemptLog")[0].GetProperty("statusCode").GetInt32());
        Assert.Single(subscriber.Received);
    }

    /// <summary>
    /// Waits until a subscription to everything has received every event of the example call, then until the
    /// dispatcher has nothing left to do: every delivery those events made has been attempted by then.
    /// </summary>
    private static async Task AllOfTheCallOutAsync(HubServer hub, Subscriber everything)
    {
        var expected = await hub.Client.EventIdsAsync(ExampleCallId);
        await Webhooks.WaitUntilAsync(() => everything.Received.Count == expected.Count, $"the {expected.Count} events of the call delivered");
        await hub.DispatcherIdleAsync();
    }

    internal static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
