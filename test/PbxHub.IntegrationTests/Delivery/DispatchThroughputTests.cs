using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
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
        await using (var blocker = await BlockAttemptWritesAsync(hub.DataDirectory))
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

    /// <summary>
    /// Holds a lock that stops the hub from writing attempts until disposed: SQLite's write lock, or on PostgreSQL a
    /// lock on the attempt log (claims, which write the deliveries table, go on).
    /// </summary>
    private static async Task<AsyncBlock> BlockAttemptWritesAsync(string dataDirectory)
    {
        var connection = await TestStorage.OpenAsync(dataDirectory);
        if (connection is SqliteConnection sqlite)
        {
            // IMMEDIATE: SQLite's one write lock, taken at once.
            return new AsyncBlock(connection, sqlite.BeginTransaction(deferred: false));
        }

        var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "LOCK TABLE delivery_attempts IN EXCLUSIVE MODE";
        await command.ExecuteNonQueryAsync();
        return new AsyncBlock(connection, transaction);
    }

    private sealed class AsyncBlock(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
