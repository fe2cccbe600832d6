using PbxHub.Calls;

namespace PbxHub.Storage;

internal sealed partial class WriteSession
{
    /// <summary>Past this many held records the session writes them out before taking more (replay rebuilds every call in one session).</summary>
    private const int HeldRecordsLimit = 256;

    private readonly List<HeldRecord> heldRecords = [];
    private readonly List<(string Account, string CallKey, long LastSeq)> foldedThrough = [];
    private readonly List<(string CallId, string RecordJson, List<CallEvent> Fresh)> heldEvents = [];
    private bool eventsAppended;

    /// <summary>
    /// Stores the record (<paramref name="recordJson"/> is its JSON) and its search index: held, and written with the
    /// other records of the session in a few statements. With <paramref name="knownParties"/> (what the index holds now,
    /// as the fold stage's cache says) only the difference is written where one node writes; otherwise the index is
    /// rewritten unless the stored hash says it is unchanged (another node may have indexed the call since this one cached it).
    /// </summary>
    /// <returns>The index entries as they will be stored.</returns>
    public async Task<IReadOnlySet<(string Value, string Role)>> SaveCallAsync(
        CallRecord call, string recordJson, DateTimeOffset lastReceivedAt, IReadOnlySet<(string Value, string Role)>? knownParties, CancellationToken ct)
    {
        if (heldRecords.Count >= HeldRecordsLimit || heldRecords.Exists(r => r.Call.Id == call.Id))
        {
            await WriteHeldRecordsAsync(ct);
        }

        var parties = CallPartyIndex.Of(call).ToHashSet();
        var partiesHash = CallPartyIndex.Hash(parties);
        var cacheDecides = knownParties is not null && dialect.SingleWriterNode;
        var storedHash = cacheDecides ? null : await lease.Statement(WriteSql.PartiesHash, call.Id).ExecuteScalarAsync(ct) as string;
        // A call gains parties as its events arrive and rarely loses one: then only the new entries are written.
        var (rewrite, added) = cacheDecides && knownParties!.IsSubsetOf(parties) ? (false, parties.Except(knownParties).ToList())
            : cacheDecides || storedHash != partiesHash ? (true, [.. parties])
            : (false, new List<(string Value, string Role)>());
        heldRecords.Add(new HeldRecord(call, recordJson, lastReceivedAt, partiesHash, rewrite, added, CallPartyIndex.AnsweredNumbers(call, parties)));
        return parties;
    }

    /// <summary>The call's record is folded from every raw event up to <paramref name="lastSeq"/>: it is no longer left to fold unless a later one came.</summary>
    public void FoldedThrough(string account, string callKey, long lastSeq) => foldedThrough.Add((account, callKey, lastSeq));

    /// <summary>
    /// Holds the events whose ids are not in the log yet (nor in <paramref name="known"/>, trusted only where one node
    /// writes) to append at commit; returns how many were new.
    /// </summary>
    public async Task<int> AppendEventsAsync(IReadOnlyList<CallEvent> events, string recordJson, IReadOnlySet<string>? known, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        if (known is null || !dialect.SingleWriterNode)
        {
            known = await StoredEventIdsAsync(events[0].Call.Id, ct);
        }

        var fresh = events.Where(e => !known.Contains(e.Id)).ToList();
        if (fresh.Count > 0)
        {
            heldEvents.Add((events[0].Call.Id, recordJson, fresh));
        }

        return fresh.Count;
    }

    /// <summary>Deletes the call records of these accounts (and their search index); their event log stays.</summary>
    public async Task DeleteCallsAsync(IReadOnlyCollection<string> accounts, CancellationToken ct)
    {
        foreach (var statement in SqlHubReads.DeleteCallsOfAccount)
        {
            foreach (var account in accounts)
            {
                await lease.Statement(statement, account).ExecuteNonQueryAsync(ct);
            }
        }
    }

