using PbxHub.Accounts;
using PbxHub.Storage;

namespace PbxHub.Calls;

/// <summary>
/// The calls whose raw events are stored but not yet folded. The ingest writer adds to it after each
/// commit and folds them when it is idle or they have waited long enough, so a burst of events of one
/// call is folded once. The position folded through is stored with the records, so after a crash the
/// calls of later raw events are folded again at start-up.
/// </summary>
internal sealed partial class CallFolding(
    IHubStore store, CallBuilder builder, AccountDirectory accounts, FoldProgress progress, TimeProvider time, ILogger<CallFolding> logger)
{
    private readonly Dictionary<(string Account, string CallKey), Account> pending = [];
    private long pendingThrough;
    private long? pendingSince;

    public bool HasPending => pending.Count > 0;

    public TimeSpan PendingAge => pendingSince is { } since ? time.GetElapsedTime(since) : TimeSpan.Zero;

    public void Add(Account account, string callKey, long seq)
    {
        pending[(account.Id, callKey)] = account;
        pendingThrough = Math.Max(pendingThrough, seq);
        pendingSince ??= time.GetTimestamp();
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
                Add(account, callKey, seq);
            }
        }

        if (HasPending)
        {
            LogRecovering(logger, pending.Count);
            await FoldAsync(ct);
        }
    }

    public async Task FoldAsync(CancellationToken ct)
    {
        var through = pendingThrough;
        await using (var session = await store.BeginAsync(ct, recomputable: true))
        {
            foreach (var ((_, callKey), account) in pending)
            {
                try
                {
                    await builder.RebuildAsync(session, account, callKey, ct);
                }
                catch (Exception ex) when (ex is not System.Data.Common.DbException)
                {
                    // The raw events stay; a record that failed to fold is rebuilt by replay after a fix.
                    LogFoldFailed(logger, ex, account.Id, callKey);
                }
            }

            await session.SetFoldedThroughAsync(through, ct);
            await session.CommitAsync(ct);
        }

        pending.Clear();
        pendingSince = null;
        progress.Fold(through);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Folding {Count} calls whose raw events were stored but not folded")]
    private static partial void LogRecovering(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Folding call {CallKey} of account {Account} failed; its raw events are stored")]
    private static partial void LogFoldFailed(ILogger logger, Exception ex, string account, string callKey);
}
