using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using PbxHub.Calls;
using PbxHub.Ingest;

namespace PbxHub.Storage.Sqlite;

internal sealed class SqliteWriteSession : IWriteSession
{
    private readonly SqliteConnection connection;
    private readonly SqliteTransaction transaction;
    private readonly SqliteWriterCommands commands;
    private readonly Action release;
    private readonly TimeProvider time;
    private readonly EventLogSignal eventLog;
    private bool eventsAdded;

    public SqliteConnection Connection => connection;

    public SqliteTransaction Transaction => transaction;

    public SqliteWriteSession(
        SqliteConnection connection, SqliteTransaction transaction, SqliteWriterCommands commands, Action release, TimeProvider time, EventLogSignal eventLog)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.commands = commands;
        this.release = release;
        this.time = time;
        this.eventLog = eventLog;
        commands.Enlist(transaction);
    }

    public Task<StoredRaw> AppendRawAsync(RawRow row, CancellationToken ct)
    {
        var r = row.Request;
        var headers = r.Headers.Count == 0 ? "{}" : JsonSerializer.Serialize(r.Headers);
        var seq = commands.InsertRaw.With(
            row.Account, row.Provider, row.Kind, row.CallKey, row.DedupeKey, r.ReceivedAt.ToUnixTimeMilliseconds(),
            r.Method, r.ContentType, r.Query, r.Body, headers, row.Reason).ExecuteScalar();
        if (seq is long inserted)
        {
            return Task.FromResult(new StoredRaw(inserted, Duplicate: false));
        }

        var original = (long)commands.FindRaw.With(row.Account, row.DedupeKey).ExecuteScalar()!;
        return Task.FromResult(new StoredRaw(original, Duplicate: true));
    }

    public async Task<IReadOnlyList<RawRow>> CallRawAsync(string account, string callKey, CancellationToken ct)
    {
        await using var reader = commands.CallRaw.With(account, callKey).ExecuteReader();
        return await RawRowData.ReadAllAsync(reader, ct);
    }

    public Task MarkParsedAsync(long seq, string callKey, CancellationToken ct) =>
        connection.ExecuteAsync(
            "UPDATE raw_events SET kind = @kind, call_key = @callKey, reason = NULL WHERE seq = @seq",
            new { seq, callKey, kind = RawKinds.Hook }, transaction);

    public Task<IReadOnlySet<(string Value, string Role)>> SaveCallAsync(
        CallRecord call, string recordJson, DateTimeOffset lastReceivedAt, IReadOnlySet<(string Value, string Role)>? knownParties, CancellationToken ct)
    {
        var parties = CallPartyIndex.Of(call).ToHashSet();
        var partiesHash = CallPartyIndex.Hash(parties);
        var storedHash = knownParties is null ? commands.PartiesHash.With(call.Id).ExecuteScalar() as string : null;
        commands.UpsertCall.With(
            call.Id, call.Account, call.ProviderCallId, call.StartedAt.ToUnixTimeMilliseconds(), call.Direction, call.State,
            call.Outcome, lastReceivedAt.ToUnixTimeMilliseconds(), recordJson, partiesHash, call.From?.Number ?? call.From?.Raw).ExecuteNonQuery();
        if (knownParties is not null && knownParties.IsSubsetOf(parties))
        {
            // A call gains parties as its events arrive and rarely loses one: write only the new entries.
            InsertParties(call.Id, parties.Except(knownParties).ToList());
        }
        else if (knownParties is not null || storedHash != partiesHash)
        {
            commands.DeleteParties.With(call.Id).ExecuteNonQuery();
            InsertParties(call.Id, [.. parties]);
        }

        var answeredNumbers = CallPartyIndex.AnsweredNumbers(call, parties);
        if (answeredNumbers.Count > 0)
        {
            var started = call.StartedAt.ToUnixTimeMilliseconds();
            commands.UpsertAnswered(answeredNumbers.Count).With([.. answeredNumbers.SelectMany(v => new object?[] { call.Account, v, started })]).ExecuteNonQuery();
        }

        return Task.FromResult<IReadOnlySet<(string Value, string Role)>>(parties);
    }

    public Task<int> AppendEventsAsync(IReadOnlyList<CallEvent> events, string recordJson, IReadOnlySet<string>? known, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return Task.FromResult(0);
        }

        // Most of a call's events are in the log already: look them up rather than serialise them again.
        known ??= StoredEventIds(events[0].Call.Id);

        var fresh = events.Where(e => !known.Contains(e.Id)).ToList();
        if (fresh.Count == 0)
        {
            return Task.FromResult(0);
        }

        // The events of one fold share one snapshot of the call, stored once.
        var snapshot = (long)commands.InsertSnapshot.With(events[0].Call.Id, recordJson).ExecuteScalar()!;
        var added = commands.InsertEvents(fresh.Count).With([.. fresh.SelectMany(e => new object?[]
        {
            e.Id, e.Call.Id, e.Account, e.Type, e.OccurredAt.ToUnixTimeMilliseconds(), snapshot, e.Leg is null ? null : CallJson.Serialize(e.Leg),
        })]).ExecuteNonQuery();
        commands.InsertDeliveries.With(snapshot, time.GetUtcNow().ToUnixTimeMilliseconds()).ExecuteNonQuery();
        eventsAdded |= added > 0;
        return Task.FromResult(added);
    }

    private void InsertParties(string callId, List<(string Value, string Role)> parties)
    {
        if (parties.Count > 0)
        {
            commands.InsertParties(parties.Count).With([.. parties.SelectMany(p => new object?[] { p.Value, callId, p.Role })]).ExecuteNonQuery();
        }
    }

    private HashSet<string> StoredEventIds(string callId)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using var reader = commands.EventIds.With(callId).ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public Task<(long Count, long LastSeq)> CallRawStatsAsync(string account, string callKey, CancellationToken ct)
    {
        using var reader = commands.CallRawStats.With(account, callKey).ExecuteReader();
        reader.Read();
        return Task.FromResult((reader.GetInt64(0), reader.IsDBNull(1) ? 0L : reader.GetInt64(1)));
    }

    public Task DeleteCallsAsync(IReadOnlyCollection<string> accounts, CancellationToken ct) =>
        connection.ExecuteAsync(SqlHubReads.DeleteCallsOfAccounts(SqliteDialect.Instance), new { accounts = accounts.ToArray() }, transaction);

    public Task SetFoldedThroughAsync(long seq, CancellationToken ct) =>
        connection.ExecuteAsync("UPDATE fold_state SET folded_through = MAX(folded_through, @seq) WHERE id = 1", new { seq }, transaction);

    public Task CommitAsync(CancellationToken ct)
    {
        transaction.Commit();
        if (eventsAdded)
        {
            eventLog.Pulse();
        }

        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // Rolls back what was not committed; the connection stays open for the next session.
        await transaction.DisposeAsync();
        release();
    }
}
