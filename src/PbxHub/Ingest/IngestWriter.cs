using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;
using PbxHub.Telemetry;

namespace PbxHub.Ingest;

/// <summary>
/// The single writer. Requests that arrive together are committed in one transaction (group commit):
/// one flush serves the whole batch, and each request is answered only after it. Folding the touched
/// calls into records comes after the answers, when the queue is idle or the oldest unfolded call
/// has waited <see cref="IngestOptions.MaxFoldDelay"/>, so a busy hub folds each call once per burst.
/// </summary>
internal sealed partial class IngestWriter(
    IHubStore store, CallFolding folding, FoldProgress progress, IngestMetrics metrics, StorageFaults faults,
    IOptions<IngestOptions> options, ILogger<IngestWriter> logger) : BackgroundService
{
    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(
        new BoundedChannelOptions(options.Value.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Stores the row durably; completes when it is committed (or was already stored).</summary>
    /// <param name="signals">What the row says, when the caller parsed it already (spares parsing it again to fold).</param>
    public async Task<StoredRaw> WriteAsync(Account account, RawRow row, CancellationToken ct, IReadOnlyList<CallSignal>? signals = null)
    {
        using var span = HubTracing.Source.StartActivity(HubTracing.Store);
        span?.SetTag("pbxhub.account", account.Id).SetTag("pbxhub.call_key", row.CallKey).SetTag("pbxhub.raw_kind", row.Kind);
        var pending = new Pending(account, row, signals, new TaskCompletionSource<StoredRaw>(TaskCreationOptions.RunContinuationsAsynchronously), HubTracing.Current);
        if (!queue.Writer.TryWrite(pending))
        {
            await WaitForRoomAsync(pending, ct);
        }

        var stored = await pending.Done.Task;
        span?.SetTag("pbxhub.raw_seq", stored.Seq).SetTag("pbxhub.duplicate", stored.Duplicate);
        return stored;
    }

    /// <summary>
    /// A full queue: wait a little for room, then refuse. Like <see cref="RequestsWithinAsync"/> it is a scheduling
    /// wait on the machine's clock; a request held longer would only be answered after the provider stopped waiting.
    /// </summary>
    private async Task WaitForRoomAsync(Pending pending, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(options.Value.QueueFullWait);
        try
        {
            await queue.Writer.WriteAsync(pending, wait.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Once per overload (until the queue next runs empty): a line per refused request would add to the load.
            if (overload.Occurred())
            {
                LogOverloaded(logger, options.Value.QueueCapacity, options.Value.QueueFullWait.TotalMilliseconds);
            }

            throw new IngestOverloadedException();
        }
    }

    /// <summary>Folds what a crash left unfolded before the hub takes requests, so reads never see less than was acknowledged.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await folding.RecoverAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.Value.MaxBatchSize);
        // Drain what is queued even while stopping: those requests are waiting for their answer.
        while (true)
        {
            if (!queue.Reader.TryPeek(out _))
            {
                if (overload.End() is > 0 and var refused)
                {
                    LogOverloadOver(logger, refused);
                }

                if (folding.HasPending)
                {
                    if (!await RequestsWithinAsync(CanFold ? IdlePause : UntilFoldRetry))
                    {
                        await FoldIfAllowedAsync();
                        continue;
                    }

                    if (!queue.Reader.TryPeek(out _))
                    {
                        // Stopping: fold what is pending while the store lets us; the rest is folded at the next start.
                        while (folding.HasPending && CanFold)
                        {
                            await FoldAsync();
                        }

                        break;
                    }
                }
                else if (store.SharedByNodes)
                {
                    if (!await RequestsWithinAsync(options.Value.OrphanFoldInterval))
                    {
                        await FoldLeftByOtherNodesAsync();
                        continue;
                    }

                    if (!queue.Reader.TryPeek(out _))
                    {
                        break;
                    }
                }
                else if (!await queue.Reader.WaitToReadAsync(CancellationToken.None))
                {
                    break;
                }
            }

            while (batch.Count < options.Value.MaxBatchSize && queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await WriteBatchAsync(batch);
            batch.Clear();
            if (folding.PendingAge >= options.Value.MaxFoldDelay)
            {
                await FoldIfAllowedAsync();
            }
        }
    }

    /// <summary>
    /// Under load the queue is empty only for the moment between an answer and the next request;
    /// folding then would fold each call once per event. A short wait tells a pause from that moment.
    /// It is a scheduling pause, so it runs on the machine's clock, not the hub's <see cref="TimeProvider"/>.
    /// </summary>
    /// <returns>True when a request arrived or the queue was completed; false when the wait ran out.</returns>
    private async Task<bool> RequestsWithinAsync(TimeSpan wait)
    {
        using var pause = new CancellationTokenSource(wait);
        try
        {
            await queue.Reader.WaitToReadAsync(pause.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static readonly TimeSpan IdlePause = TimeSpan.FromMilliseconds(5);

    private readonly Logging.LogEpisode overload = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var results = new StoredRaw[batch.Count];
        using var span = HubTracing.StartLinked(HubTracing.Commit, batch.Select(p => p.Traced));
        span?.SetTag("pbxhub.batch_size", batch.Count);
        try
        {
            await using var session = await store.BeginAsync(CancellationToken.None);
            // In the order folds lock calls (PostgreSQL locks each call a raw event is stored for): no deadlock between them.
            foreach (var i in Enumerable.Range(0, batch.Count)
                .OrderBy(i => batch[i].Row.Account, StringComparer.Ordinal).ThenBy(i => batch[i].Row.CallKey ?? "", StringComparer.Ordinal))
            {
                results[i] = await session.AppendRawAsync(batch[i].Row, CancellationToken.None);
            }

            await session.CommitAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            if (!faults.Absorb(ex, "storing hooks"))
            {
                LogBatchFailed(logger, ex, batch.Count);
            }

            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }

            return;
        }

        faults.Succeeded();
        metrics.Committed(batch.Count, results.Count(r => r.Duplicate));
        for (var i = 0; i < batch.Count; i++)
        {
            var (account, row, signals, _, traced) = batch[i];
            if (!results[i].Duplicate && row.Kind == RawKinds.Quarantined)
            {
                metrics.Quarantined(row.Account, row.Provider, row.Reason ?? "");
            }

            if (!results[i].Duplicate && row.CallKey is not null)
            {
                folding.Add(account, row.CallKey, results[i].Seq, signals, row.Request.ReceivedAt, traced: traced);
                progress.Acknowledge(results[i].Seq);
            }
        }

        foreach (var pending in batch.Zip(results))
        {
            pending.First.Done.TrySetResult(pending.Second);
        }
    }

    private long foldAgainAt;

    private bool CanFold => System.Diagnostics.Stopwatch.GetTimestamp() >= foldAgainAt;

    private TimeSpan UntilFoldRetry => TimeSpan.FromMilliseconds(Math.Max(1, System.Diagnostics.Stopwatch.GetElapsedTime(
        System.Diagnostics.Stopwatch.GetTimestamp(), foldAgainAt).TotalMilliseconds));

    private Task FoldIfAllowedAsync() => CanFold ? FoldAsync() : Task.CompletedTask;

    private async Task FoldAsync()
    {
        try
        {
            await folding.FoldAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The database refused (disk full, locked by another process): keep the calls pending and try
            // again in a while, without holding up the requests, whose raw events can still be stored.
            if (!faults.Absorb(ex, "folding calls"))
            {
                LogFoldBatchFailed(logger, ex);
            }

            foldAgainAt = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(FoldRetryDelay.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        }
    }

    private static readonly TimeSpan FoldRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Folds what other nodes stored but did not fold (one that died after acknowledging); on one node nothing is left to another.</summary>
    private async Task FoldLeftByOtherNodesAsync()
    {
        try
        {
            await folding.RecoverAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            if (!faults.Absorb(ex, "folding calls left by other nodes"))
            {
                LogFoldBatchFailed(logger, ex);
            }
        }
    }

    /// <param name="Traced">The span of the request that is waiting (docs/tracing.md), for the commit and the fold to link to.</param>
    private sealed record Pending(
        Account Account, RawRow Row, IReadOnlyList<CallSignal>? Signals, TaskCompletionSource<StoredRaw> Done, System.Diagnostics.ActivityContext Traced);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ingest batch of {Count} requests failed; none was acknowledged")]
    private static partial void LogBatchFailed(ILogger logger, Exception ex, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest overloaded: {Capacity} requests queued and no room for {WaitMs} ms; refusing hooks with 503 until the queue drains (PbxHub:Ingest:QueueCapacity, QueueFullWait)")]
    private static partial void LogOverloaded(ILogger logger, int capacity, double waitMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest overload over: {Refused} hook requests were refused with 503")]
    private static partial void LogOverloadOver(ILogger logger, long refused);

    [LoggerMessage(Level = LogLevel.Error, Message = "Folding stored events into call records failed; retrying")]
    private static partial void LogFoldBatchFailed(ILogger logger, Exception ex);
}

/// <summary>The ingest queue stayed full for <see cref="IngestOptions.QueueFullWait"/>: the request was not stored.</summary>
internal sealed class IngestOverloadedException() : Exception("The ingest queue is full; the request was not stored.");
