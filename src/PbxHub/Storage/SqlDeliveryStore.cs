using Dapper;
using PbxHub.Calls;
using DueRow = (long Id, string SubscriptionId, long EventSeq, string EventId, string CallId, long Attempts, long Step, long NextAttemptAt);

namespace PbxHub.Storage;

internal sealed class SqlDeliveryStore(ISqlDatabase database, NodeIdentity node) : IDeliveryStore
{
    /// <summary>
    /// The same migration on both engines: each subscription's pending deliveries in the order they fall due, so a
    /// dispatch round reads a few of them instead of ranking the whole backlog (replaces the global due index); and
    /// the backlog already queued behind a retry made to wait for it, as new deliveries now are.
    /// </summary>
    public static readonly string DueIndex =
        """
        DROP INDEX deliveries_due;
        CREATE INDEX deliveries_subscription_due ON deliveries (subscription_id, next_attempt_at, id) WHERE state = 'pending';
        """ + WaitBehindRetries("") + ";";

    /// <summary>
    /// Pending deliveries (those matching <paramref name="and"/>, which starts with AND) made due no sooner than the
    /// latest of the earlier pending ones of their call: in one pass over them, sorted, so its cost does not depend on
    /// the engine's guess of the table's size (a correlated lookup per row read the whole table per row on a
    /// PostgreSQL table not yet analysed).
    /// </summary>
    private static string WaitBehindRetries(string and) =>
        $"""
        UPDATE deliveries SET next_attempt_at = w.wait
        FROM (SELECT id, MAX(next_attempt_at) OVER (PARTITION BY subscription_id, call_id ORDER BY event_seq
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS wait
              FROM deliveries WHERE state = 'pending' {and}) w
        WHERE deliveries.id = w.id AND w.wait > deliveries.next_attempt_at
        """;

    private const string SelectEvents =
        """
        SELECT e.seq AS Seq, e.id AS Id, e.type AS Type, e.call_id AS CallId, e.account AS Account,
               e.occurred_at AS OccurredAt, s.body AS Body, e.leg AS Leg
        FROM call_events e JOIN call_snapshots s ON s.id = e.snapshot_id
        """;

