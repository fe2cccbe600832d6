using System.Data.Common;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Storage;
using PbxHub.Storage.Postgres;

namespace PbxHub.IntegrationTests.Storage;

/// <summary>
/// A retry of a call's first event written while the next event of that call is being appended (PostgreSQL, where the two
/// commits run side by side): the appended event waits for that retry, as it would had it come before or after it.
/// </summary>
public sealed class RetryBesideAppendTests
{
    [PostgresFact]
    public async Task Record_RetryWrittenWhileTheCallsNextEventIsAppended_ThatEventWaitsForTheRetry()
    {
        var data = HubProcess.NewDataDirectory();
        await using var hub = await HubServer.StartAsync(dataDirectory: data);
        await hub.Client.SendHooksAsync(hub.HookPath, SipuniHooks.AnsweredInbound("append1", "89161234567", "74951234567", "101", 1_700_000_000));
        await hub.Client.WaitForJsonAsync("/api/v1/calls", l => l.GetProperty("items").GetArrayLength() == 1, "the call folded");
        var (subscription, _) = await hub.Client.SubscribeAsync($"http://127.0.0.1:{HubProcess.FreePort()}/nobody");

        // The first event's delivery is due a day from now: the hub's own dispatcher, on the real clock, leaves it to this test.
        var due = TimeProvider.System.GetUtcNow().AddDays(1);
        await using var append = await TestStorage.OpenAsync(data);
        var seqs = (await append.QueryAsync<long>("SELECT seq FROM call_events ORDER BY seq LIMIT 2")).ToList();
        await append.ExecuteAsync(
            """
            INSERT INTO deliveries (subscription_id, event_seq, event_id, call_id, state, attempts, step, next_attempt_at, created_at)
            SELECT @subscription, seq, id, call_id, 'pending', 0, 0, @due, @due FROM call_events WHERE seq = @seq
            """,
            new { subscription, due = due.ToUnixTimeMilliseconds(), seq = seqs[0] });
        var store = hub.Services.GetRequiredService<IDeliveryStore>();
        var first = Assert.Single(await store.DueAsync(due, 10, 8, TimeSpan.FromDays(1), [], default));

        // The second event appended as a fold appends it: under the event log's lock, its delivery by the outbox rule.
        await using var tx = await append.BeginTransactionAsync();
        await append.ExecuteAsync(PostgresDialect.Instance.LockEventLog!, transaction: tx);
        await append.ExecuteAsync(
            PbxHub.Delivery.Outbox.ForEvents(PostgresDialect.Instance, "e.seq = @seq", "s.id = @subscription"),
            new { seq = seqs[1], subscription, now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() }, tx);

        // Meanwhile the first event's attempt fails and its retry is written; the append commits after.
        var retryAt = due.AddMinutes(5);
        var attempt = new DeliveryAttempt(1, due, 503, 5, null, null);
        var recording = store.RecordAsync([new AttemptResult(first, attempt, DeliveryStates.Pending, 1, retryAt, null)], due, default);
        using (var waited = new CancellationTokenSource())
        {
            await Task.WhenAny(recording, WaitingForAnAdvisoryLockAsync(data, waited.Token));
            await waited.CancelAsync();
        }

        await tx.CommitAsync();
        await recording;

        var next = await append.QueryAsync<(long Seq, long Next)>(
            "SELECT event_seq, next_attempt_at FROM deliveries WHERE subscription_id = @subscription ORDER BY event_seq", new { subscription });
        Assert.Equal([(seqs[0], retryAt.ToUnixTimeMilliseconds()), (seqs[1], retryAt.ToUnixTimeMilliseconds())], next);
    }

    /// <summary>Completes once a session of the hub's database waits for an advisory lock.</summary>
    private static async Task WaitingForAnAdvisoryLockAsync(string data, CancellationToken ct)
    {
        await using DbConnection db = await TestStorage.OpenAsync(data);
        const string waiting = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
        while (!ct.IsCancellationRequested && await db.ExecuteScalarAsync<long>(waiting) == 0)
        {
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
