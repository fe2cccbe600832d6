using System.Threading.Channels;

namespace PbxHub.Ingest;

/// <summary>
/// Where several nodes share the store (PostgreSQL), acknowledgements and folds run at once, each transaction on its
/// own pooled connection: the store serialises what touches one call by the call lock, taken in one order by
/// acknowledgements and folds alike, so neither can deadlock the other (docs/storage.md, "The scheduler"). An
/// acknowledgement then waits only for its batch's commit, not behind a fold.
/// </summary>
internal sealed partial class IngestWriter
{
    /// <summary>Rings after each batch that may have left calls to fold, and when the acknowledgements stop; one ring is enough.</summary>
    private readonly Channel<bool> foldBell = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private volatile bool acksStopped;

    private async Task AckBesideFoldsAsync()
    {
        var folds = Task.Run(FoldBesideAcksAsync);
        var batch = new List<Pending>(options.Value.MaxBatchSize);
        try
        {
            // Completes once the queue is closed and drained: requests queued while stopping are still answered.
            while (await WaitedAsync(queue.Reader.WaitToReadAsync(CancellationToken.None)))
            {
                var began = clock.Time.GetTimestamp();
                while (batch.Count < options.Value.MaxBatchSize && queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                }

                await WriteBatchAsync(batch);
                batch.Clear();
                metrics.WriterTime(WriterState.Acking, clock.Time.GetElapsedTime(began));
                foldBell.Writer.TryWrite(true);
                if (!queue.Reader.TryPeek(out _) && overload.End() is > 0 and var refused)
                {
                    LogOverloadOver(logger, refused);
                }
            }
        }
        finally
        {
            acksStopped = true;
            foldBell.Writer.TryWrite(true);
            await folds;
        }
    }

    private async Task FoldBesideAcksAsync()
    {
        var schedule = new FoldSchedule(clock.Time, options.Value);
        while (true)
        {
            // Read before the pending calls: once the acknowledgements have stopped, no call is added after this look.
            var stopping = acksStopped;
            var step = schedule.Next(folding.HasPending, stopping);
            var began = clock.Time.GetTimestamp();
            switch (step.State)
            {
                case FoldState.Folding:
                    await FoldAsync(schedule.Folded, schedule.FoldFailed, () => folding.FoldAsync(CancellationToken.None), "folding calls");
                    metrics.WriterTime(FoldState.Folding, clock.Time.GetElapsedTime(began));
                    break;
                case FoldState.FoldingOrphans:
                    // Calls other nodes stored but did not fold (one that died after acknowledging).
                    await FoldAsync(schedule.Folded, schedule.FoldFailed, RecoverOrphansAsync, "folding calls left by other nodes");
                    metrics.WriterTime(FoldState.FoldingOrphans, clock.Time.GetElapsedTime(began));
                    break;
                case FoldState.Stopped:
                    return;
                default:
                    await BellWithinAsync(step.Wait);
                    break;
            }
        }
    }

    /// <summary>Calls other nodes stored but did not fold; on one node (SQLite) there are none, so only this loop looks.</summary>
    private Task RecoverOrphansAsync() => folding.RecoverAsync(CancellationToken.None);

    /// <summary>The acknowledgements' wait for requests, counted as the writer's idle time.</summary>
    private async ValueTask<bool> WaitedAsync(ValueTask<bool> waiting)
    {
        var began = clock.Time.GetTimestamp();
        var more = await waiting;
        metrics.WriterTime(WriterState.Idle, clock.Time.GetElapsedTime(began));
        return more;
    }

    /// <summary>Waits until an acknowledgement may have left calls to fold, at most <paramref name="wait"/> on the scheduling clock.</summary>
    private async Task BellWithinAsync(TimeSpan? wait)
    {
        using var pause = wait is { } limit ? new CancellationTokenSource(limit, clock.Time) : new CancellationTokenSource();
        try
        {
            await foldBell.Reader.ReadAsync(pause.Token);
        }
        catch (OperationCanceledException)
        {
            // The wait ran out: the schedule decides what that means.
        }
    }
}
