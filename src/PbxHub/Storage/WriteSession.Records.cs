using PbxHub.Calls;

namespace PbxHub.Storage;

internal sealed partial class WriteSession
{
    private readonly List<(string CallId, string RecordJson, List<CallEvent> Fresh)> heldEvents = [];

    /// <summary>
    /// Stores the record (<paramref name="recordJson"/> is its JSON) and its search index. With
    /// <paramref name="knownParties"/> (what the index holds now, as the fold stage's cache says) only the difference is
    /// written where one node writes; otherwise the index is rewritten unless the stored hash says it is unchanged
    /// (another node may have indexed the call since this one cached it).
    /// </summary>
    /// <returns>The index entries as now stored.</returns>
    public async Task<IReadOnlySet<(string Value, string Role)>> SaveCallAsync(
        CallRecord call, string recordJson, DateTimeOffset lastReceivedAt, IReadOnlySet<(string Value, string Role)>? knownParties, CancellationToken ct)
    {
        var parties = CallPartyIndex.Of(call).ToHashSet();
        var partiesHash = CallPartyIndex.Hash(parties);
        var cacheDecides = knownParties is not null && dialect.SingleWriterNode;
        var storedHash = cacheDecides ? null : await lease.Statement(WriteSql.PartiesHash, call.Id).ExecuteScalarAsync(ct) as string;
        await lease.Statement(
            WriteSql.UpsertCall, call.Id, call.Account, call.ProviderCallId, call.StartedAt.ToUnixTimeMilliseconds(), call.Direction, call.State,
            call.Outcome, lastReceivedAt.ToUnixTimeMilliseconds(), recordJson, partiesHash, call.From?.Number ?? call.From?.Raw).ExecuteNonQueryAsync(ct);
        if (cacheDecides && knownParties!.IsSubsetOf(parties))
        {
            // A call gains parties as its events arrive and rarely loses one: write only the new entries.
            await InsertPartiesAsync(call.Id, [.. parties.Except(knownParties)], ct);
        }
        else if (cacheDecides || storedHash != partiesHash)
        {
            await lease.Statement(WriteSql.DeleteParties, call.Id).ExecuteNonQueryAsync(ct);
            await InsertPartiesAsync(call.Id, [.. parties], ct);
        }

        // Sorted: folds of calls that share numbers lock these rows in one order, so they cannot deadlock.
        var answeredNumbers = CallPartyIndex.AnsweredNumbers(call, parties);
        if (answeredNumbers.Count > 0)
        {
            var started = call.StartedAt.ToUnixTimeMilliseconds();
            await lease.Statement(sql.AnsweredNumbers(answeredNumbers.Count), [.. answeredNumbers.SelectMany(v => new object?[] { call.Account, v, started })])
                .ExecuteNonQueryAsync(ct);
        }

        return parties;
    }

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

    /// <summary>
    /// Appends the held events just before commit, under the event log's lock (<see cref="SqlDialect.LockEventLog"/>),
    /// each fold's events sharing one snapshot of the call, with their deliveries (<see cref="Delivery.Outbox"/>).
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
        foreach (var (callId, recordJson, fresh) in heldEvents)
        {
            var snapshot = (long)(await lease.Statement(WriteSql.InsertSnapshot, callId, recordJson).ExecuteScalarAsync(ct))!;
            await lease.Statement(sql.InsertEvents(fresh.Count), [.. fresh.SelectMany(e => new object?[]
            {
                e.Id, e.Call.Id, e.Account, e.Type, e.OccurredAt.ToUnixTimeMilliseconds(), snapshot, e.Leg is null ? null : CallJson.Serialize(e.Leg),
            })]).ExecuteNonQueryAsync(ct);
            await lease.Statement(sql.InsertDeliveries, snapshot, now).ExecuteNonQueryAsync(ct);
        }
    }

    private async Task InsertPartiesAsync(string callId, List<(string Value, string Role)> parties, CancellationToken ct)
    {
        if (parties.Count > 0)
        {
            await lease.Statement(sql.InsertParties(parties.Count), [.. parties.SelectMany(p => new object?[] { p.Value, callId, p.Role })])
                .ExecuteNonQueryAsync(ct);
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
}
