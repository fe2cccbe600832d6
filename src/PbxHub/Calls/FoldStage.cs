using PbxHub.Accounts;
using PbxHub.Storage;
using PbxHub.Ingest;
using PbxHub.Telemetry;

namespace PbxHub.Calls;

/// <summary>
/// The fold stage of the write path (docs/storage.md, "The write path"): the calls whose raw events are acknowledged
/// but not yet folded into their record. The ingest writer adds to it after each commit and runs it when its schedule
/// says (<see cref="Ingest.WriterSchedule"/>), so a burst of events of one call is folded once, in large transactions,
/// incrementally from each call's cached state. The raw events' transaction marks each call as left to fold and the
/// fold's clears the mark, so after a crash (of any node) exactly those calls are folded again.
/// On PostgreSQL the folds run in a loop of their own beside the acknowledgements (<see cref="Ingest.FoldSchedule"/>):
/// <see cref="Add"/> and <see cref="FoldAsync"/> may then run at once, so the pending calls are kept under a lock and a
/// fold takes its chunk out of them; the cache is the folds' alone.
/// </summary>
internal sealed partial class FoldStage(
    HubStore store, CallRecords builder, AccountDirectory accounts, FreshReads progress, FoldTraces foldTraces, SchedulingClock clock,
    ILogger<FoldStage> logger)
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Account, string CallKey), PendingCall> pending = [];

    /// <summary>Pending calls oldest first, so under sustained load no call waits behind newer ones.</summary>
    private readonly Queue<(string Account, string CallKey)> order = new();
    private readonly FoldStageCache cache = new();
    private long pendingThrough;

    public bool HasPending
    {
        get
        {
            lock (gate)
            {
                return pending.Count > 0;
            }
        }
    }

    /// <summary>When the oldest pending call became pending (a timestamp of the <see cref="SchedulingClock"/>).</summary>
    public long OldestPendingSince
    {
        get
        {
            lock (gate)
            {
                return order.TryPeek(out var oldest) ? pending[oldest].Since : clock.Time.GetTimestamp();
            }
        }
    }

    /// <summary>A raw event just stored; <paramref name="signals"/> is what it says (null: read it from the store).</summary>
    /// <param name="firstSeq">The oldest raw event of the call not yet folded, when it is older than <paramref name="seq"/>.</param>
    /// <param name="traced">The span of the request that brought it (docs/tracing.md), for the fold to link to.</param>
    public void Add(
        Account account, string callKey, long seq, IReadOnlyList<CallSignal>? signals, DateTimeOffset receivedAt, long? firstSeq = null,
        System.Diagnostics.ActivityContext traced = default)
    {
        lock (gate)
        {
            if (!pending.TryGetValue((account.Id, callKey), out var call))
            {
                pending[(account.Id, callKey)] = call = new PendingCall(account, firstSeq ?? seq, clock.Time.GetTimestamp());
                order.Enqueue((account.Id, callKey));
            }

            call.Rows.Add((seq, signals, receivedAt));
            if (traced != default)
            {
                call.Traces.Add(traced);
            }

            pendingThrough = Math.Max(pendingThrough, seq);
        }
    }

    /// <summary>Folds the calls left to fold (after a crash of this node or another, or a replay elsewhere).</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        foreach (var (accountId, callKey, seq) in await store.LeftToFoldAsync(ct))
        {
            // A removed account's calls cannot be folded: they stay marked for a hub that knows the account.
            if (await accounts.FindAsync(accountId, ct) is { } account)
            {
                Add(account, callKey, seq, null, default);
            }
        }

        if (HasPending)
        {
            lock (gate)
            {
                progress.Acknowledge(pendingThrough);
                LogRecovering(logger, pending.Count);
            }

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
        var chunk = TakeChunk();
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

            await session.CommitAsync(ct);
        }
        catch
        {
            // What the cache learned in the rolled-back transaction is not in the store.
            cache.Clear();
            PutBack(chunk);
            throw;
        }

        long rest;
        lock (gate)
        {
            // Everything before the oldest event still pending (added meanwhile, too) is folded.
            rest = pending.Values.Select(c => c.FirstSeq - 1).DefaultIfEmpty(pendingThrough).Min();
        }

        progress.Fold(rest);
    }

    /// <summary>A fold's size: about 25 ms of the writer's time on a small machine, so acknowledgements wait little behind it.</summary>
    private const int CallsPerFold = 64;

    /// <summary>
    /// Takes the oldest pending calls out for a fold: rows acknowledged for them while it runs start a new entry, folded
    /// by the next fold (which finds them in the store or reads the call again), so no row is dropped with the chunk.
    /// </summary>
    private List<KeyValuePair<(string Account, string CallKey), PendingCall>> TakeChunk()
    {
        lock (gate)
        {
            var chunk = new List<KeyValuePair<(string Account, string CallKey), PendingCall>>(Math.Min(CallsPerFold, order.Count));
            while (chunk.Count < CallsPerFold && order.TryDequeue(out var key))
            {
                pending.Remove(key, out var call);
                chunk.Add(KeyValuePair.Create(key, call!));
            }

            return chunk;
        }
    }

    /// <summary>A fold that did not commit: its calls are pending again, first, with what arrived for them meanwhile.</summary>
    private void PutBack(List<KeyValuePair<(string Account, string CallKey), PendingCall>> chunk)
    {
        lock (gate)
        {
            var later = order.ToList();
            order.Clear();
            foreach (var (key, call) in chunk)
            {
                if (pending.Remove(key, out var newer))
                {
                    call.Rows.AddRange(newer.Rows);
                    call.Traces.AddRange(newer.Traces);
                    later.Remove(key);
                }

                pending[key] = call;
                order.Enqueue(key);
            }

            foreach (var key in later)
            {
                order.Enqueue(key);
            }
        }
    }

    /// <summary>
    /// Folds from the cached signals plus the new ones when the store agrees the cache is whole (same
    /// count and last position of raw events), else from everything the store holds for the call.
    /// </summary>
    private async Task FoldOneAsync(WriteSession session, Account account, string callKey, PendingCall call, CancellationToken ct)
    {
        await session.LockCallAsync(account.Id, callKey, ct);
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
        var saved = await CallRecords.SaveAsync(session, record, entry.LastReceivedAt, entry.Parties, entry.EventIds, ct);
        session.FoldedThrough(account.Id, callKey, lastSeq);
        entry.Saved(saved);
        cache.Put(account.Id, callKey, entry);
    }

    private sealed class PendingCall(Account account, long firstSeq, long since)
    {
        public Account Account { get; } = account;

        /// <summary>When it became pending (a <see cref="SchedulingClock"/> timestamp).</summary>
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
