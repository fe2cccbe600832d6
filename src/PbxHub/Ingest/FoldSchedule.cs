namespace PbxHub.Ingest;

/// <summary>What the fold loop beside the acknowledgements does next (docs/storage.md, "The scheduler").</summary>
internal enum FoldState
{
    /// <summary>Nothing to fold: wait for acknowledged calls, at most until the orphan check.</summary>
    Waiting,

    /// <summary>Calls are acknowledged and not folded: fold a chunk of them, oldest first.</summary>
    Folding,

    /// <summary>The database refused the last fold: fold again after a pause (acknowledgements go on meanwhile).</summary>
    BackingOff,

    /// <summary>Nothing folded for a while: fold what a node that died left to fold.</summary>
    FoldingOrphans,

    /// <summary>The acknowledgements have stopped and nothing is left that may be folded now: the rest is folded at the next start.</summary>
    Stopped,
}

/// <summary>A decision: the state, and for the waiting states how long to wait for new calls at most (null: no limit).</summary>
internal readonly record struct FoldStep(FoldState State, TimeSpan? Wait = null);

/// <summary>
/// The scheduler of folding where it runs beside the acknowledgements, in a loop of its own (PostgreSQL: row and call
/// locks let a fold and an acknowledgement commit at once, each on its own connection). Unlike
/// <see cref="WriterSchedule"/> there are no turns to take: pending calls are folded at once, and while a fold runs
/// the next ones gather. Its clock is a scheduling clock (the machine's, a fake one in its tests).
/// </summary>
internal sealed class FoldSchedule(TimeProvider clock, IngestOptions options)
{
    private long? foldAgainAt;
    private long idleSince = clock.GetTimestamp();

    public FoldState State { get; private set; } = FoldState.Waiting;

    /// <param name="foldsPending">Calls are acknowledged and not folded.</param>
    /// <param name="stopping">The acknowledgements have stopped: no call will be added.</param>
    public FoldStep Next(bool foldsPending, bool stopping)
    {
        var now = clock.GetTimestamp();
        if (foldsPending)
        {
            idleSince = now;
            if (foldAgainAt is { } at && now < at)
            {
                // A database that refuses folds would refuse them at shutdown too: the marks stay for the next start.
                return stopping ? Enter(FoldState.Stopped) : Enter(FoldState.BackingOff, clock.GetElapsedTime(now, at));
            }

            return Enter(FoldState.Folding);
        }

        if (stopping)
        {
            return Enter(FoldState.Stopped);
        }

        var idle = clock.GetElapsedTime(idleSince, now);
        return idle >= options.OrphanFoldInterval ? Enter(FoldState.FoldingOrphans) : Enter(FoldState.Waiting, options.OrphanFoldInterval - idle);
    }

    /// <summary>A fold (or orphan fold) committed: the pause after a failure is over, the idle time starts again.</summary>
    public void Folded()
    {
        foldAgainAt = null;
        idleSince = clock.GetTimestamp();
    }

    /// <summary>The database refused a fold: no fold for <see cref="WriterSchedule.FoldRetryDelay"/>.</summary>
    public void FoldFailed()
    {
        foldAgainAt = clock.GetTimestamp() + (long)(WriterSchedule.FoldRetryDelay.TotalSeconds * clock.TimestampFrequency);
        idleSince = clock.GetTimestamp();
    }

    private FoldStep Enter(FoldState state, TimeSpan? wait = null)
    {
        State = state;
        return new FoldStep(state, wait);
    }
}
