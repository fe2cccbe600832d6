using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Calls;

/// <summary>
/// Turns a call's raw events into its record: the provider's adapter interprets each one, the fold
/// makes the record, and the record is stored with the events it implies. Ingest, the sweeper and
/// replay all go through here, so there is one way a record comes to be.
/// </summary>
internal sealed class CallRecords(ProviderRegistry providers, Reconciliation.HistoryRegistry histories)
{
    /// <summary>Rebuilds a call from all of its stored raw events; returns how many events it added to the log.</summary>
    public async Task<int> RebuildAsync(WriteSession session, Account account, string callKey, CancellationToken ct)
    {
        var raws = await session.CallRawAsync(account.Id, callKey, ct);
        if (Fold(account, callKey, raws) is not { } record)
        {
            return 0;
        }

        return (await SaveAsync(session, record, record.UpdatedAt, null, null, ct)).Added;
    }

    /// <summary>What one raw event says: the adapter's reading of a hook, the sweeper's timeout, a history row, or what pruned requests said.</summary>
    public IEnumerable<CallSignal> SignalsOf(Account account, RawRow raw) => raw.Kind switch
    {
        RawKinds.Timeout => [new TimedOut(raw.Request.ReceivedAt)],
        RawKinds.Compacted => Retention.CompactedSignals.Read(raw.Request.Body),
        RawKinds.Recording => Recordings.RecordingHistory.Read(raw.Request),
        RawKinds.History => Reconciliation.HistoryRows.Signals(histories.Find(account.Provider), account, raw.Request),
        RawKinds.Hook when providers.Get(account.Provider).ParseSafely(account, raw.Request) is HookParse.Parsed parsed => parsed.Signals,
        _ => [],
    };

    public CallRecord? Fold(Account account, string callKey, IEnumerable<CallSignal> signals, DateTimeOffset lastReceivedAt) =>
        CallFold.Fold(new CallIdentity(StableIds.CallId(account.Id, callKey), account.Id, account.Provider, callKey, lastReceivedAt), signals);

    public CallRecord? Fold(Account account, string callKey, IReadOnlyList<RawRow> raws) =>
        raws.Count == 0 ? null : Fold(account, callKey, raws.SelectMany(r => SignalsOf(account, r)), raws.Max(r => r.Request.ReceivedAt));

    /// <summary>Stores the record and appends its new events; what the caller already knows is not looked up again.</summary>
    public static async Task<SavedCall> SaveAsync(
        WriteSession session, CallRecord record, DateTimeOffset lastReceivedAt, IReadOnlySet<(string Value, string Role)>? knownParties,
        IReadOnlySet<string>? knownEventIds, CancellationToken ct)
    {
        var json = CallJson.Serialize(record);
        var parties = await session.SaveCallAsync(record, json, lastReceivedAt, knownParties, ct);
        var events = CallEvents.Of(record);
        var added = await session.AppendEventsAsync(events, json, knownEventIds, ct);
        return new SavedCall(parties, events.Select(e => e.Id), added);
    }
}

internal sealed record SavedCall(IReadOnlySet<(string Value, string Role)> Parties, IEnumerable<string> EventIds, int Added);
