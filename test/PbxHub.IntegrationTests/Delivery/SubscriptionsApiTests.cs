using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Delivery;

public sealed class SubscriptionsApiTests
{
    private static StringContent Json(object value) => WebhookDeliveryTests.JsonContent(value);

    [Fact]
    public async Task Subscriptions_CreateListPatchDelete_SecretShownOnlyAtCreation()
    {
        await using var hub = await HubServer.StartAsync();
        using var created = await hub.Client.PostAsJsonAsync("/api/v1/subscriptions",
            new { url = "https://crm.example/hooks", eventTypes = new[] { "call.ended" }, description = "CRM" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var doc = await created.ReadJsonAsync();
        var id = doc.RootElement.Str("id")!;
        var secret = doc.RootElement.Str("secret")!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.InRange(Convert.FromBase64String(secret[6..]).Length, 24, 64);
        Assert.Equal($"/api/v1/subscriptions/{id}", created.Headers.Location?.OriginalString);

        using var list = await hub.Client.GetJsonAsync("/api/v1/subscriptions");
        var item = Assert.Single(list.RootElement.EnumerateArray());
        Assert.Equal(id, item.Str("id"));
        Assert.Null(item.Str("secret"));
        Assert.True(item.GetProperty("enabled").GetBoolean());
        Assert.Equal("CRM", item.Str("description"));
        Assert.Equal(["call.ended"], item.GetProperty("eventTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, item.GetProperty("accounts").GetArrayLength());

        using var patched = await hub.Client.PatchAsync($"/api/v1/subscriptions/{id}", Json(new { enabled = false, eventTypes = Array.Empty<string>() }));
        using var after = await patched.ReadJsonAsync();
        Assert.False(after.RootElement.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, after.RootElement.GetProperty("eventTypes").GetArrayLength());
        Assert.Equal("https://crm.example/hooks", after.RootElement.Str("url"));
        Assert.Null(after.RootElement.Str("secret"));

        Assert.Equal(HttpStatusCode.NoContent, (await hub.Client.DeleteAsync($"/api/v1/subscriptions/{id}")).StatusCode);
        await HttpJson.AssertProblemAsync(await hub.Client.GetAsync($"/api/v1/subscriptions/{id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"url": "ftp://x.example/"}""", "url")]
    [InlineData("""{"url": "not a url"}""", "url")]
    [InlineData("""{}""", "url")]
    [InlineData("""{"url": "https://x.example/", "eventTypes": ["call.exploded"]}""", "eventTypes")]
    [InlineData("""{"url": "https://x.example/", "accounts": ["nobody"]}""", "accounts")]
    [InlineData("""{"url": "https://x.example/", "description": "a\u0000b"}""", "description")]
    public async Task Subscriptions_InvalidInput_ValidationProblemNamingTheField(string body, string field)
    {
        await using var hub = await HubServer.StartAsync();
        using var response = await hub.Client.PostAsync("/api/v1/subscriptions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        using var problem = await HttpJson.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Fact]
    public async Task RotateSecret_DuringGrace_BothSignaturesThenOnlyTheNew()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync(configure: b => b.Services.AddSingleton<TimeProvider>(time));
        var (id, oldSecret) = await hub.Client.SubscribeAsync(subscriber.Url);
        using var rotated = await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/rotate-secret?grace=3600", null);
        using var doc = await rotated.ReadJsonAsync();
        var newSecret = doc.RootElement.Str("secret")!;
        Assert.NotEqual(oldSecret, newSecret);

        var start = time.GetUtcNow().ToUnixTimeSeconds();
        await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("rot1", "89161234567", "74951234567", start)]);
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count == 1, "a webhook during the grace period");
        var during = subscriber.Received.Single();
        Assert.Equal(2, during.Signature.Split(' ').Length);
        Assert.True(StandardWebhooksVerifier.Verify(newSecret, during));
        Assert.True(StandardWebhooksVerifier.Verify(oldSecret, during));

        await hub.Client.WaitForRecordedAttemptsAsync(id, 1);
        time.Advance(TimeSpan.FromHours(2));
        await hub.Client.SendHooksAsync(hub.HookPath, [SipuniHooks.Arrival("rot2", "89161234567", "74951234567", start + 7200)]);
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count == 2, "a webhook after the grace period");
        var after = subscriber.Received.Last();
        Assert.Single(after.Signature.Split(' '));
        Assert.True(StandardWebhooksVerifier.Verify(newSecret, after));
        Assert.False(StandardWebhooksVerifier.Verify(oldSecret, after));
    }

    [Fact]
    public async Task TestEvent_ReachableEndpoint_ReportsTheAnswerSigned()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync();
        var (id, secret) = await hub.Client.SubscribeAsync(subscriber.Url);

        using var response = await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/test", null);
        using var doc = await response.ReadJsonAsync();
        Assert.True(doc.RootElement.GetProperty("delivered").GetBoolean());
        Assert.Equal(200, doc.RootElement.GetProperty("statusCode").GetInt32());
        Assert.Equal("thanks", doc.RootElement.Str("response"));
        var webhook = Assert.Single(subscriber.Received);
        Assert.True(StandardWebhooksVerifier.Verify(secret, webhook));
        Assert.Equal("webhook.test", System.Text.Json.JsonDocument.Parse(webhook.Body).RootElement.Str("type"));
    }

    [Fact]
    public async Task TestEvent_EndpointDown_ReportsTheError()
    {
        await using var hub = await HubServer.StartAsync();
        var (id, _) = await hub.Client.SubscribeAsync($"http://127.0.0.1:{HubProcess.FreePort()}/nothing-here");
        using var doc = await (await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/test", null)).ReadJsonAsync();
        Assert.False(doc.RootElement.GetProperty("delivered").GetBoolean());
        Assert.False(string.IsNullOrEmpty(doc.RootElement.Str("error")));
    }

    [Fact]
    public async Task DeliveryLog_ResendAndRecover_SendAgainWithTheSameWebhookId()
    {
        await using var subscriber = await Subscriber.StartAsync();
        await using var hub = await HubServer.StartAsync();
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url, new { eventTypes = new[] { "call.ended" } });
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("log1", "89161234567", "74951234567", "101", 1_700_000_000));
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count == 1, "the call.ended webhook");
        var log = await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}/deliveries",
            l => l.GetProperty("items").GetArrayLength() == 1 && l.GetProperty("items")[0].Str("state") == "delivered", "the delivery logged");
        var delivery = log.GetProperty("items")[0];
        Assert.Equal("call.ended", delivery.Str("eventType"));
        Assert.Equal(StableIds.CallId("demo", "log1"), delivery.Str("callId"));
        var attempt = Assert.Single(delivery.GetProperty("attemptLog").EnumerateArray());
        Assert.Equal(200, attempt.GetProperty("statusCode").GetInt32());
        Assert.True(attempt.GetProperty("durationMs").GetInt64() >= 0);
        Assert.Equal("thanks", attempt.Str("response"));

