using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Storage;

namespace PbxHub.Reconciliation;

/// <summary>
/// Reconciles each account that has a <c>History:Interval</c> when it is due (docs/reconciliation.md): from where its last
/// successful scheduled run ended, less the overlap, to now less the settle time, at most <c>MaxWindow</c> at once.
/// One node of a cluster runs it at a time.
/// </summary>
internal sealed partial class ReconciliationSchedule(
    HubStore hub, ReconciliationStore runs, Reconciler reconciler, AccountDirectory accounts, IOptions<ReconciliationOptions> options,
    StorageFaults faults, TimeProvider time, ILogger<ReconciliationSchedule> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await hub.RunEveryAsync(
            "reconciliation", options.Value.CheckInterval, time, faults, "reconciling call histories", RunDueAsync, ex => LogFailed(logger, ex), stoppingToken);
    }

    /// <summary>Runs every account that is due now; returns how many ran.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var ran = 0;
        foreach (var account in await accounts.ListAsync(ct))
        {
            if (await WindowAsync(account, ct) is { } window)
            {
                await reconciler.RunAsync(account, window.Since, window.Until, RunTriggers.Schedule, ct);
                ran++;
            }
        }

        return ran;
    }

    /// <summary>The period the account's next scheduled run reads, when it is due now and can run.</summary>
    public async Task<(DateTimeOffset Since, DateTimeOffset Until)?> WindowAsync(Account account, CancellationToken ct)
    {
        if (HistoryInterval.Of(account) is not { } interval || reconciler.Refusal(account).Count > 0)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (await runs.LastScheduledAsync(account.Id, ct) is { } last && now - last < interval)
        {
            return null;
        }

        var o = options.Value;
        var since = (await runs.LastSucceededUntilAsync(account.Id, ct) ?? now - interval) - o.Overlap;
        var until = now - o.Settle;
        if (until - since > o.MaxWindow)
        {
            until = since + o.MaxWindow;
        }

        return since < until ? (since, until) : null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Reconciling call histories failed")]
    private static partial void LogFailed(ILogger logger, Exception ex);
}