    /// <summary>The held records in a few statements per kind of row, each at most <see cref="WriteSql.ChunkOf"/> rows.</summary>
    private async Task WriteHeldRecordsAsync(CancellationToken ct)
    {
        await WriteRowsAsync(sql.UpsertCalls, heldRecords.Select(r => new object?[]
        {
            r.Call.Id, r.Call.Account, r.Call.ProviderCallId, r.Call.StartedAt.ToUnixTimeMilliseconds(), r.Call.Direction, r.Call.State,
            r.Call.Outcome, r.LastReceivedAt.ToUnixTimeMilliseconds(), r.Json, r.PartiesHash, r.Call.From?.Number ?? r.Call.From?.Raw,
        }), ct);
        await WriteRowsAsync(sql.DeleteParties, heldRecords.Where(r => r.RewriteParties).Select(r => new object?[] { r.Call.Id }), ct);
        await WriteRowsAsync(sql.InsertParties, heldRecords.SelectMany(r => r.AddedParties.Select(p => new object?[] { p.Value, r.Call.Id, p.Role })), ct);
        // One row per number (a statement may not update a row twice), sorted: folds that share numbers lock them in one order.
        await WriteRowsAsync(sql.AnsweredNumbers, heldRecords
            .SelectMany(r => r.AnsweredNumbers.Select(v => (r.Call.Account, Value: v, Started: r.Call.StartedAt.ToUnixTimeMilliseconds())))
            .GroupBy(a => (a.Account, a.Value)).Select(g => (g.Key.Account, g.Key.Value, Started: g.Max(a => a.Started)))
            .OrderBy(a => a.Account, StringComparer.Ordinal).ThenBy(a => a.Value, StringComparer.Ordinal)
            .Select(a => new object?[] { a.Account, a.Value, a.Started }), ct);
        heldRecords.Clear();
        await WriteRowsAsync(sql.FoldedThrough, foldedThrough.Select(f => new object?[] { f.Account, f.CallKey, f.LastSeq }), ct);
        foldedThrough.Clear();
    }

    /// <summary>
    /// Appends the held events just before commit, under the event log's lock (<see cref="SqlDialect.LockEventLog"/>),
    /// each call's events sharing one snapshot of its record, with their deliveries (<see cref="Delivery.Outbox"/>).
    /// No call lock is taken while the log's is held, so the two kinds of lock cannot deadlock.
    /// </summary>
    private async Task AppendHeldEventsAsync(CancellationToken ct)
    {
        if (heldEvents.Count == 0)
        {
            return;
        }

        if (dialect.LockEventLog is { } lockLog)
        {
            await lease.Statement(lockLog).ExecuteNonQueryAsync(ct);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var start = 0; start < heldEvents.Count;)
        {
            var size = WriteSql.ChunkOf(heldEvents.Count - start);
            var chunk = heldEvents.GetRange(start, size);
            var snapshots = new Dictionary<string, long>(StringComparer.Ordinal);
            await using (var reader = await lease.Statement(sql.InsertSnapshots(size), [.. chunk.SelectMany(h => new object?[] { h.CallId, h.RecordJson })]).ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    snapshots[reader.GetString(1)] = reader.GetInt64(0);
                }
            }

            await WriteRowsAsync(sql.InsertEvents, chunk.SelectMany(h => h.Fresh.Select(e => new object?[]
            {
                e.Id, e.Call.Id, e.Account, e.Type, e.OccurredAt.ToUnixTimeMilliseconds(), snapshots[h.CallId], e.Leg is null ? null : CallJson.Serialize(e.Leg),
            })), ct);
            await lease.Statement(sql.InsertDeliveries(size), [now, .. chunk.Select(h => (object?)snapshots[h.CallId])]).ExecuteNonQueryAsync(ct);
            start += size;
        }

        eventsAppended = true;
        heldEvents.Clear();
    }

    /// <summary>Writes <paramref name="rows"/> with the statement <paramref name="statement"/> makes for a count of rows, in chunks.</summary>
    private async Task WriteRowsAsync(Func<int, string> statement, IEnumerable<object?[]> rows, CancellationToken ct)
    {
        var all = rows.ToList();
        for (var start = 0; start < all.Count;)
        {
            var size = WriteSql.ChunkOf(all.Count - start);
            await lease.Statement(statement(size), [.. all.GetRange(start, size).SelectMany(r => r)]).ExecuteNonQueryAsync(ct);
            start += size;
        }
    }

    private async Task<HashSet<string>> StoredEventIdsAsync(string callId, CancellationToken ct)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await lease.Statement(WriteSql.EventIds, callId).ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private sealed record HeldRecord(
        CallRecord Call, string Json, DateTimeOffset LastReceivedAt, string PartiesHash, bool RewriteParties,
        List<(string Value, string Role)> AddedParties, IReadOnlyList<string> AnsweredNumbers);
}
