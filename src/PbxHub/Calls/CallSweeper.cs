using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Ingest;
using PbxHub.Storage;

namespace PbxHub.Calls;

/// <summary>
/// Closes calls whose end never came. It writes a timeout marker as a raw event of the call (through
/// the ingest writer), so the closure is part of the call's history: replay reproduces it, and a late
/// end event still corrects the record.
/// </summary>
internal sealed partial class CallSweeper(
    HubStore store, ICallQueries calls, IngestWriter writer, AccountDirectory accounts, IOptions<CallsOptions> options,
    StorageFaults faults, TimeProvider time, ILogger<CallSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // With several nodes on one database, one of them sweeps at a time.
        await store.RunEveryAsync(
            "sweeper", options.Value.SweepInterval, time, faults, "sweeping open calls", SweepAsync, ex => LogSweepFailed(logger, ex), stoppingToken);
    }

    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = RawRequest.Stamp(time);
        // Calls of a removed account cannot be folded; leaving them out keeps them from filling every sweep.
        var known = (await accounts.ListAsync(ct)).ToDictionary(a => a.Id);
        // Judged as of every event acknowledged so far, not as of the last fold (FreshCallQueries).
        var idle = await calls.OpenCallsIdleSinceAsync(known.Keys, now - options.Value.OpenCallTimeout, 1000, ct);
        var closed = 0;
        foreach (var (accountId, callKey) in idle)
        {
            var account = known[accountId];

            var marker = new RawRequest("TIMEOUT", null, "", [], new Dictionary<string, string>(), now);
            var row = new RawRow(0, account.Id, account.Provider, RawKinds.Timeout, callKey,
                $"timeout:{callKey}:{now.ToUnixTimeMilliseconds()}", marker, "no end event within the open-call timeout");
            await writer.WriteAsync(account, row, ct, [new TimedOut(now)]);
            closed++;
        }

        if (closed > 0)
        {
            LogClosed(logger, closed);
        }

        return closed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} calls whose end never came")]
    private static partial void LogClosed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sweeping open calls failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
