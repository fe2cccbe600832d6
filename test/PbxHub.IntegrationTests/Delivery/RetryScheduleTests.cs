using Microsoft.Extensions.Time.Testing;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Delivery;

/// <summary>Retries on the documented schedule, driven by a fake clock rather than real waiting.</summary>
public sealed class RetryScheduleTests
{
    private static readonly TimeSpan[] Schedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    private static string[] OneCall(string callId, long start) =>
        SipuniHooks.AnsweredInbound(callId, "89161234567", "74951234567", "101", start);

    private static Task<(FakeTimeProvider Time, HubServer Hub)> StartAsync() => FakeClock.StartHubAsync();

    [Fact]
    public async Task Dispatch_SubscriberAnswers500_AttemptsFollowTheScheduleThenGiveUp()
    {
        await using var subscriber = await Subscriber.StartAsync();
        subscriber.Answer = _ => (500, null, TimeSpan.Zero);
        var (time, hub) = await StartAsync();
        await using var _ = hub;
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        await hub.Client.SendHooksAsync(hub.HookPath, OneCall("s500", time.GetUtcNow().ToUnixTimeSeconds()));
        var first = (await hub.Client.EventIdsAsync(StableIds.CallId("demo", "s500")))[0];
        int AttemptsOfFirst() => subscriber.Received.Count(r => r.Id == first);

        // The clock moves only once the hub has recorded an attempt: moving it while a request is in flight would time it out.
        async Task AttemptRecordedAsync(int n) => await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}/deliveries",
            l => l.GetProperty("items").EnumerateArray().Any(d => d.Str("eventId") == first && d.GetProperty("attempts").GetInt32() == n),
            $"attempt {n} recorded");

        await Webhooks.WaitUntilAsync(() => AttemptsOfFirst() == 1, "the first attempt, at once");
        await AttemptRecordedAsync(1);
        foreach (var (delay, n) in Schedule.Select((d, i) => (d, i + 2)))
        {
            hub.Advance(time, delay * 0.8 - TimeSpan.FromSeconds(1));
            await hub.DispatcherIdleAsync();
            Assert.True(AttemptsOfFirst() == n - 1, $"attempt {n} came before 80 % of its {delay} delay");
            hub.Advance(time, delay * 0.4 + TimeSpan.FromSeconds(2));
            await Webhooks.WaitUntilAsync(() => AttemptsOfFirst() == n, $"attempt {n} within 120 % of {delay}");
            await AttemptRecordedAsync(n);
        }

        hub.Advance(time, TimeSpan.FromHours(24));
        await hub.DispatcherIdleAsync();
        Assert.Equal(8, AttemptsOfFirst());
        var log = await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}/deliveries",
            l => l.GetProperty("items").EnumerateArray().Any(d => d.Str("eventId") == first && d.Str("state") == "failed"), "the first delivery given up");
        var delivery = log.GetProperty("items").EnumerateArray().Single(d => d.Str("eventId") == first);
        Assert.Equal(8, delivery.GetProperty("attempts").GetInt32());
        Assert.All(delivery.GetProperty("attemptLog").EnumerateArray(), a => Assert.Equal(500, a.GetProperty("statusCode").GetInt32()));
        Assert.Equal("not now", delivery.GetProperty("attemptLog")[0].Str("response"));

        // Given up, the first event no longer holds back the rest of its call.
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Any(r => r.Id != first), "the call's next event tried after giving up");
    }

    [Fact]
    public async Task Dispatch_SubscriberDownThenUp_EverythingDeliveredInOrderPerCall()
    {
        await using var subscriber = await Subscriber.StartAsync();
        var down = true;
        subscriber.Answer = _ => (down ? 503 : 200, null, TimeSpan.Zero);
        var (time, hub) = await StartAsync();
        await using var _ = hub;
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        var start = time.GetUtcNow().ToUnixTimeSeconds();
        await hub.Client.SendHooksAsync(hub.HookPath, OneCall("down1", start).Concat(SipuniHooks.MissedInbound("down2", "89169999999", "74951234567", "102", start)));
        var calls = new[] { StableIds.CallId("demo", "down1"), StableIds.CallId("demo", "down2") };
        var expected = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var call in calls)
        {
            expected[call] = await hub.Client.EventIdsAsync(call);
        }

        // While down, only the first event of each call is tried: the later ones wait their turn.
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count >= 2, "one attempt per call");
        await hub.DispatcherIdleAsync();
        Assert.Equal(2, subscriber.Received.Count);
        Assert.Equal(calls.Select(c => expected[c][0]).Order(), subscriber.Received.Select(r => r.Id).Order());

        await hub.Client.WaitForRecordedAttemptsAsync(id, 2);
        down = false;
        hub.Advance(time, TimeSpan.FromSeconds(7));
        var total = expected.Values.Sum(v => v.Count);
        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Count() == total, $"all {total} events delivered");
        foreach (var call in calls)
        {
            var delivered = subscriber.Delivered.Select(r => r.Id).Where(expected[call].Contains).ToList();
            Assert.Equal(expected[call], delivered);
        }
    }

    [Fact]
    public async Task Dispatch_FirstEventOfACallWaitsForARetry_LaterEventsShowThatRetryAsTheirNextAttempt()
    {
        await using var subscriber = await Subscriber.StartAsync();
        var down = true;
        subscriber.Answer = _ => (down ? 503 : 200, null, TimeSpan.Zero);
        var (time, hub) = await StartAsync();
        await using var _ = hub;
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        var events = OneCall("wait1", time.GetUtcNow().ToUnixTimeSeconds());
        await hub.Client.SendHooksAsync(hub.HookPath, events.Take(2));
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count >= 1, "the first event tried");
        await hub.Client.WaitForRecordedAttemptsAsync(id, 1);

        // Events of the call that arrive while its first one waits for the retry wait for that same moment.
        await hub.Client.SendHooksAsync(hub.HookPath, events.Skip(2));
        var ids = await hub.Client.EventIdsAsync(StableIds.CallId("demo", "wait1"));
        var log = await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}/deliveries",
            l => l.GetProperty("items").GetArrayLength() == ids.Count, $"{ids.Count} deliveries");
        var byEvent = log.GetProperty("items").EnumerateArray().ToDictionary(d => d.Str("eventId")!);
        var retry = byEvent[ids[0]].GetProperty("nextAttemptAt").GetDateTimeOffset();
        Assert.InRange(retry - time.GetUtcNow(), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(7));
        Assert.All(ids.Skip(1), e =>
        {
            Assert.Equal("pending", byEvent[e].Str("state"));
            Assert.Equal(retry, byEvent[e].GetProperty("nextAttemptAt").GetDateTimeOffset());
        });
        await hub.DispatcherIdleAsync();
        Assert.Single(subscriber.Received);

        down = false;
        hub.Advance(time, retry - time.GetUtcNow() + TimeSpan.FromSeconds(1));
        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Count() == ids.Count, $"all {ids.Count} events once the retry succeeds");
        Assert.Equal(ids, subscriber.Delivered.Select(r => r.Id).ToList());
    }

    [Fact]
    public async Task Dispatch_RetryAfterAnd429_HonouredWithAtLeastAMinute()
    {
        await using var subscriber = await Subscriber.StartAsync();
        subscriber.Answer = r => subscriber.Received.Count == 0 ? (429, "2", TimeSpan.Zero) : (200, null, TimeSpan.Zero);
        var (time, hub) = await StartAsync();
        await using var _ = hub;
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        await hub.Client.SendHooksAsync(hub.HookPath, OneCall("ra1", time.GetUtcNow().ToUnixTimeSeconds()).Take(1));
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count == 1, "the first attempt");
        await hub.Client.WaitForRecordedAttemptsAsync(id, 1);

        hub.Advance(time, TimeSpan.FromSeconds(30));
        await hub.DispatcherIdleAsync();
        Assert.Single(subscriber.Received);
        hub.Advance(time, TimeSpan.FromSeconds(31));
        await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Count() == 1, "the retry a minute later");
    }

    [Fact]
    public async Task Dispatch_NoSuccessForFiveDays_SubscriptionDisabled()
    {
        await using var subscriber = await Subscriber.StartAsync();
        subscriber.Answer = _ => (500, null, TimeSpan.Zero);
        var (time, hub) = await StartAsync();
        await using var _ = hub;
        var (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
        await hub.Client.SendHooksAsync(hub.HookPath, OneCall("fd1", time.GetUtcNow().ToUnixTimeSeconds()).Take(1));
        await Webhooks.WaitUntilAsync(() => subscriber.Received.Count == 1, "the first attempt");
        await hub.Client.WaitForRecordedAttemptsAsync(id, 1);

        hub.Advance(time, TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        await hub.Client.SendHooksAsync(hub.HookPath, OneCall("fd2", time.GetUtcNow().ToUnixTimeSeconds()).Take(1));
        var sub = await hub.Client.WaitForJsonAsync($"/api/v1/subscriptions/{id}", s => !s.GetProperty("enabled").GetBoolean(), "disabled after 5 days");
        Assert.Contains("5 days", sub.Str("disabledReason"), StringComparison.Ordinal);
        Assert.Null(sub.Str("lastSuccessAt"));
    }
}
