using System.Collections.Concurrent;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.IntegrationTests.Ingest;

namespace PbxHub.IntegrationTests.Delivery;

/// <summary>A real <c>pbxhub serve</c> killed with SIGKILL while webhooks are in flight, then restarted.</summary>
[Collection(nameof(KillCollection))]
public sealed class DeliveryKillTests
{
    [Fact]
    public async Task Serve_KilledMidDelivery_ResumesWithTheSameWebhookIdsAndLosesNothing()
    {
        await using var subscriber = await Subscriber.StartAsync();
        var arrivals = new ConcurrentQueue<string>();
        subscriber.Answer = w =>
        {
            var firstTime = !arrivals.Contains(w.Id);
            arrivals.Enqueue(w.Id);
            return (200, null, firstTime ? TimeSpan.FromMilliseconds(700) : TimeSpan.Zero);
        };
        var data = HubProcess.NewDataDirectory();
        var environment = HubProcess.DemoEnvironment();
        // On PostgreSQL the killed node's claims on its in-flight deliveries run out after twice this timeout.
        environment["PbxHub__Delivery__RequestTimeout"] = "00:00:05";
        var calls = Enumerable.Range(0, 4).Select(i => $"dk{i}").ToList();
        string[] inFlightAtKill;
        string secret;

        await using (var hub = await HubProcess.StartAsync(data, environment))
        {
            (_, secret) = await hub.Client.SubscribeAsync(subscriber.Url);
            foreach (var (call, i) in calls.Select((c, i) => (c, i)))
            {
                await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound(call, $"8916123456{i}", "74951234567", "10" + i, 1_700_000_000 + i));
            }

            await Webhooks.WaitUntilAsync(() => subscriber.Received.Count >= 4 && arrivals.Count > subscriber.Received.Count, "webhooks delivered and some in flight");
            await hub.KillAsync();
            inFlightAtKill = arrivals.Where(id => subscriber.Received.All(r => r.Id != id)).Distinct().ToArray();
        }

        Assert.NotEmpty(inFlightAtKill);
        await using (var hub = await HubProcess.StartAsync(data, environment))
        {
            var expected = new Dictionary<string, IReadOnlyList<string>>();
            foreach (var call in calls)
            {
                expected[call] = await hub.Client.EventIdsAsync(StableIds.CallId("demo", call));
            }

            var all = expected.Values.SelectMany(v => v).ToHashSet();
            await Webhooks.WaitUntilAsync(() => all.IsSubsetOf(subscriber.Delivered.Select(r => r.Id)), $"all {all.Count} events delivered after the restart", seconds: 40);
            foreach (var id in inFlightAtKill)
            {
                Assert.True(arrivals.Count(a => a == id) >= 2, $"{id}, in flight at the kill, was not sent again");
            }

            foreach (var call in calls)
            {
                var firstDeliveries = subscriber.Delivered.Select(r => r.Id).Where(expected[call].Contains).Distinct().ToList();
                Assert.Equal(expected[call], firstDeliveries);
            }

            Assert.All(subscriber.Received, r => Assert.True(StandardWebhooksVerifier.Verify(secret, r)));
        }
    }

    [Fact]
    public async Task Serve_KilledWithAnsweredAttemptsNotYetWritten_SendsThemAgainWithTheSameWebhookIds()
    {
        await using var subscriber = await Subscriber.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscriber.Gate = gate.Task;
        var data = HubProcess.NewDataDirectory();
        var environment = HubProcess.DemoEnvironment();
        // On PostgreSQL the killed node's claims run out after twice this timeout.
        environment["PbxHub__Delivery__RequestTimeout"] = "00:00:05";
        string[] answered;
        string id;

        await using (var hub = await HubProcess.StartAsync(data, environment))
        {
            (id, _) = await hub.Client.SubscribeAsync(subscriber.Url);
            await hub.Client.SendHooksAsync(hub.HookPath, Enumerable.Range(0, 3).Select(i => SipuniHooks.Arrival($"dw{i}", $"8916765432{i}", "74951234567", 1_700_000_000 + i)));
            await Webhooks.WaitUntilAsync(() => subscriber.Arrived == 3, "the three first attempts at the subscriber");
            // The answers come while the hub cannot write them; it is killed before it could.
            await using (await AttemptWrites.BlockAsync(data))
            {
                gate.SetResult();
                await Webhooks.WaitUntilAsync(() => subscriber.Delivered.Count() == 3, "the three answered 200");
                await hub.KillAsync();
            }

            answered = subscriber.Delivered.Select(r => r.Id).ToArray();
        }

        await using (var hub = await HubProcess.StartAsync(data, environment))
        {
            await Webhooks.WaitUntilAsync(
                () => answered.All(a => subscriber.Delivered.Count(r => r.Id == a) >= 2), "each answered event sent again after the restart", seconds: 40);
            var log = await hub.Client.WaitForJsonAsync(
                $"/api/v1/subscriptions/{id}/deliveries",
                l => l.GetProperty("items").EnumerateArray().All(d => d.Str("state") == "delivered"),
                "every delivery recorded as delivered");
            Assert.Equal(answered.Order(), log.GetProperty("items").EnumerateArray().Select(d => d.Str("eventId")!).Order());
        }
    }
}
