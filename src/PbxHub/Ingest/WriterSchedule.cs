namespace PbxHub.Ingest;

/// <summary>What the single writer does next (docs/storage.md, "The scheduler").</summary>
internal enum WriterState
{
    /// <summary>Nothing queued, nothing to fold: wait for requests.</summary>
    Idle,

    /// <summary>Requests are queued: commit a batch of their raw events and answer them.</summary>
    Acking,

    /// <summary>Folds pending and the queue just ran empty: wait a moment for more requests before folding.</summary>
    Settling,

    /// <summary>Fold a chunk of the pending calls: the queue stayed empty, or the oldest has waited its longest.</summary>
    Folding,

    /// <summary>The last fold failed (the database refused): keep acknowledging, fold again after a pause.</summary>
    BackingOff,

    /// <summary>Stopping, and nothing left that may be folded now: the rest is folded at the next start.</summary>
    Stopped,
}

/// <summary>A decision: the state, and for the waiting states how long to wait for a request at most (null: no limit).</summary>
internal readonly record struct WriterStep(WriterState State, TimeSpan? Wait = null);

/// <summary>
/// The scheduler of ingest and folding: one writer takes turns between acknowledging requests and folding calls.
/// Acknowledgements come first — they wait only for their raw events and one flush — but a busy hub still folds each
/// call at least every <see cref="IngestOptions.MaxFoldDelay"/> (one chunk between two batches), and an idle one at once. Its clock is a scheduling
/// clock (the machine's in production, a fake one in its tests), not the hub's business time.
/// </summary>
internal sealed class WriterSchedule(TimeProvider clock, IngestOptions options)
{
    /// <summary>Under load the queue is empty only between an answer and the next request; a pause this long tells an idle hub.</summary>
    public static readonly TimeSpan SettlePause = TimeSpan.FromMilliseconds(5);

    /// <summary>How long folding waits after the database refused a fold.</summary>
    public static readonly TimeSpan FoldRetryDelay = TimeSpan.FromSeconds(1);

    private long? settlingSince;
    private long? foldAgainAt;

    public WriterState State { get; private set; } = WriterState.Idle;

    /// <param name="requestsQueued">A request is waiting in the queue.</param>
    /// <param name="foldsPending">Calls are acknowledged and not folded.</param>
    /// <param name="oldestPendingSince">When the oldest of them was acknowledged (a timestamp of this schedule's clock).</param>
    /// <param name="stopping">The queue is closed: no request will come.</param>
    public WriterStep Next(bool requestsQueued, bool foldsPending, long oldestPendingSince, bool stopping)
    {
        var now = clock.GetTimestamp();
        var backingOff = foldAgainAt is { } at && now < at;
        if (requestsQueued)
        {
            settlingSince = null;
            // An overdue fold takes one turn, then requests again: a backlog of overdue calls must not starve the acknowledgements.
            var overdue = foldsPending && !backingOff && State != WriterState.Folding
                && clock.GetElapsedTime(oldestPendingSince, now) >= options.MaxFoldDelay;
            return Enter(overdue ? WriterState.Folding : WriterState.Acking);
        }

        if (foldsPending)
        {
            if (backingOff)
            {
                return stopping ? Enter(WriterState.Stopped) : Enter(WriterState.BackingOff, clock.GetElapsedTime(now, foldAgainAt!.Value));
            }

            settlingSince ??= now;
            var settled = clock.GetElapsedTime(settlingSince.Value, now);
            return settled >= SettlePause || stopping ? Enter(WriterState.Folding) : Enter(WriterState.Settling, SettlePause - settled);
        }

        settlingSince = null;
        return Enter(stopping ? WriterState.Stopped : WriterState.Idle);
    }

    /// <summary>A fold committed: the pause after a failure is over.</summary>
    public void Folded()
    {
        foldAgainAt = null;
        settlingSince = null;
    }

    /// <summary>The database refused a fold: no fold for <see cref="FoldRetryDelay"/>; requests are still acknowledged.</summary>
    public void FoldFailed()
    {
        foldAgainAt = clock.GetTimestamp() + (long)(FoldRetryDelay.TotalSeconds * clock.TimestampFrequency);
        settlingSince = null;
    }

    private WriterStep Enter(WriterState state, TimeSpan? wait = null)
    {
        State = state;
        return new WriterStep(state, wait);
    }
}

/// <summary>
/// The clock the write path schedules on: the machine's. Tests that move the hub's business time (a fake
/// <see cref="TimeProvider"/>) must not freeze the writer's pauses with it; the schedule's own tests give it a fake one.
/// </summary>
internal sealed class SchedulingClock(TimeProvider time)
{
    public TimeProvider Time => time;
}
