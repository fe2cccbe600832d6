using PbxHub.Storage;

namespace PbxHub.Calls;

/// <summary>
/// The record reads every reader gets: each waits (at most <see cref="Patience"/>) until what was acknowledged before
/// it is folded, then reads. Registered as <see cref="ICallQueries"/>, so a new reader cannot forget it.
/// </summary>
internal sealed class FreshCallQueries(SqlCallQueries stored, FreshReads fresh, StorageFaults faults) : ICallQueries
{
    /// <summary>How long a read waits for records to reflect what was acknowledged before it; then it serves what there is.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<CallRecord>> ListAsync(CallQuery query, CancellationToken ct)
    {
        await CatchUpAsync(ct);
        return await stored.ListAsync(query, ct);
    }

    public async Task<CallRecord?> GetAsync(string id, CancellationToken ct)
    {
        await CatchUpAsync(ct);
        return await stored.GetAsync(id, ct);
    }

    public async Task<(IReadOnlyList<RawRow> Raw, IReadOnlyList<CallEvent> Events)?> TimelineAsync(string id, CancellationToken ct)
    {
        await CatchUpAsync(ct);
        return await stored.TimelineAsync(id, ct);
    }

    public async Task<IReadOnlyList<(string Account, string CallKey)>> OpenCallsIdleSinceAsync(
        IReadOnlyCollection<string> accounts, DateTimeOffset before, int limit, CancellationToken ct)
    {
        await CatchUpAsync(ct);
        return await stored.OpenCallsIdleSinceAsync(accounts, before, limit, ct);
    }

    /// <summary>
    /// While the database fails, folds cannot commit: waiting for them would only delay the answer (a 503, or on a full
    /// disk the records there are) by the whole patience (docs/deployment.md, "When the database fails").
    /// </summary>
    private Task CatchUpAsync(CancellationToken ct) => CatchUpAsync(fresh, faults, ct);

    /// <summary>The wait every reader of what folds write does (records here, events for a recovery), as described above.</summary>
    public static Task CatchUpAsync(FreshReads fresh, StorageFaults faults, CancellationToken ct) =>
        faults.FailedRecently ? Task.CompletedTask : fresh.CatchUpAsync(Patience, ct);

    // Not records: the raw log and the deliveries are written before they are read, with nothing to catch up.
    public Task<IReadOnlyList<AccountActivity>> AccountActivityAsync(CancellationToken ct) => stored.AccountActivityAsync(ct);

    public Task<IReadOnlyList<RawRow>> QuarantinedAsync(QuarantineQuery query, CancellationToken ct) => stored.QuarantinedAsync(query, ct);

    public Task<IReadOnlyList<(string SubscriptionId, DeliveryView Delivery)>> CallDeliveriesAsync(string callId, CancellationToken ct) =>
        stored.CallDeliveriesAsync(callId, ct);
}
