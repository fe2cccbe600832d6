using System.Text.Json;
using Dapper;
using Npgsql;
using PbxHub.Calls;
using PbxHub.Ingest;

namespace PbxHub.Storage.Postgres;

/// <summary>
/// One transaction on a pooled connection. Several nodes write at once, so a call is locked (a
/// transaction-scoped advisory lock) before its raw events are read for a fold: two nodes folding the
/// same call take turns, and the second sees what the first wrote.
/// </summary>
internal sealed class PostgresWriteSession(
    NpgsqlConnection connection, NpgsqlTransaction transaction, TimeProvider time, EventLogSignal eventLog) : IWriteSession
{
    /// <summary>Held by the transaction that appends to the event log, from its first position to its commit.</summary>
    private const long EventLogLock = 0x5062_7848_7562_0002;

    private readonly Dictionary<(string Account, string CallKey), long> lastSeqFolded = [];
    private readonly List<(string CallId, string RecordJson, List<CallEvent> Fresh)> eventsToAppend = [];

    public async Task<StoredRaw> AppendRawAsync(RawRow row, CancellationToken ct)
    {
        if (row.CallKey is not null)
        {
            // Shared with other stores of the call, exclusive with its fold: a fold never runs while a raw event of
            // its call is stored but not committed, so the fold sees every raw event fold_pending names.
            await connection.ExecuteAsync(
                "SELECT pg_advisory_xact_lock_shared(hashtextextended(@key, 0))", new { key = CallLockKey(row.Account, row.CallKey) }, transaction);
        }

        // One round trip on the ingest path: the raw event, and the mark that its call is left to fold.
        var r = row.Request;
        var seq = await connection.ExecuteScalarAsync<long?>(
            """
            WITH stored AS (
                INSERT INTO raw_events (account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason)
                VALUES (@Account, @Provider, @Kind, @CallKey, @DedupeKey, @receivedAt, @Method, @ContentType, @Query, @Body, @headers, @Reason)
                ON CONFLICT (account, dedupe_key) DO NOTHING RETURNING seq, account, call_key),
            marked AS (
                INSERT INTO fold_pending (account, call_key, max_seq) SELECT account, call_key, seq FROM stored WHERE call_key IS NOT NULL
                ON CONFLICT (account, call_key) DO UPDATE SET max_seq = GREATEST(fold_pending.max_seq, excluded.max_seq))
            SELECT seq FROM stored
            """,
            new
            {
                row.Account, row.Provider, row.Kind, row.CallKey, row.DedupeKey, receivedAt = r.ReceivedAt.ToUnixTimeMilliseconds(),
                r.Method, r.ContentType, r.Query, r.Body, headers = r.Headers.Count == 0 ? "{}" : JsonSerializer.Serialize(r.Headers), row.Reason,
            },
            transaction);
        if (seq is { } inserted)
        {
            return new StoredRaw(inserted, Duplicate: false);
        }

        var original = await connection.ExecuteScalarAsync<long>(
            "SELECT seq FROM raw_events WHERE account = @Account AND dedupe_key = @DedupeKey", new { row.Account, row.DedupeKey }, transaction);
        return new StoredRaw(original, Duplicate: true);
    }

    public async Task<IReadOnlyList<RawRow>> CallRawAsync(string account, string callKey, CancellationToken ct)
    {
        await using var reader = await connection.ExecuteReaderAsync(
            $"{RawRowData.Select} WHERE account = @account AND call_key = @callKey ORDER BY seq", new { account, callKey }, transaction);
        return await RawRowData.ReadAllAsync(reader, ct);
    }

    public Task MarkParsedAsync(long seq, string callKey, CancellationToken ct) =>
        connection.ExecuteAsync(
            "UPDATE raw_events SET kind = @kind, call_key = @callKey, reason = NULL WHERE seq = @seq",
            new { seq, callKey, kind = RawKinds.Hook }, transaction);

    public async Task<IReadOnlySet<(string Value, string Role)>> SaveCallAsync(
        CallRecord call, string recordJson, DateTimeOffset lastReceivedAt, IReadOnlySet<(string Value, string Role)>? knownParties, CancellationToken ct)
    {
        var parties = CallPartyIndex.Of(call).ToHashSet();
        var partiesHash = CallPartyIndex.Hash(parties);
        var storedHash = await connection.ExecuteScalarAsync<string?>("SELECT parties_hash FROM calls WHERE id = @Id", new { call.Id }, transaction);
        await connection.ExecuteAsync(
            """
            INSERT INTO calls (id, account, provider_call_id, started_at, direction, state, outcome, last_received_at, record, parties_hash, caller)
            VALUES (@Id, @Account, @ProviderCallId, @startedAt, @Direction, @State, @Outcome, @lastReceived, @recordJson, @partiesHash, @caller)
            ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, direction = excluded.direction, state = excluded.state,
                outcome = excluded.outcome, last_received_at = excluded.last_received_at, record = excluded.record,
                parties_hash = excluded.parties_hash, caller = excluded.caller
            """,
            new
            {
                call.Id, call.Account, call.ProviderCallId, startedAt = call.StartedAt.ToUnixTimeMilliseconds(), call.Direction, call.State,
                call.Outcome, lastReceived = lastReceivedAt.ToUnixTimeMilliseconds(), recordJson, partiesHash, caller = call.From?.Number ?? call.From?.Raw,
            },
            transaction);
        if (storedHash != partiesHash)
        {
            // Another node may have indexed the call since this one cached it: the stored hash decides.
            await connection.ExecuteAsync("DELETE FROM call_parties WHERE call_id = @Id", new { call.Id }, transaction);
            await connection.ExecuteAsync(
                "INSERT INTO call_parties (value, call_id, role) SELECT v, @Id, r FROM unnest(@values, @roles) AS p (v, r) ON CONFLICT DO NOTHING",
                new { call.Id, values = parties.Select(p => p.Value).ToArray(), roles = parties.Select(p => p.Role).ToArray() }, transaction);
        }

        var answeredNumbers = CallPartyIndex.AnsweredNumbers(call, parties);
        if (answeredNumbers.Count > 0)
        {
            // Sorted: folds of calls that share numbers lock these rows in one order, so they cannot deadlock.
            await connection.ExecuteAsync(
                """
                INSERT INTO answered_numbers (account, value, last_started_at)
                SELECT @Account, v, @started FROM unnest(@values) WITH ORDINALITY AS a (v, n) ORDER BY n
                ON CONFLICT (account, value) DO UPDATE SET last_started_at = GREATEST(answered_numbers.last_started_at, excluded.last_started_at)
                """,
                new { call.Account, started = call.StartedAt.ToUnixTimeMilliseconds(), values = answeredNumbers.ToArray() }, transaction);
        }

        if (lastSeqFolded.TryGetValue((call.Account, call.ProviderCallId), out var lastSeq))
        {
            // Folded through lastSeq: a raw event stored since (on any node) keeps the call pending.
            await connection.ExecuteAsync(
                "DELETE FROM fold_pending WHERE account = @Account AND call_key = @ProviderCallId AND max_seq <= @lastSeq",
                new { call.Account, call.ProviderCallId, lastSeq }, transaction);
        }

        return parties;
    }

    public async Task<int> AppendEventsAsync(IReadOnlyList<CallEvent> events, string recordJson, IReadOnlySet<string>? known, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        // The cache of another node's fold may be stale: the log itself says which events it holds (the call is locked).
        var stored = (await connection.QueryAsync<string>(
            "SELECT id FROM call_events WHERE call_id = @id", new { id = events[0].Call.Id }, transaction)).ToHashSet(StringComparer.Ordinal);
        var fresh = events.Where(e => !stored.Contains(e.Id)).ToList();
        if (fresh.Count > 0)
        {
            eventsToAppend.Add((events[0].Call.Id, recordJson, fresh));
        }

        return fresh.Count;
    }

    /// <summary>
    /// Appends the events of this session to the log just before commit, holding the log's lock until the commit:
    /// log positions are then committed in order on every node, so a reader that has seen position n will never
    /// see a smaller one appear later. No call lock is taken while it is held, so the two kinds of lock cannot deadlock.
    /// </summary>
    private async Task AppendHeldEventsAsync()
    {
        if (eventsToAppend.Count == 0)
        {
            return;
        }

        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@key)", new { key = EventLogLock }, transaction);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var (callId, recordJson, fresh) in eventsToAppend)
        {
            var snapshot = await connection.ExecuteScalarAsync<long>(
                "INSERT INTO call_snapshots (call_id, body) VALUES (@callId, @recordJson) RETURNING id", new { callId, recordJson }, transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO call_events (id, call_id, account, type, occurred_at, snapshot_id, leg)
                SELECT i, @callId, a, t, o, @snapshot, l
                FROM unnest(@ids, @accounts, @types, @occurred, @legs) WITH ORDINALITY AS e (i, a, t, o, l, n) ORDER BY n
                ON CONFLICT (id) DO NOTHING
                """,
                new
                {
                    callId, snapshot,
                    ids = fresh.Select(e => e.Id).ToArray(), accounts = fresh.Select(e => e.Account).ToArray(), types = fresh.Select(e => e.Type).ToArray(),
                    occurred = fresh.Select(e => e.OccurredAt.ToUnixTimeMilliseconds()).ToArray(),
                    legs = fresh.Select(e => e.Leg is null ? null : CallJson.Serialize(e.Leg)).ToArray(),
                },
                transaction);
            await connection.ExecuteAsync(
                PostgresDialect.Instance.InsertDeliveriesFor("e.snapshot_id = @snapshot", "s.enabled = 1"), new { snapshot, now }, transaction);
        }
    }

    public async Task<(long Count, long LastSeq)> CallRawStatsAsync(string account, string callKey, CancellationToken ct)
    {
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = CallLockKey(account, callKey) }, transaction);
        var (count, last) = await connection.QuerySingleAsync<(long, long?)>(
            "SELECT count(*), max(seq) FROM raw_events WHERE account = @account AND call_key = @callKey", new { account, callKey }, transaction);
        lastSeqFolded[(account, callKey)] = last ?? 0;
        return (count, last ?? 0);
    }

    private static string CallLockKey(string account, string callKey) => account + "\n" + callKey;

    public Task DeleteCallsAsync(IReadOnlyCollection<string> accounts, CancellationToken ct) =>
        connection.ExecuteAsync(SqlHubReads.DeleteCallsOfAccounts(PostgresDialect.Instance), new { accounts = accounts.ToArray() }, transaction);

    /// <summary>PostgreSQL keeps no watermark: <c>fold_pending</c> names what is left to fold, whichever node stored it.</summary>
    public Task SetFoldedThroughAsync(long seq, CancellationToken ct) => Task.CompletedTask;

    public async Task CommitAsync(CancellationToken ct)
    {
        await AppendHeldEventsAsync();
        await transaction.CommitAsync(ct);
        if (eventsToAppend.Count > 0)
        {
            eventLog.Pulse();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }
}
