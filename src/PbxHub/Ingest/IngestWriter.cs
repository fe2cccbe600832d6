using System.Threading.Channels;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Storage;
using PbxHub.Telemetry;

namespace PbxHub.Ingest;

/// <summary>
/// The acknowledgement stage of the write path and its single writer (docs/storage.md, "The write path"). Requests
/// that arrive together are committed in one transaction (group commit): one flush serves the whole batch, and each
/// request is answered only after it. Folding the touched calls into records (<see cref="FoldStage"/>) takes turns
/// with it as <see cref="WriterSchedule"/> decides, so a busy hub folds each call once per burst; where several nodes
/// share the store (PostgreSQL) folding runs beside it instead (<see cref="FoldSchedule"/>).
/// </summary>
internal sealed partial class IngestWriter(
    HubStore store, FoldStage folding, FreshReads progress, IngestMetrics metrics, StorageFaults faults, SchedulingClock clock,
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

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => store.SharedByNodes ? AckBesideFoldsAsync() : TakeTurnsAsync();

    /// <summary>SQLite: one write lock per file, so acknowledging and folding take turns on one writer.</summary>
    private async Task TakeTurnsAsync()
    {
        var schedule = new WriterSchedule(clock.Time, options.Value);
        var batch = new List<Pending>(options.Value.MaxBatchSize);
        // Drain what is queued even while stopping: those requests are waiting for their answer.
        while (true)
        {
            var queued = queue.Reader.TryPeek(out _);
            if (!queued && overload.End() is > 0 and var refused)
            {
                LogOverloadOver(logger, refused);
            }

            var step = schedule.Next(queued, folding.HasPending, folding.OldestPendingSince, queue.Reader.Completion.IsCompleted);
            var began = clock.Time.GetTimestamp();
            switch (step.State)
            {
                case WriterState.Acking:
                    while (batch.Count < options.Value.MaxBatchSize && queue.Reader.TryRead(out var next))
                    {
                        batch.Add(next);
                    }

                    await WriteBatchAsync(batch);
                    batch.Clear();
                    break;
                case WriterState.Folding:
                    await FoldAsync(schedule.Folded, schedule.FoldFailed, () => folding.FoldAsync(CancellationToken.None), "folding calls");
                    break;
                case WriterState.Stopped:
                    return;
                default:
                    await RequestsWithinAsync(step.Wait);
                    break;
            }

            metrics.WriterTime(step.State, clock.Time.GetElapsedTime(began));
        }
    }

    /// <summary>Waits until a request is queued (or the queue is closed), at most <paramref name="wait"/> on the scheduling clock.</summary>
    private async Task RequestsWithinAsync(TimeSpan? wait)
    {
        if (wait is not { } limit)
        {
            await queue.Reader.WaitToReadAsync(CancellationToken.None);
            return;
        }

        using var pause = new CancellationTokenSource(limit, clock.Time);
        try
        {
            await queue.Reader.WaitToReadAsync(pause.Token);
        }
        catch (OperationCanceledException)
        {
            // The wait ran out: the schedule decides what that means.
        }
    }

    private readonly Logging.LogEpisode overload = new();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        StoredRaw[] results;
        using var span = HubTracing.StartLinked(HubTracing.Commit, batch.Select(p => p.Traced));
        span?.SetTag("pbxhub.batch_size", batch.Count);
        var began = faults.Now;
        try
        {
            await using var session = await store.BeginAsync(CancellationToken.None);
            results = await session.AppendRawAsync(batch.ConvertAll(p => p.Row), CancellationToken.None);
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

        faults.Succeeded(began);
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

    /// <param name="folded">Tells the schedule the fold committed.</param>
    /// <param name="failed">Tells the schedule the database refused it.</param>
    private async Task FoldAsync(Action folded, Action failed, Func<Task> fold, string what)
    {
        try
        {
            await fold();
            folded();
        }
        catch (Exception ex)
        {
            // The database refused (disk full, locked by another process): keep the calls pending and try again in a
            // while, without holding up the requests, whose raw events can still be stored.
            if (!faults.Absorb(ex, what))
            {
                LogFoldBatchFailed(logger, ex);
            }

            failed();
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
