using System.Text;
using Dapper;
using PbxHub.Calls;

namespace PbxHub.Storage;

internal sealed class SqlCallQueries(ISqlDatabase database) : ICallQueries
{
    public async Task<IReadOnlyList<CallRecord>> ListAsync(CallQuery q, CancellationToken ct)
    {
        var sql = new StringBuilder("SELECT record FROM calls c WHERE 1 = 1");
        var p = new DynamicParameters();
        void Filter(string clause, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(clause);
                p.Add(name, value);
            }
        }

        Filter("c.account = @account", "account", q.Account);
        Filter("c.started_at >= @since", "since", q.Since?.ToUnixTimeMilliseconds());
        Filter("c.started_at < @until", "until", q.Until?.ToUnixTimeMilliseconds());
        Filter("c.direction = @direction", "direction", q.Direction);
        Filter("c.outcome = @outcome", "outcome", q.Outcome);
        Filter("c.state = @state", "state", q.State);
        var dialect = database.Dialect;
        Filter($"c.id IN (SELECT call_id FROM call_parties WHERE role = 'party' AND {dialect.InList("value", "@numbers")})", "numbers", q.NumberForms?.ToArray());
        Filter($"c.id IN (SELECT call_id FROM call_parties WHERE role = 'answered_by' AND {dialect.InList("value", "@answeredBy")})", "answeredBy", q.AnsweredByForms?.ToArray());
        if (q.Unreturned)
        {
            // Returned: a later answered call, of any of the return accounts, in which the caller's number takes part. The
            // fold keeps, per account and number, when it last took part in an answered call: one index lookup per account.
            sql.Append($"""
                 AND NOT EXISTS (SELECT 1 FROM answered_numbers n
                     WHERE {(q.ReturnAccounts is null ? "1 = 1" : dialect.InList("n.account", "@returnAccounts"))}
                     AND n.value = c.caller AND n.last_started_at > c.started_at)
                """);
            if (q.ReturnAccounts is not null)
            {
                p.Add("returnAccounts", q.ReturnAccounts.ToArray());
            }
        }

        if (q.After is { } after)
        {
            sql.Append(" AND (c.started_at < @afterStarted OR (c.started_at = @afterStarted AND c.id < @afterId))");
            p.Add("afterStarted", after.StartedAt.ToUnixTimeMilliseconds());
            p.Add("afterId", after.Id);
        }

