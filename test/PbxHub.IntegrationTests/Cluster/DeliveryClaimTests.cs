using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Storage;

namespace PbxHub.IntegrationTests.Cluster;

/// <summary>A delivery whose claim ran out while its node was still attempting it, and that another node then claimed.</summary>
public sealed class DeliveryClaimTests
{
    [PostgresFact]
    public async Task Record_LateResultOfAClaimThatRanOut_LeavesTheDeliveryToTheNodeThatClaimedItSince()
    {
        var data = HubProcess.NewDataDirectory();
        await using var nodeA = await HubServer.StartAsync(dataDirectory: data);
        await using var nodeB = await HubServer.StartAsync(dataDirectory: data);
        await nodeA.Client.SendHooksAsync(nodeA.HookPath, SipuniHooks.AnsweredInbound("claim1", "89161234567", "74951234567", "101", 1_700_000_000));
        await nodeA.Client.WaitForJsonAsync("/api/v1/calls", l => l.GetProperty("items").GetArrayLength() == 1, "the call folded");
        var (subscription, _) = await nodeA.Client.SubscribeAsync($"http://127.0.0.1:{HubProcess.FreePort()}/nobody");

        // Due a day from now: the nodes' own dispatchers, on the real clock, leave it to this test.
        var due = TimeProvider.System.GetUtcNow().AddDays(1);
        await using (var db = await TestStorage.OpenAsync(data))
        {
            await db.ExecuteAsync(
                """
                INSERT INTO deliveries (subscription_id, event_seq, event_id, call_id, state, attempts, step, next_attempt_at, created_at)
                SELECT @subscription, seq, id, call_id, 'pending', 0, 0, @due, @due FROM call_events ORDER BY seq LIMIT 1
                """,
                new { subscription, due = due.ToUnixTimeMilliseconds() });
        }

        var storeA = nodeA.Services.GetRequiredService<IDeliveryStore>();
        var storeB = nodeB.Services.GetRequiredService<IDeliveryStore>();
        var claimedByA = Assert.Single(await storeA.DueAsync(due, 10, 8, TimeSpan.FromSeconds(1), [], default));
        var claimedByB = Assert.Single(await storeB.DueAsync(due.AddSeconds(2), 10, 8, TimeSpan.FromSeconds(30), [], default));
        Assert.Equal(claimedByA.Id, claimedByB.Id);

        // A's attempt ends after B took the delivery over: logged, but B's claim stands and decides the state.
        await storeA.RecordAsync([Delivered(claimedByA, due.AddSeconds(3))], due.AddSeconds(3), default);
        var afterA = await StateAsync(data, claimedByA.Id);
        Assert.Equal(("pending", 1L, nodeB.Services.GetRequiredService<NodeIdentity>().Id), afterA);

        var retryAt = due.AddMinutes(5);
        await storeB.RecordAsync([new AttemptResult(claimedByB, Attempt(claimedByB, due.AddSeconds(4), 503), DeliveryStates.Pending, 1, retryAt, null)], due.AddSeconds(4), default);
        Assert.Equal(("pending", 1L, (string?)null), await StateAsync(data, claimedByB.Id));
        await using var check = await TestStorage.OpenAsync(data);
        Assert.Equal(retryAt.ToUnixTimeMilliseconds(), await check.ExecuteScalarAsync<long>("SELECT next_attempt_at FROM deliveries WHERE id = @id", new { id = claimedByB.Id }));
    }

    private static AttemptResult Delivered(DueDelivery delivery, DateTimeOffset at) =>
        new(delivery, Attempt(delivery, at, 200), DeliveryStates.Delivered, delivery.Step, null, null);

    private static DeliveryAttempt Attempt(DueDelivery delivery, DateTimeOffset at, int status) => new(delivery.Attempts + 1, at, status, 5, null, null);

    private static async Task<(string State, long Attempts, string? ClaimedBy)> StateAsync(string data, long id)
    {
        await using var db = await TestStorage.OpenAsync(data);
        return await db.QuerySingleAsync<(string, long, string?)>("SELECT state, attempts, claimed_by FROM deliveries WHERE id = @id", new { id });
    }
}
