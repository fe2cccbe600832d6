namespace PbxHub.Storage;

/// <summary>
/// Work that one node of a cluster does at a time, every interval (the sweeper, retention, recording retention,
/// reconciliation): this node does it on a tick only while it leads the job (<see cref="HubStore.TryLeadAsync"/>).
/// </summary>
internal static class LeadingJobs
{
    /// <summary>Runs <paramref name="work"/> now and on every tick until the hub stops.</summary>
    /// <param name="doing">What the work is, in words, for the one log line of a storage outage (<see cref="StorageFaults"/>).</param>
    /// <param name="failed">Logs a failure that is not a storage outage; the work runs again on the next tick.</param>
    public static async Task RunEveryAsync(
        this HubStore store, string job, TimeSpan interval, TimeProvider time, StorageFaults faults, string doing,
        Func<CancellationToken, Task> work, Action<Exception> failed, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await using var lead = await store.TryLeadAsync(job, stoppingToken);
                if (lead is not null)
                {
                    await work(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // A database that is down is one episode in the log, not a stack trace per round.
                if (!faults.Absorb(ex, doing))
                {
                    failed(ex);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
