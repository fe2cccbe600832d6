using System.Text.Json;
using PbxHub.Calls;
using PbxHub.Ingest;

namespace PbxHub.Storage;

/// <summary>
/// One write transaction of the hub's write path, the same SQL on both engines (docs/storage.md, "The write path"):
/// raw events with the calls they leave to fold, the records folded from them, and the events and deliveries those
/// records imply. The engine serialises what touches one call: SQLite by having one writer, PostgreSQL by the call
/// lock (<see cref="LockCallAsync"/>).
/// </summary>
internal sealed partial class WriteSession(WriteLease lease, SqlDialect dialect, TimeProvider time, EventLogSignal eventLog) : IAsyncDisposable
{
    private readonly WriteSql sql = WriteSql.For(dialect);
    private readonly Dictionary<(string Account, string CallKey), long> leftToFold = [];

    /// <summary>Stores a raw event unless one with the same dedupe key is there; says which.</summary>
    public async Task<StoredRaw> AppendRawAsync(RawRow row, CancellationToken ct)
    {
        if (row.CallKey is not null && dialect.LockCall(shared: true) is { } lockCall)
        {
            // Shared with other stores of the call, exclusive with its fold (see SqlDialect.LockCall).
            await lease.Statement(lockCall, CallLockKey(row.Account, row.CallKey)).ExecuteNonQueryAsync(ct);
        }

        var r = row.Request;
        var inserted = await lease.Statement(
            WriteSql.InsertRaw, row.Account, row.Provider, row.Kind, row.CallKey, row.DedupeKey, r.ReceivedAt.ToUnixTimeMilliseconds(),
            r.Method, r.ContentType, r.Query, r.Body, r.Headers.Count == 0 ? "{}" : JsonSerializer.Serialize(r.Headers), row.Reason).ExecuteScalarAsync(ct);
        if (inserted is long seq)
        {
            if (row.CallKey is not null)
            {
                leftToFold[(row.Account, row.CallKey)] = seq;
            }

            return new StoredRaw(seq, Duplicate: false);
        }

        var original = (long)(await lease.Statement(WriteSql.FindRaw, row.Account, row.DedupeKey).ExecuteScalarAsync(ct))!;
        return new StoredRaw(original, Duplicate: true);
    }

    /// <summary>
    /// Waits for the call and holds it until commit: the fold of a call reads its raw events only under this lock, so no
    /// other node folds it at the same time and none of its raw events is stored but not committed meanwhile.
    /// </summary>
    public async Task LockCallAsync(string account, string callKey, CancellationToken ct)
    {
        if (dialect.LockCall(shared: false) is { } lockCall)
        {
            await lease.Statement(lockCall, CallLockKey(account, callKey)).ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<IReadOnlyList<RawRow>> CallRawAsync(string account, string callKey, CancellationToken ct)
    {
        await using var reader = await lease.Statement(WriteSql.CallRaw, account, callKey).ExecuteReaderAsync(ct);
        return await RawRowData.ReadAllAsync(reader, ct);
    }

    /// <summary>How many raw events the call has, and the last one's position: enough to tell whether a cached view is whole.</summary>
    public async Task<(long Count, long LastSeq)> CallRawStatsAsync(string account, string callKey, CancellationToken ct)
    {
        await using var reader = await lease.Statement(WriteSql.CallRawStats, account, callKey).ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.IsDBNull(1) ? 0L : reader.GetInt64(1));
    }

    /// <summary>A quarantined request that a fixed adapter now reads (replay): it becomes a hook of its call.</summary>
    public async Task MarkParsedAsync(long seq, string callKey, CancellationToken ct) =>
        await lease.Statement(WriteSql.MarkParsed, RawKinds.Hook, callKey, seq).ExecuteNonQueryAsync(ct);

    /// <summary>The call's record is folded from every raw event up to <paramref name="lastSeq"/>: it is no longer left to fold unless a later one came.</summary>
    public async Task FoldedThroughAsync(string account, string callKey, long lastSeq, CancellationToken ct) =>
        await lease.Statement(WriteSql.FoldedThrough, account, callKey, lastSeq).ExecuteNonQueryAsync(ct);

    /// <summary>Replay rebuilt every call of these accounts: none of them is left to fold.</summary>
    public async Task NoneLeftToFoldAsync(IReadOnlyCollection<string> accounts, CancellationToken ct)
    {
        foreach (var account in accounts)
        {
            await lease.Statement("DELETE FROM fold_pending WHERE account = @p0", account).ExecuteNonQueryAsync(ct);
        }
    }

    public async Task CommitAsync(CancellationToken ct)
    {
        await MarkLeftToFoldAsync(ct);
        await AppendHeldEventsAsync(ct);
        await lease.Transaction.CommitAsync(ct);
        if (heldEvents.Count > 0)
        {
            eventLog.Pulse();
        }
    }

    /// <summary>
    /// Every call this session stored raw events for is left to fold, in one statement, in the raw events' transaction:
    /// after a crash the hub folds exactly these (<see cref="HubStore.LeftToFoldAsync"/>), on either engine.
    /// Sorted, so sessions of several nodes lock these rows in one order.
    /// </summary>
    private async Task MarkLeftToFoldAsync(CancellationToken ct)
    {
        if (leftToFold.Count == 0)
        {
            return;
        }

        var values = leftToFold.OrderBy(c => c.Key.Account, StringComparer.Ordinal).ThenBy(c => c.Key.CallKey, StringComparer.Ordinal)
            .SelectMany(c => new object?[] { c.Key.Account, c.Key.CallKey, c.Value }).ToArray();
        await lease.Statement(sql.FoldPending(leftToFold.Count), values).ExecuteNonQueryAsync(ct);
    }

    private static string CallLockKey(string account, string callKey) => account + "\n" + callKey;

    public ValueTask DisposeAsync() => lease.DisposeAsync();
}
