using Dapper;
using PbxHub.Storage;

namespace PbxHub.Recordings;

/// <summary>A recording to fetch, as claimed by this node.</summary>
internal sealed class DueRecording
{
    public required string CallId { get; init; }
    public required string Account { get; init; }
    public required string CallKey { get; init; }
    public required string SourceUrl { get; init; }
    public long Attempts { get; init; }
    public string? StoreKey { get; init; }
    public string? Sha256 { get; init; }
    public string? ContentType { get; init; }
    public long? Bytes { get; init; }
    public double? DurationSeconds { get; init; }
}

/// <summary>
/// The fetch queue: one row per call whose recording link is known, filled from the event log (never by the fold)
/// and claimed with a lease like deliveries, so several nodes never fetch one recording at once (docs/recordings.md).
/// </summary>
internal sealed class RecordingQueue(ISqlDatabase database, NodeIdentity node)
{
    /// <summary>
    /// The same schema on both engines. The cursor starts at the end of the existing log: links an older version
    /// received are fetched on request only (<c>pbxhub recordings fetch --since</c>), not all at once on upgrade.
    /// </summary>
    public const string Schema =
        """
        CREATE TABLE recordings (
            call_id TEXT PRIMARY KEY, account TEXT NOT NULL, call_key TEXT NOT NULL, source_url TEXT NOT NULL,
            state TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at BIGINT, claimed_by TEXT, claimed_until BIGINT,
            reason TEXT, store_key TEXT, content_type TEXT, bytes BIGINT, sha256 TEXT, duration_seconds DOUBLE PRECISION,
            created_at BIGINT NOT NULL, completed_at BIGINT);
        CREATE INDEX recordings_due ON recordings (next_attempt_at) WHERE state = 'pending';
        CREATE INDEX recordings_completed ON recordings (completed_at) WHERE state <> 'pending';
        CREATE TABLE recording_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), event_seq BIGINT NOT NULL);
        INSERT INTO recording_cursor (id, event_seq) SELECT 1, COALESCE(MAX(seq), 0) FROM call_events;
        """;

