using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.Providers;
using PbxHub.Storage;

namespace PbxHub.Calls;

/// <summary>
/// Rebuilds one call inside a write session: reads all of its raw events, has the provider's adapter
/// interpret them, folds, and stores the record with the events it implies. Ingest, the sweeper and
/// replay all go through here, so there is one way a record comes to be.
/// </summary>
internal sealed class CallBuilder(ProviderRegistry providers)
{
    /// <summary>Returns how many events the rebuilt record added to the log.</summary>
    public async Task<int> RebuildAsync(IWriteSession session, Account account, string callKey, CancellationToken ct)
    {
        var raws = await session.CallRawAsync(account.Id, callKey, ct);
        var record = Fold(account, callKey, raws);
        if (record is null)
        {
            return 0;
        }

        await session.SaveCallAsync(record, raws.Max(r => r.Request.ReceivedAt), ct);
        return await session.AppendEventsAsync(CallEvents.Of(record), ct);
    }

    public CallRecord? Fold(Account account, string callKey, IReadOnlyList<RawRow> raws)
    {
        if (raws.Count == 0)
        {
            return null;
        }

        var adapter = providers.Get(account.Provider);
        var signals = new List<CallSignal>();
        foreach (var raw in raws)
        {
            switch (raw.Kind)
            {
                case RawKinds.Timeout:
                    signals.Add(new TimedOut(raw.Request.ReceivedAt));
                    break;
                case RawKinds.Hook when adapter.Parse(account, raw.Request) is HookParse.Parsed parsed:
                    signals.AddRange(parsed.Signals);
                    break;
            }
        }

        var identity = new CallIdentity(
            StableIds.CallId(account.Id, callKey), account.Id, account.Provider, callKey, raws.Max(r => r.Request.ReceivedAt));
        return CallFold.Fold(identity, signals);
    }
}
