using Dapper;
using PbxHub.Storage.Postgres;

namespace PbxHub.Storage;

/// <summary>A raw event old enough to prune: of a call (to compact) or of none (a quarantined request, to delete).</summary>
internal sealed record AgedRaw(long Seq, long ReceivedAt, string Account, string? CallKey);

/// <summary>The calls compacted in one batch and the raw rows that went with them.</summary>
internal sealed record CompactedBatch(int Calls, int DeletedRows);

/// <summary>
/// The retention's reads and writes, the same SQL on both engines. Every write is one short transaction
/// through <see cref="ISqlDatabase.WriteAsync"/>: on SQLite it queues with ingest on the one writer.
/// </summary>
internal sealed class SqlRetentionStore(ISqlDatabase database)
{
    /// <summary>Raw events received before <paramref name="before"/> that are not compacted, oldest first, after a position.</summary>
    public async Task<IReadOnlyList<AgedRaw>> AgedRawAsync(DateTimeOffset before, (long ReceivedAt, long Seq) after, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var rows = await connection.QueryAsync<AgedRaw>(
            """
            SELECT seq, received_at AS ReceivedAt, account, call_key AS CallKey FROM raw_events
            WHERE kind <> 'compacted' AND received_at < @before AND (received_at > @at OR (received_at = @at AND seq > @seq))
            ORDER BY received_at, seq LIMIT @limit
            """,
            new { before = before.ToUnixTimeMilliseconds(), at = after.ReceivedAt, seq = after.Seq, limit });
        return rows.ToList();
    }

    /// <summary>Deletes raw events that belong to no call (quarantined requests), if still old and uncompacted.</summary>
    public Task<int> DeleteRawAsync(IReadOnlyCollection<long> seqs, DateTimeOffset before, CancellationToken ct) => database.WriteAsync(
        (c, tx) => c.ExecuteAsync(
            $"DELETE FROM raw_events WHERE {database.Dialect.InList("seq", "@seqs")} AND call_key IS NULL AND received_at < @before",
            new { seqs = seqs.ToArray(), before = before.ToUnixTimeMilliseconds() }, tx),
        ct);

    /// <summary>
    /// In one transaction, for each call whose raw events are all older than <paramref name="before"/>: its newest row becomes
    /// the compacted row carrying <paramref name="compact"/>'s result (kept position, dedupe key and newest receive time), and
    /// the others are deleted. A call <paramref name="compact"/> returns null for is left as it is.
    /// </summary>
    public Task<CompactedBatch> CompactAsync(
        IReadOnlyList<(string Account, string CallKey)> calls, DateTimeOffset before, Func<IReadOnlyList<RawRow>, Compacted?> compact, CancellationToken ct) =>
        database.WriteAsync(
            async (c, tx) =>
            {
                int compacted = 0, deleted = 0;
                foreach (var (account, callKey) in calls)
                {
                    if (database.Dialect is PostgresDialect)
                    {
                        // The fold's lock of the call: no node folds or stores a raw event of it meanwhile.
                        await c.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", new { key = account + "\n" + callKey }, tx);
                    }

                    List<RawRow> rows;
                    await using (var reader = await c.ExecuteReaderAsync(
                        $"{RawRowData.Select} WHERE account = @account AND call_key = @callKey ORDER BY seq", new { account, callKey }, tx))
                    {
                        rows = await RawRowData.ReadAllAsync(reader, ct);
                    }

                    var newest = rows.Count == 0 ? before : rows.Max(r => r.Request.ReceivedAt);
                    if (newest >= before || (rows.Count == 1 && rows[0].Kind == Ingest.RawKinds.Compacted) || compact(rows) is not { } result)
                    {
                        continue;
                    }

                    var keep = rows[^1].Seq;
                    await c.ExecuteAsync(
                        """
                        UPDATE raw_events SET kind = 'compacted', method = 'COMPACTED', content_type = 'application/json', query = '',
                            body = @Body, headers = '{}', reason = @Reason, received_at = @newest
                        WHERE seq = @keep
                        """,
                        new { result.Body, result.Reason, newest = newest.ToUnixTimeMilliseconds(), keep }, tx);
                    deleted += await c.ExecuteAsync(
                        "DELETE FROM raw_events WHERE account = @account AND call_key = @callKey AND seq < @keep", new { account, callKey, keep }, tx);
                    compacted++;
                }

                return new CompactedBatch(compacted, deleted);
            },
            ct);

    /// <summary>Deletes up to <paramref name="limit"/> finished deliveries completed before <paramref name="before"/>, with their attempts.</summary>
    public Task<int> DeleteFinishedDeliveriesAsync(DateTimeOffset before, int limit, CancellationToken ct) => database.WriteAsync(
        async (c, tx) =>
        {
            // The outer condition is checked again on each row: a delivery re-sent meanwhile (pending again) stays.
            var ids = (await c.QueryAsync<long>(
                """
                DELETE FROM deliveries
                WHERE id IN (SELECT id FROM deliveries WHERE state <> 'pending' AND completed_at < @before ORDER BY completed_at LIMIT @limit)
                  AND state <> 'pending' AND completed_at < @before
                RETURNING id
                """,
                new { before = before.ToUnixTimeMilliseconds(), limit }, tx)).ToArray();
            if (ids.Length > 0)
            {
                await c.ExecuteAsync($"DELETE FROM delivery_attempts WHERE {database.Dialect.InList("delivery_id", "@ids")}", new { ids }, tx);
            }

            return ids.Length;
        },
        ct);
}

/// <summary>The row that stands for a call's pruned raw events: the signals they carried, and why the requests are gone.</summary>
internal sealed record Compacted(byte[] Body, string Reason);