    public async Task<long> CursorAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await c.ExecuteScalarAsync<long>("SELECT event_seq FROM recording_cursor WHERE id = 1");
    }

    /// <summary>Queues these links (a call whose link changed starts over) and moves the cursor, in one transaction.</summary>
    public Task EnqueueAsync(IReadOnlyList<(string CallId, string Account, string CallKey, string Url)> links, long cursor, DateTimeOffset now, CancellationToken ct) =>
        database.WriteAsync(
            async (c, tx) =>
            {
                foreach (var l in links)
                {
                    await c.ExecuteAsync(
                        """
                        INSERT INTO recordings (call_id, account, call_key, source_url, state, attempts, next_attempt_at, created_at)
                        VALUES (@CallId, @Account, @CallKey, @Url, 'pending', 0, @now, @now)
                        ON CONFLICT (call_id) DO UPDATE SET source_url = excluded.source_url, state = 'pending', attempts = 0,
                            next_attempt_at = excluded.next_attempt_at, reason = NULL, store_key = NULL, sha256 = NULL, completed_at = NULL
                        WHERE recordings.source_url <> excluded.source_url
                        """,
                        new { l.CallId, l.Account, l.CallKey, l.Url, now = now.ToUnixTimeMilliseconds() }, tx);
                }

                return await c.ExecuteAsync(
                    "UPDATE recording_cursor SET event_seq = @cursor WHERE id = 1 AND event_seq < @cursor", new { cursor }, tx);
            },
            ct);

    /// <summary>
    /// Queues again the links of calls whose <c>call.recording</c> event occurred since <paramref name="since"/> (those
    /// an older version never fetched, and those that failed); kept ones and ones already queued are left as they are.
    /// </summary>
    public async Task<int> RequeueSinceAsync(DateTimeOffset since, string? account, DateTimeOffset now, CancellationToken ct)
    {
        List<(string CallId, string Account, string Body)> rows;
        await using (var c = await database.OpenAsync(ct))
        {
            rows = (await c.QueryAsync<(string, string, string)>(
                """
                SELECT e.call_id, e.account, s.body FROM call_events e JOIN call_snapshots s ON s.id = e.snapshot_id
                WHERE e.type = 'call.recording' AND e.occurred_at >= @since AND (@account IS NULL OR e.account = @account)
                ORDER BY e.seq
                """, new { since = since.ToUnixTimeMilliseconds(), account })).ToList();
        }

        var links = rows.Select(r => (r.CallId, r.Account, Calls.CallJson.Deserialize<Calls.CallRecord>(r.Body)))
            .Where(r => r.Item3.RecordingUrl is not null)
            .GroupBy(r => r.CallId).Select(g => g.Last()).ToList();
        return await database.WriteAsync(
            async (c, tx) =>
            {
                var queued = 0;
                foreach (var (callId, acc, call) in links)
                {
                    queued += await c.ExecuteAsync(
                        """
                        INSERT INTO recordings (call_id, account, call_key, source_url, state, attempts, next_attempt_at, created_at)
                        VALUES (@callId, @acc, @key, @url, 'pending', 0, @now, @now)
                        ON CONFLICT (call_id) DO UPDATE SET source_url = excluded.source_url, state = 'pending', attempts = 0,
                            next_attempt_at = excluded.next_attempt_at, reason = NULL, completed_at = NULL
                        WHERE recordings.state = 'failed' OR recordings.source_url <> excluded.source_url
                        """,
                        new { callId, acc, key = call.ProviderCallId, url = call.RecordingUrl, now = now.ToUnixTimeMilliseconds() }, tx);
                }

                return queued;
            },
            ct);
    }

    /// <summary>Due recordings no other node holds, now held by this one until <paramref name="now"/> + <paramref name="claimFor"/>.</summary>
    public async Task<IReadOnlyList<DueRecording>> ClaimAsync(DateTimeOffset now, int limit, TimeSpan claimFor, CancellationToken ct)
    {
        var skipLocked = database.Dialect.SingleWriterNode ? "" : "FOR UPDATE SKIP LOCKED";
        // The outer condition is checked again on the row as another node may just have claimed it.
        var sql = $"""
            UPDATE recordings SET claimed_by = @node, claimed_until = @until
            WHERE state = 'pending' AND (claimed_until IS NULL OR claimed_until < @now) AND call_id IN (
                SELECT call_id FROM recordings WHERE state = 'pending' AND next_attempt_at <= @now
                    AND (claimed_until IS NULL OR claimed_until < @now)
                ORDER BY next_attempt_at LIMIT @limit {skipLocked})
            RETURNING call_id AS CallId, account AS Account, call_key AS CallKey, source_url AS SourceUrl,
                attempts AS Attempts, store_key AS StoreKey, sha256 AS Sha256,
                content_type AS ContentType, bytes AS Bytes, duration_seconds AS DurationSeconds
            """;
        var args = new { node = node.Id, now = now.ToUnixTimeMilliseconds(), until = (now + claimFor).ToUnixTimeMilliseconds(), limit };
        return (await database.WriteAsync(async (c, tx) => await c.QueryAsync<DueRecording>(sql, args, tx), ct)).ToList();
    }

    /// <summary>The file is stored: noted before the call's history says so, so a retake only writes the history.</summary>
    public Task StoredAsync(string callId, string storeKey, string contentType, long bytes, string sha256, double? durationSeconds, CancellationToken ct) => database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            """
            UPDATE recordings SET store_key = @storeKey, content_type = @contentType, bytes = @bytes, sha256 = @sha256, duration_seconds = @durationSeconds
            WHERE call_id = @callId AND claimed_by = @node
            """,
            new { callId, storeKey, contentType, bytes, sha256, durationSeconds, node = node.Id }, tx),
        ct);

    /// <summary>Kept (or failed for good: <paramref name="state"/>); the row leaves the queue.</summary>
    public Task SettleAsync(string callId, string state, string? reason, long attempts, DateTimeOffset now, CancellationToken ct) => database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            """
            UPDATE recordings SET state = @state, reason = @reason, attempts = @attempts, completed_at = @now, next_attempt_at = NULL,
                claimed_by = NULL, claimed_until = NULL
            WHERE call_id = @callId AND claimed_by = @node
            """,
            new { callId, state, reason, attempts, now = now.ToUnixTimeMilliseconds(), node = node.Id }, tx),
        ct);

    /// <summary>Recordings not kept, by account, state (pending or failed) and reason: what the set-up page shows.</summary>
    public async Task<IReadOnlyList<(string Account, string State, string? Reason, long Count)>> NotKeptAsync(CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<(string, string, string?, long)>(
            """
            SELECT account, state, reason, COUNT(*) FROM recordings WHERE state IN ('pending', 'failed')
            GROUP BY account, state, reason ORDER BY account, state, COUNT(*) DESC
            """)).ToList();
    }

    /// <summary>Kept recordings kept before <paramref name="before"/>, oldest first.</summary>
    public async Task<IReadOnlyList<DueRecording>> KeptBeforeAsync(DateTimeOffset before, int limit, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return (await c.QueryAsync<DueRecording>(
            """
            SELECT call_id AS CallId, account AS Account, call_key AS CallKey, source_url AS SourceUrl, store_key AS StoreKey, sha256 AS Sha256
            FROM recordings WHERE state = 'kept' AND completed_at < @before ORDER BY completed_at LIMIT @limit
            """, new { before = before.ToUnixTimeMilliseconds(), limit })).ToList();
    }

    public Task DeletedAsync(string callId, CancellationToken ct) => database.WriteAsync(
        (c, tx) => c.ExecuteAsync("UPDATE recordings SET state = 'deleted', store_key = NULL WHERE call_id = @callId AND state = 'kept'", new { callId }, tx), ct);

    public Task RetryAsync(string callId, string reason, long attempts, DateTimeOffset next, CancellationToken ct) => database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            """
            UPDATE recordings SET reason = @reason, attempts = @attempts, next_attempt_at = @next, claimed_by = NULL, claimed_until = NULL
            WHERE call_id = @callId AND claimed_by = @node
            """,
            new { callId, reason, attempts, next = next.ToUnixTimeMilliseconds(), node = node.Id }, tx),
        ct);
}
