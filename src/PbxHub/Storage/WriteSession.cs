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

    /// <summary>
    /// Stores raw events, each unless one with the same dedupe key is there (or earlier in <paramref name="rows"/>), and
    /// says which: in a few statements for the whole batch, so a batch costs about one round trip and one flush.
    /// </summary>
    public async Task<StoredRaw[]> AppendRawAsync(IReadOnlyList<RawRow> rows, CancellationToken ct)
    {
        if (!dialect.SingleWriterNode)
        {
            // Shared with other stores of the calls, exclusive with their folds (see SqlDialect.LockCalls); sorted, as folds lock.
            // Only where several nodes write: on SQLite the one writer is the lock, and the ingest path does no lock work.
            var calls = rows.Where(r => r.CallKey is not null).Select(r => CallLockKey(r.Account, r.CallKey!)).Distinct().Order(StringComparer.Ordinal).ToList();
            if (calls.Count > 0 && dialect.LockCalls(calls.Count, shared: true) is { } lockCalls)
            {
                await lease.Statement(lockCalls, [.. calls]).ExecuteNonQueryAsync(ct);
            }
        }

        var stored = new Dictionary<(string Account, string DedupeKey), long>();
        for (var start = 0; start < rows.Count;)
        {
            var size = WriteSql.ChunkOf(rows.Count - start);
            var values = new object?[size * WriteSql.RawColumns];
            for (var i = 0; i < size; i++)
            {
                RawValues(rows[start + i]).CopyTo(values, i * WriteSql.RawColumns);
            }

            await using (var reader = await lease.Statement(sql.InsertRaw(size), values).ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    stored[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
                }
            }

            start += size;
        }

        var results = new StoredRaw[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (stored.Remove((row.Account, row.DedupeKey), out var seq))
            {
                results[i] = new StoredRaw(seq, Duplicate: false);
                if (row.CallKey is not null)
                {
                    leftToFold[(row.Account, row.CallKey)] = Math.Max(seq, leftToFold.GetValueOrDefault((row.Account, row.CallKey)));
                }
            }
            else
            {
                // Stored before, or earlier in this batch: the original's position.
                var original = (long)(await lease.Statement(WriteSql.FindRaw, row.Account, row.DedupeKey).ExecuteScalarAsync(ct))!;
                results[i] = new StoredRaw(original, Duplicate: true);
            }
        }

        return results;
    }

    private static object?[] RawValues(RawRow row)
    {
        var r = row.Request;
        return
        [
            row.Account, row.Provider, row.Kind, row.CallKey, row.DedupeKey, r.ReceivedAt.ToUnixTimeMilliseconds(), r.Method, r.ContentType, r.Query, r.Body,
            r.Headers.Count == 0 ? "{}" : JsonSerializer.Serialize(r.Headers), row.Reason,
        ];
    }

    /// <summary>
    /// Waits for the call and holds it until commit: the fold of a call reads its raw events only under this lock, so no
    /// other node folds it at the same time and none of its raw events is stored but not committed meanwhile.
    /// </summary>
    public async Task LockCallAsync(string account, string callKey, CancellationToken ct)
    {
        if (dialect.LockCalls(1, shared: false) is { } lockCall)
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
        await WriteHeldRecordsAsync(ct);
        await AppendHeldEventsAsync(ct);
        await lease.Transaction.CommitAsync(ct);
        if (eventsAppended)
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