        sql.Append(" ORDER BY c.started_at DESC, c.id DESC LIMIT @limit");
        p.Add("limit", q.Limit);
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<string>(sql.ToString(), p);
        return rows.Select(CallJson.Deserialize<CallRecord>).ToList();
    }

    public Task<IReadOnlyList<(string Account, string CallKey)>> OpenCallsIdleSinceAsync(
        IReadOnlyCollection<string> accounts, DateTimeOffset before, int limit, CancellationToken ct) =>
        SqlHubReads.OpenCallsIdleSinceAsync(database, accounts, before, limit, ct);

    public async Task<CallRecord?> GetAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var json = await connection.QuerySingleOrDefaultAsync<string>("SELECT record FROM calls WHERE id = @id", new { id });
        return json is null ? null : CallJson.Deserialize<CallRecord>(json);
    }

    public async Task<(IReadOnlyList<RawRow> Raw, IReadOnlyList<CallEvent> Events)?> TimelineAsync(string id, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var call = await connection.QuerySingleOrDefaultAsync<(string Account, string Key)?>(
            "SELECT account, provider_call_id FROM calls WHERE id = @id", new { id });
        if (call is not { } c)
        {
            return null;
        }

        List<RawRow> raw;
        await using (var reader = await connection.ExecuteReaderAsync(
            $"{RawRowData.Select} WHERE account = @Account AND call_key = @Key ORDER BY seq", new { c.Account, c.Key }))
        {
            raw = await RawRowData.ReadAllAsync(reader, ct);
        }

        var rows = await connection.QueryAsync<(string Id, string Type, long OccurredAt, string Account, long SnapshotId, string Snapshot, string? Leg)>(
            """
            SELECT e.id, e.type, e.occurred_at, e.account, e.snapshot_id, s.body, e.leg
            FROM call_events e JOIN call_snapshots s ON s.id = e.snapshot_id WHERE e.call_id = @id ORDER BY e.seq
            """, new { id });
        var snapshots = new Dictionary<long, CallRecord>();
        var events = rows.Select(r => new CallEvent(
            r.Id, r.Type, DateTimeOffset.FromUnixTimeMilliseconds(r.OccurredAt), r.Account,
            snapshots.TryGetValue(r.SnapshotId, out var call) ? call : snapshots[r.SnapshotId] = CallJson.Deserialize<CallRecord>(r.Snapshot),
            r.Leg is null ? null : CallJson.Deserialize<Leg>(r.Leg))).ToList();
        return (raw, events);
    }

    // Dashboard reads. Both scan raw_events/deliveries (no index fits): fine for a set-up page and a call's detail.
    public async Task<IReadOnlyList<AccountActivity>> AccountActivityAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // "Last event received" means the provider's events get through: quarantined requests and the sweeper's
        // timeouts do not count (compacted rows stand for accepted requests that retention pruned).
        var rows = await connection.QueryAsync<(string Account, long? Last, long Quarantined)>(
            """
            SELECT account, MAX(CASE WHEN kind IN ('hook', 'compacted') THEN received_at END),
                SUM(CASE WHEN kind = 'quarantined' THEN 1 ELSE 0 END)
            FROM raw_events GROUP BY account ORDER BY account
            """);
        return rows.Select(r => new AccountActivity(
            r.Account, r.Last is { } last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : null, (int)r.Quarantined)).ToList();
    }

    public async Task<IReadOnlyList<RawRow>> QuarantinedAsync(QuarantineQuery q, CancellationToken ct)
    {
        var sql = new StringBuilder($"{RawRowData.Select} WHERE kind = 'quarantined'");
        var p = new DynamicParameters();
        void Filter(string clause, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(clause);
                p.Add(name, value);
            }
        }

        Filter("account = @account", "account", q.Account);
        Filter("provider = @provider", "provider", q.Provider);
        Filter("received_at >= @since", "since", q.Since?.ToUnixTimeMilliseconds());
        Filter("received_at < @until", "until", q.Until?.ToUnixTimeMilliseconds());
        Filter("seq < @afterSeq", "afterSeq", q.AfterSeq);
        // A case-insensitive substring; LIKE's own wildcards in the text are matched literally.
        Filter("LOWER(reason) LIKE @reason ESCAPE '!'", "reason", q.ReasonContains is { } r
            ? "%" + r.ToLowerInvariant().Replace("!", "!!", StringComparison.Ordinal).Replace("%", "!%", StringComparison.Ordinal).Replace("_", "!_", StringComparison.Ordinal) + "%"
            : null);
        sql.Append(" ORDER BY seq DESC LIMIT @limit");
        p.Add("limit", q.Limit);
        await using var connection = await database.OpenAsync(ct);
        await using var reader = await connection.ExecuteReaderAsync(sql.ToString(), p);
        return await RawRowData.ReadAllAsync(reader, ct);
    }

    public async Task<IReadOnlyList<(string SubscriptionId, DeliveryView Delivery)>> CallDeliveriesAsync(string callId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = (await connection.QueryAsync<(long Id, string Subscription, string EventId, string Type, string State, long Attempts, long CreatedAt, long? Next, long? Completed)>(
            """
            SELECT d.id, d.subscription_id, d.event_id, e.type, d.state, d.attempts, d.created_at, d.next_attempt_at, d.completed_at
            FROM deliveries d JOIN call_events e ON e.seq = d.event_seq WHERE d.call_id = @callId ORDER BY d.id
            """, new { callId })).ToList();
        var attempts = await SqlDeliveryStore.AttemptsAsync(connection, database.Dialect, rows.Select(r => r.Id), ct);
        static DateTimeOffset? Time(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;
        return rows.Select(r => (r.Subscription, new DeliveryView(
            r.Id, r.EventId, r.Type, callId, r.State, (int)r.Attempts, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
            Time(r.Next), Time(r.Completed), attempts[r.Id].ToList()))).ToList();
    }
}
