using Dapper;
using Microsoft.Data.Sqlite;
using PbxHub.Calls;
using PbxHub.Ingest;

namespace PbxHub.Storage.Sqlite;

internal sealed class SqliteWriteSession(SqliteConnection connection, SqliteTransaction transaction, Action release) : IWriteSession
{
    public async Task<StoredRaw> AppendRawAsync(RawRow row, CancellationToken ct)
    {
        var seq = await connection.ExecuteScalarAsync<long?>(
            """
            INSERT INTO raw_events (account, provider, kind, call_key, dedupe_key, received_at, method, content_type, query, body, headers, reason)
            VALUES (@Account, @Provider, @Kind, @CallKey, @DedupeKey, @ReceivedAt, @Method, @ContentType, @Query, @Body, @Headers, @Reason)
            ON CONFLICT (account, dedupe_key) DO NOTHING RETURNING seq
            """, RawRowData.Parameters(row), transaction);
        if (seq is { } inserted)
        {
            return new StoredRaw(inserted, Duplicate: false);
        }

        var original = await connection.ExecuteScalarAsync<long>(
            "SELECT seq FROM raw_events WHERE account = @Account AND dedupe_key = @DedupeKey",
            new { row.Account, row.DedupeKey }, transaction);
        return new StoredRaw(original, Duplicate: true);
    }

    public async Task<IReadOnlyList<RawRow>> CallRawAsync(string account, string callKey, CancellationToken ct)
    {
        var rows = await connection.QueryAsync<RawRowData>(
            $"{RawRowData.Select} WHERE account = @account AND call_key = @callKey ORDER BY seq", new { account, callKey }, transaction);
        return rows.Select(r => r.ToRow()).ToList();
    }

    public Task MarkParsedAsync(long seq, string callKey, CancellationToken ct) =>
        connection.ExecuteAsync(
            "UPDATE raw_events SET kind = @kind, call_key = @callKey, reason = NULL WHERE seq = @seq",
            new { seq, callKey, kind = RawKinds.Hook }, transaction);

    public async Task SaveCallAsync(CallRecord call, DateTimeOffset lastReceivedAt, CancellationToken ct)
    {
        await connection.ExecuteAsync(
            """
            INSERT INTO calls (id, account, provider_call_id, started_at, direction, state, outcome, last_received_at, record)
            VALUES (@Id, @Account, @ProviderCallId, @StartedAt, @Direction, @State, @Outcome, @LastReceivedAt, @Record)
            ON CONFLICT (id) DO UPDATE SET started_at = excluded.started_at, direction = excluded.direction,
                state = excluded.state, outcome = excluded.outcome, last_received_at = excluded.last_received_at, record = excluded.record
            """,
            new
            {
                call.Id, call.Account, call.ProviderCallId, StartedAt = call.StartedAt.ToUnixTimeMilliseconds(),
                call.Direction, call.State, call.Outcome, LastReceivedAt = lastReceivedAt.ToUnixTimeMilliseconds(),
                Record = CallJson.Serialize(call),
            }, transaction);
        await connection.ExecuteAsync("DELETE FROM call_parties WHERE call_id = @Id", new { call.Id }, transaction);
        await connection.ExecuteAsync(
            "INSERT OR IGNORE INTO call_parties (value, call_id, role) VALUES (@Value, @CallId, @Role)",
            CallPartyIndex.Of(call).Select(p => new { p.Value, CallId = call.Id, p.Role }), transaction);
    }

    public async Task<int> AppendEventsAsync(IReadOnlyList<CallEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        // Most of a call's events are in the log already: look them up rather than serialise them again.
        var known = (await connection.QueryAsync<string>(
            "SELECT id FROM call_events WHERE call_id = @CallId", new { CallId = events[0].Call.Id }, transaction)).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var e in events.Where(e => !known.Contains(e.Id)))
        {
            added += await connection.ExecuteAsync(
                """
                INSERT INTO call_events (id, call_id, account, type, occurred_at, body)
                VALUES (@Id, @CallId, @Account, @Type, @OccurredAt, @Body) ON CONFLICT (id) DO NOTHING
                """,
                new { e.Id, CallId = e.Call.Id, e.Account, e.Type, OccurredAt = e.OccurredAt.ToUnixTimeMilliseconds(), Body = CallJson.Serialize(e) },
                transaction);
        }

        return added;
    }

    public Task DeleteAllCallsAsync(CancellationToken ct) =>
        connection.ExecuteAsync("DELETE FROM call_parties; DELETE FROM calls;", transaction: transaction);

    public Task CommitAsync(CancellationToken ct) => transaction.CommitAsync(ct);

    public Task SetFoldedThroughAsync(long seq, CancellationToken ct) =>
        connection.ExecuteAsync("UPDATE fold_state SET folded_through = MAX(folded_through, @seq) WHERE id = 1", new { seq }, transaction);

    public async ValueTask DisposeAsync()
    {
        // Rolls back what was not committed; the connection stays open for the next session.
        await transaction.DisposeAsync();
        release();
    }
}