    public async Task<IReadOnlyList<DueDelivery>> DueAsync(
        DateTimeOffset now, int limit, int perSubscription, TimeSpan claimFor, IReadOnlyCollection<long> held, CancellationToken ct)
    {
        var args = new { now = now.ToUnixTimeMilliseconds(), limit, perSubscription, node = node.Id, claimUntil = (now + claimFor).ToUnixTimeMilliseconds() };
        var rows = new List<DueRow>();
        if (database.Dialect.SingleWriterNode)
        {
            // One node: nothing to claim, and a plain read keeps the dispatcher off the single writer. What this node
            // holds is still pending and due, first in line: read past it.
            var skip = held as IReadOnlySet<long> ?? held.ToHashSet();
            await using var connection = await database.OpenAsync(ct);
            foreach (var sub in await connection.QueryAsync<string>("SELECT id FROM subscriptions WHERE enabled = 1 ORDER BY id"))
            {
                var due = await connection.QueryAsync<DueRow>(database.Dialect.ClaimDueDeliveries, new { args.now, perSubscription = perSubscription + held.Count, sub });
                rows.AddRange(due.Where(r => !skip.Contains(r.Id)).Take(perSubscription));
            }
        }
        else
        {
            // Claimed by this node, what it holds is not offered again.
            rows.AddRange(await database.WriteAsync((c, tx) => c.QueryAsync<DueRow>(database.Dialect.ClaimDueDeliveries, args, tx), ct));
        }

        return rows.OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Id).Take(limit)
            .Select(r => new DueDelivery(r.Id, r.SubscriptionId, r.EventSeq, r.EventId, r.CallId, (int)r.Attempts, (int)r.Step, r.NextAttemptAt)).ToList();
    }

    public async Task ReleaseAsync(IReadOnlyCollection<long> deliveryIds, CancellationToken ct)
    {
        if (deliveryIds.Count > 0 && !database.Dialect.SingleWriterNode)
        {
            await database.WriteAsync(
                (c, tx) => c.ExecuteAsync(
                    // Locked in id order first, as recover and the attempt recorder lock their rows (RecordAsync).
                    $"""
                    UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL
                    WHERE id IN (SELECT id FROM deliveries WHERE {database.Dialect.InList("id", "@ids")} AND claimed_by = @node ORDER BY id FOR UPDATE)
                    """,
                    new { ids = deliveryIds.ToArray(), node = node.Id }, tx),
                ct);
        }
    }

    public async Task<IReadOnlyList<StoredEvent>> EventsAsync(IReadOnlyCollection<long> seqs, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return Map(await connection.QueryAsync<EventRow>($"{SelectEvents} WHERE {database.Dialect.InList("e.seq", "@seqs")}", new { seqs = seqs.ToArray() }));
    }

    public async Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(
        long afterSeq, IReadOnlyCollection<string> accounts, IReadOnlyCollection<string> types, int limit, CancellationToken ct)
    {
        // Log positions are committed in order (SQLite: one writer; PostgreSQL: the event log's lock), so reading
        // past the last position seen never skips one that commits later.
        var where = "WHERE e.seq > @afterSeq"
            + (accounts.Count > 0 ? $" AND {database.Dialect.InList("e.account", "@accounts")}" : "")
            + (types.Count > 0 ? $" AND {database.Dialect.InList("e.type", "@types")}" : "");
        await using var connection = await database.OpenAsync(ct);
        return Map(await connection.QueryAsync<EventRow>($"{SelectEvents} {where} ORDER BY e.seq LIMIT @limit", new { afterSeq, accounts = accounts.ToArray(), types = types.ToArray(), limit }));
    }

    public async Task<long> LastEventSeqAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>("SELECT MAX(seq) FROM call_events") ?? 0;
    }

    public async Task<long?> EventSeqAsync(string eventId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long?>("SELECT seq FROM call_events WHERE id = @eventId", new { eventId });
    }

    public Task RecordAsync(IReadOnlyList<AttemptResult> results, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(
        async (c, tx) =>
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            if (results.Any(r => r.State == DeliveryStates.Pending && r.NextAttemptAt is not null) && database.Dialect.LockEventLog is { } lockLog)
            {
                // The rest of a call waits for a retry (below), and a call's new events are due no sooner than it (Outbox):
                // two transactions, each blind to the other's uncommitted rows under READ COMMITTED, so an event appended
                // while the retry is written would be due at once. Taken first, the log's lock puts one after the other.
                await c.ExecuteAsync(lockLog, transaction: tx);
            }

            // In delivery id order, as a recovery locks them (RecoverOnceAsync): the two wait for each other, never deadlock.
            foreach (var r in results.OrderBy(r => r.Delivery.Id))
            {
                var a = r.Attempt;
                await c.ExecuteAsync(
                    """
                    INSERT INTO delivery_attempts (delivery_id, attempt, at, status_code, duration_ms, error, response)
                    VALUES (@id, @Attempt, @at, @StatusCode, @DurationMs, @Error, @Response)
                    ON CONFLICT (delivery_id, attempt) DO UPDATE SET at = excluded.at, status_code = excluded.status_code,
                        duration_ms = excluded.duration_ms, error = excluded.error, response = excluded.response
                    """,
                    new { id = r.Delivery.Id, a.Attempt, at = a.At.ToUnixTimeMilliseconds(), a.StatusCode, a.DurationMs, a.Error, a.Response }, tx);
                // Only while the delivery is as it was claimed: a resend or recover while the attempt ran moved it (it is
                // sent again), and another node that claimed it after this claim ran out records its own attempt.
                var decided = await c.ExecuteAsync(
                    """
                    UPDATE deliveries SET state = @State, attempts = @Attempt, step = @Step, next_attempt_at = @next,
                        completed_at = CASE WHEN @State = 'pending' THEN NULL ELSE @nowMs END, claimed_by = NULL, claimed_until = NULL
                    WHERE id = @id AND state = 'pending' AND next_attempt_at = @dueAt AND (claimed_by IS NULL OR claimed_by = @node)
                    """,
                    new { r.State, a.Attempt, r.Step, next = r.NextAttemptAt?.ToUnixTimeMilliseconds(), nowMs, id = r.Delivery.Id, dueAt = r.Delivery.DueAt, node = node.Id }, tx) > 0;
                if (!decided)
                {
                    // The attempt still counts, so the next one gets a number of its own in the log; this node's claim
                    // (kept through a resend, so no other node sends it meanwhile) ends with it.
                    await c.ExecuteAsync(
                        """
                        UPDATE deliveries SET attempts = CASE WHEN attempts < @Attempt THEN @Attempt ELSE attempts END,
                            claimed_by = CASE WHEN claimed_by = @node THEN NULL ELSE claimed_by END,
                            claimed_until = CASE WHEN claimed_by = @node THEN NULL ELSE claimed_until END
                        WHERE id = @id
                        """,
                        new { a.Attempt, id = r.Delivery.Id, node = node.Id }, tx);
                }
                else if (r.State == DeliveryStates.Pending && r.NextAttemptAt is { } retry)
                {
                    // The rest of the call waits for this retry: not due before it, so the claim need not pass over them.
                    await c.ExecuteAsync(
                        """
                        UPDATE deliveries SET next_attempt_at = @next
                        WHERE subscription_id = @sub AND call_id = @call AND state = 'pending' AND event_seq > @seq AND next_attempt_at < @next
                        """,
                        new { next = retry.ToUnixTimeMilliseconds(), sub = r.Delivery.SubscriptionId, call = r.Delivery.CallId, seq = r.Delivery.EventSeq }, tx);
                }

                if (r.Waiting)
                {
                    // The receiver was not asked (it is not its turn yet): nothing to say of its health.
                    continue;
                }

                await c.ExecuteAsync(
                    r.State == DeliveryStates.Delivered
                        ? "UPDATE subscriptions SET last_success_at = @nowMs, failing_since = NULL WHERE id = @sub"
                        : "UPDATE subscriptions SET failing_since = COALESCE(failing_since, @nowMs) WHERE id = @sub",
                    new { nowMs, sub = r.Delivery.SubscriptionId }, tx);
                if (r.DisableReason is { } reason)
                {
                    await c.ExecuteAsync(
                        "UPDATE subscriptions SET enabled = 0, disabled_reason = @reason WHERE id = @sub",
                        new { reason, sub = r.Delivery.SubscriptionId }, tx);
                }
            }

            return 0;
        },
        ct);

    public async Task<IReadOnlyList<DeliveryView>> ListAsync(string subscriptionId, long? beforeId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<(long Id, string EventId, string Type, string CallId, string State, long Attempts, long CreatedAt, long? Next, long? Completed)>(
            """
            SELECT d.id, d.event_id, e.type, d.call_id, d.state, d.attempts, d.created_at, d.next_attempt_at, d.completed_at
            FROM deliveries d JOIN call_events e ON e.seq = d.event_seq
            WHERE d.subscription_id = @subscriptionId AND d.id < @before ORDER BY d.id DESC LIMIT @limit
            """, new { subscriptionId, before = beforeId ?? long.MaxValue, limit })).ToList();
        var attempts = await AttemptsAsync(connection, database.Dialect, rows.Select(r => r.Id), ct);
        return rows.Select(r => new DeliveryView(
            r.Id, r.EventId, r.Type, r.CallId, r.State, (int)r.Attempts, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
            Time(r.Next), Time(r.Completed), attempts[r.Id].ToList())).ToList();
    }

    public async Task<bool> ResendAsync(string subscriptionId, long deliveryId, DateTimeOffset now, CancellationToken ct) => await database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            """
            UPDATE deliveries SET state = 'pending', step = 0, next_attempt_at = @now, completed_at = NULL
            WHERE id = @deliveryId AND subscription_id = @subscriptionId
            """, new { deliveryId, subscriptionId, now = now.ToUnixTimeMilliseconds() }, tx),
        ct) > 0;

    public async Task<int> RecoverAsync(Subscription subscription, DateTimeOffset since, DateTimeOffset now, CancellationToken ct)
    {
        // PostgreSQL: the writers of delivery rows lock them in id order, so they wait for each other; should two still
        // deadlock (a write this store does not know of), the server fails one, to be run again (the recorder runs its
        // batch again itself).
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await RecoverOnceAsync(subscription, since, now, ct);
            }
            catch (Exception ex) when (database.Dialect.IsDeadlock(ex) && tries < 5)
            {
            }
        }
    }

    private Task<int> RecoverOnceAsync(Subscription subscription, DateTimeOffset since, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(
        async (c, tx) =>
        {
            var args = new { sub = subscription.Id, since = since.ToUnixTimeMilliseconds(), now = now.ToUnixTimeMilliseconds() };
            if (!database.Dialect.SingleWriterNode)
            {
                // Every row this recovery changes, locked first in id order, as the attempt recorder writes its batch: the
                // UPDATEs below would take them in whatever order their plan reads them.
                await c.ExecuteScalarAsync<long>(
                    """
                    SELECT count(*) FROM (SELECT id FROM deliveries
                        WHERE subscription_id = @sub AND (state = 'pending' OR event_seq IN (SELECT seq FROM call_events WHERE occurred_at >= @since))
                        ORDER BY id FOR UPDATE) locked
                    """, args, tx);
            }

            var reset = await c.ExecuteAsync(
                """
                UPDATE deliveries SET state = 'pending', step = 0, next_attempt_at = @now, completed_at = NULL
                WHERE subscription_id = @sub AND event_seq IN (SELECT seq FROM call_events WHERE occurred_at >= @since)
                """, args, tx);
            // Tens of thousands of rows at once: inserted due now, then made to wait behind retries in one sorted pass.
            var added = await c.ExecuteAsync(Delivery.Outbox.ForEvents(database.Dialect, "e.occurred_at >= @since", "s.id = @sub", waitBehindRetries: false), args, tx);
            await c.ExecuteAsync(WaitBehindRetries("AND subscription_id = @sub"), args, tx);
            if (database.Dialect.AnalyzeAfterBulkWrite("deliveries") is { } analyze)
            {
                await c.ExecuteAsync(analyze, transaction: tx);
            }

            return reset + added;
        },
        ct);

    /// <summary>The attempt log of some deliveries, by delivery.</summary>
    public static async Task<ILookup<long, DeliveryAttempt>> AttemptsAsync(
        System.Data.Common.DbConnection connection, SqlDialect dialect, IEnumerable<long> deliveryIds, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<(long DeliveryId, long Attempt, long At, long? Status, long Duration, string? Error, string? Response)>(
            $"SELECT delivery_id, attempt, at, status_code, duration_ms, error, response FROM delivery_attempts WHERE {dialect.InList("delivery_id", "@ids")} ORDER BY attempt",
            new { ids = deliveryIds.ToArray() });
        return rows.ToLookup(a => a.DeliveryId, a => new DeliveryAttempt(
            (int)a.Attempt, DateTimeOffset.FromUnixTimeMilliseconds(a.At), (int?)a.Status, a.Duration, a.Error, a.Response));
    }

    private static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private static List<StoredEvent> Map(IEnumerable<EventRow> rows) => rows.Select(r => new StoredEvent(
        r.Seq, r.Id, r.Type, r.CallId, r.Account, DateTimeOffset.FromUnixTimeMilliseconds(r.OccurredAt),
        EventJson.Compose(r.Id, r.Type, DateTimeOffset.FromUnixTimeMilliseconds(r.OccurredAt), r.Account, r.Body, r.Leg))).ToList();

    private sealed record EventRow(long Seq, string Id, string Type, string CallId, string Account, long OccurredAt, string Body, string? Leg);
}