        var deliveryId = delivery.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Accepted, (await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/deliveries/{deliveryId}/resend", null)).StatusCode);
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count == 2, "the resent webhook");
        Assert.Equal(subscriber.Received.First().Id, subscriber.Received.Last().Id);

        using var recover = await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/recover?since=2023-11-14T00:00:00Z", null);
        Assert.Equal(HttpStatusCode.Accepted, recover.StatusCode);
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count == 3, "the recovered webhook");
        Assert.Single(subscriber.Received.Select(r => r.Id).Distinct());

        await HttpJson.AssertProblemAsync(await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/recover?since=yesterday", null), HttpStatusCode.BadRequest);
        await HttpJson.AssertProblemAsync(await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/deliveries/999999/resend", null), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Resend_WhileTheDeliveryIsInFlight_SentAgainAfterTheAttemptAndBothAttemptsLogged()
    {
        await using var subscriber = await Subscriber.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first request is answered 200, but only after the resend below was asked for.
        subscriber.Answer = _ => arrived.TrySetResult() ? (200, null, TimeSpan.FromSeconds(2)) : (200, null, TimeSpan.Zero);
        await using var hub = await HubServer.StartAsync();
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url, new { eventTypes = new[] { "call.ended" } });
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("inflight1", "89161234567", "74951234567", "101", 1_700_000_000));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        using var inFlight = await hub.Client.GetJsonAsync($"/api/v1/subscriptions/{id}/deliveries");
        var deliveryId = inFlight.RootElement.GetProperty("items")[0].GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Accepted, (await hub.Client.PostAsync($"/api/v1/subscriptions/{id}/deliveries/{deliveryId}/resend", null)).StatusCode);

        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count == 2, "the resent webhook after the one in flight");
        Assert.Single(subscriber.Received.Select(r => r.Id).Distinct());
        var log = await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}/deliveries",
            l => l.GetProperty("items")[0].Str("state") == "delivered" && l.GetProperty("items")[0].GetProperty("attempts").GetInt32() == 2,
            "the delivery logged with both attempts");
        var attempts = log.GetProperty("items")[0].GetProperty("attemptLog").EnumerateArray().ToList();
        Assert.Equal([1, 2], attempts.Select(a => a.GetProperty("attempt").GetInt32()));
        Assert.All(attempts, a => Assert.Equal(200, a.GetProperty("statusCode").GetInt32()));
    }
}
