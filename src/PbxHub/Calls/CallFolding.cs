using PbxHub.Accounts;
using PbxHub.Storage;
using PbxHub.Telemetry;

namespace PbxHub.Calls;

/// <summary>
/// The calls whose raw events are stored but not yet folded. The ingest writer adds to it after each
/// commit and folds them when it is idle or they have waited long enough, so a burst of events of one
/// call is folded once. The position folded through is stored with the records, so after a crash the
/// calls of later raw events are folded again at start-up.
/// </summary>
internal sealed partial class CallFolding(
    IHubStore store, CallBuilder builder, AccountDirectory accounts, FoldProgress progress, FoldTraces foldTraces, TimeProvider time,
    ILogger<CallFolding> logger)
{
    private readonly Dictionary<(string Account, string CallKey), PendingCall> pending = [];

    /// <summary>Pending calls oldest first, so under sustained load no call waits behind newer ones.</summary>
    private readonly Queue<(string Account, string CallKey)> order = new();
    private readonly FoldedCallCache cache = new();
    private long pendingThrough;

    public bool HasPending => pending.Count > 0;

    /// <summary>How long the oldest pending call has waited.</summary>
    public TimeSpan PendingAge => order.TryPeek(out var oldest) ? time.GetElapsedTime(pending[oldest].Since) : TimeSpan.Zero;

    /// <summary>A raw event just stored; <paramref name="signals"/> is what it says (null: read it from the store).</summary>
    /// <param name="firstSeq">The oldest raw event of the call not yet folded, when it is older than <paramref name="seq"/>.</param>
    /// <param name="traced">The span of the request that brought it (docs/tracing.md), for the fold to link to.</param>
    public void Add(
        Account account, string callKey, long seq, IReadOnlyList<CallSignal>? signals, DateTimeOffset receivedAt, long? firstSeq = null,
        System.Diagnostics.ActivityContext traced = default)
    {
        if (!pending.TryGetValue((account.Id, callKey), out var call))
        {
            pending[(account.Id, callKey)] = call = new PendingCall(account, firstSeq ?? seq, time.GetTimestamp());
            order.Enqueue((account.Id, callKey));
        }

        call.Rows.Add((seq, signals, receivedAt));
        if (traced != default)
        {
            call.Traces.Add(traced);
        }

        pendingThrough = Math.Max(pendingThrough, seq);
    }

    /// <summary>Folds the calls of raw events stored after the last fold (after a crash, or a replay elsewhere).</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        var through = await store.FoldedThroughAsync(ct);
        progress.Fold(through);
        foreach (var (accountId, callKey, seq) in await store.CallsWithRawAfterAsync(through, ct))
        {
            if (await accounts.FindAsync(accountId, ct) is { } account)
            {
                Add(account, callKey, seq, null, default, firstSeq: through + 1);
            }
        }

        if (HasPending)
        {
            progress.Acknowledge(pendingThrough);
            LogRecovering(logger, pending.Count);
            while (HasPending)
            {
                await FoldAsync(ct);
            }
        }
    }

    /// <summary>
    /// Folds the oldest pending calls, at most <see cref="CallsPerFold"/> of them, so that requests
    /// waiting for the writer are not held up by a long fold.
    /// </summary>
    public async Task FoldAsync(CancellationToken ct)
    {
        var chunk = order.Take(CallsPerFold).Select(key => KeyValuePair.Create(key, pending[key])).ToList();
        // Everything before the oldest event still pending is folded.
        var rest = pending.Values.Except(chunk.Select(c => c.Value)).Select(c => c.FirstSeq - 1).DefaultIfEmpty(pendingThrough).Min();
        using var span = HubTracing.StartLinked(HubTracing.Fold, chunk.SelectMany(c => c.Value.Traces));
        span?.SetTag("pbxhub.calls", chunk.Count);
        try
        {
            await using var session = await store.BeginAsync(ct, recomputable: true);
            // Calls in one order on every node (and in the ingest writer): engines that lock calls cannot deadlock.
            foreach (var ((_, callKey), call) in chunk.OrderBy(c => c.Key.Account, StringComparer.Ordinal).ThenBy(c => c.Key.CallKey, StringComparer.Ordinal))
            {
                try
                {
                    await FoldOneAsync(session, call.Account, callKey, call, ct);
                }
                catch (Exception ex) when (ex is not System.Data.Common.DbException)
                {
                    // The raw events stay; a record that failed to fold is rebuilt by replay after a fix.
                    cache.Forget(call.Account.Id, callKey);
                    LogFoldFailed(logger, ex, call.Account.Id, callKey);
                }
            }

            await session.SetFoldedThroughAsync(rest, ct);
            await session.CommitAsync(ct);
        }
        catch
        {
            // What the cache learned in the rolled-back transaction is not in the store.
            cache.Clear();
            throw;
        }

        for (var i = 0; i < chunk.Count; i++)
        {
            pending.Remove(order.Dequeue());
        }

        progress.Fold(rest);
    }

    private const int CallsPerFold = 64;

    /// <summary>
    /// Folds from the cached signals plus the new ones when the store agrees the cache is whole (same
    /// count and last position of raw events), else from everything the store holds for the call.
    /// </summary>
    private async Task FoldOneAsync(IWriteSession session, Account account, string callKey, PendingCall call, CancellationToken ct)
    {
        var (count, lastSeq) = await session.CallRawStatsAsync(account.Id, callKey, ct);
        var entry = cache.Get(account.Id, callKey);
        var known = entry?.Count ?? 0;
        var whole = call.Rows.All(r => r.Signals is not null)
            && known + call.Rows.Count == count
            && Math.Max(entry?.LastSeq ?? 0, call.Rows.Max(r => r.Seq)) == lastSeq;
        if (whole && (entry is not null || known == 0))
        {
            // The cache plus the new rows (or, for a new call, the new rows alone) are all the store holds;
            // a new call has no record, index entries or events yet.
            entry ??= FoldedCall.New();
            entry.Add(call.Rows.SelectMany(r => r.Signals!), call.Rows.Count, lastSeq, call.Rows.Max(r => r.ReceivedAt));
        }
        else
        {
            var raws = await session.CallRawAsync(account.Id, callKey, ct);
            entry = new FoldedCall();
            entry.Add(raws.SelectMany(r => builder.SignalsOf(account, r)), raws.Count, lastSeq, raws.Max(r => r.Request.ReceivedAt));
        }

        var record = builder.Fold(account, callKey, entry.Signals, entry.LastReceivedAt)!;
        foldTraces.Folded(record.Id, System.Diagnostics.Activity.Current);
        var saved = await CallBuilder.SaveAsync(session, record, entry.LastReceivedAt, entry.Parties, entry.EventIds, ct);
        entry.Saved(saved);
        cache.Put(account.Id, callKey, entry);
    }

    private sealed class PendingCall(Account account, long firstSeq, long since)
    {
        public Account Account { get; } = account;

        /// <summary>When it became pending (a <see cref="TimeProvider"/> timestamp).</summary>
        public long Since { get; } = since;

        /// <summary>The position of its oldest raw event not yet folded.</summary>
        public long FirstSeq { get; } = firstSeq;

        public List<(long Seq, IReadOnlyList<CallSignal>? Signals, DateTimeOffset ReceivedAt)> Rows { get; } = [];

        /// <summary>The spans of the requests that brought <see cref="Rows"/>, where they were traced.</summary>
        public List<System.Diagnostics.ActivityContext> Traces { get; } = [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Folding {Count} calls whose raw events were stored but not folded")]
    private static partial void LogRecovering(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Folding call {CallKey} of account {Account} failed; its raw events are stored")]
    private static partial void LogFoldFailed(ILogger logger, Exception ex, string account, string callKey);
}
