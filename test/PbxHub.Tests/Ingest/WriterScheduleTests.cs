using Microsoft.Extensions.Time.Testing;
using PbxHub.Ingest;

namespace PbxHub.Tests.Ingest;

/// <summary>The single writer's scheduler, driven by a fake clock: what it does next decides when acknowledgements and folds happen.</summary>
public sealed class WriterScheduleTests
{
    private static readonly IngestOptions Options = new() { MaxFoldDelay = TimeSpan.FromMilliseconds(200), OrphanFoldInterval = TimeSpan.FromSeconds(30) };
    private readonly FakeTimeProvider clock = new();

    [Fact]
    public void Next_RequestsQueued_AcksBeforeFolding()
    {
        var schedule = new WriterSchedule(clock, Options);

        var step = schedule.Next(requestsQueued: true, foldsPending: true, oldestPendingSince: clock.GetTimestamp(), stopping: false);

        Assert.Equal(WriterState.Acking, step.State);
    }

    [Fact]
    public void Next_QueueJustRanEmpty_SettlesThenFoldsOnceThePauseHasPassed()
    {
        var schedule = new WriterSchedule(clock, Options);
        var since = clock.GetTimestamp();

        var first = schedule.Next(false, true, since, false);
        clock.Advance(WriterSchedule.SettlePause - TimeSpan.FromMilliseconds(1));
        var almost = schedule.Next(false, true, since, false);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var settled = schedule.Next(false, true, since, false);

        Assert.Equal(new WriterStep(WriterState.Settling, WriterSchedule.SettlePause), first);
        Assert.Equal(new WriterStep(WriterState.Settling, TimeSpan.FromMilliseconds(1)), almost);
        Assert.Equal(WriterState.Folding, settled.State);
    }

    [Fact]
    public void Next_RequestArrivesWhileSettling_AcksAndSettlesAfresh()
    {
        var schedule = new WriterSchedule(clock, Options);
        var since = clock.GetTimestamp();
        schedule.Next(false, true, since, false);
        clock.Advance(TimeSpan.FromMilliseconds(4));

        var acking = schedule.Next(true, true, since, false);
        var again = schedule.Next(false, true, since, false);

        Assert.Equal(WriterState.Acking, acking.State);
        Assert.Equal(new WriterStep(WriterState.Settling, WriterSchedule.SettlePause), again);
    }

    [Fact]
    public void Next_UnderSteadyLoad_FoldsWhenTheOldestPendingCallHasWaitedMaxFoldDelay()
    {
        var schedule = new WriterSchedule(clock, Options);
        var since = clock.GetTimestamp();

        clock.Advance(Options.MaxFoldDelay - TimeSpan.FromMilliseconds(1));
        var before = schedule.Next(true, true, since, false);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var due = schedule.Next(true, true, since, false);

        Assert.Equal(WriterState.Acking, before.State);
        Assert.Equal(WriterState.Folding, due.State);
    }

    [Fact]
    public void Next_OverdueFoldsUnderSteadyLoad_TakeTurnsWithBatches()
    {
        var schedule = new WriterSchedule(clock, Options);
        var since = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(5));

        var states = Enumerable.Range(0, 6).Select(_ => schedule.Next(true, true, since, false).State).ToList();

        Assert.Equal([WriterState.Folding, WriterState.Acking, WriterState.Folding, WriterState.Acking, WriterState.Folding, WriterState.Acking], states);
    }

    [Fact]
    public void Next_AfterAFailedFold_BacksOffForTheRetryDelayWhileStillAcking()
    {
        var schedule = new WriterSchedule(clock, Options);
        var since = clock.GetTimestamp();
        schedule.FoldFailed();
        clock.Advance(Options.MaxFoldDelay);

        var acking = schedule.Next(true, true, since, false);
        var waiting = schedule.Next(false, true, since, false);
        clock.Advance(WriterSchedule.FoldRetryDelay - Options.MaxFoldDelay);
        var retry = schedule.Next(false, true, since, false);
        var afterSettling = Step(schedule, since);

        Assert.Equal(WriterState.Acking, acking.State);
        Assert.Equal(new WriterStep(WriterState.BackingOff, WriterSchedule.FoldRetryDelay - Options.MaxFoldDelay), waiting);
        Assert.Equal(WriterState.Settling, retry.State);
        Assert.Equal(WriterState.Folding, afterSettling.State);
    }

    [Fact]
    public void Next_Stopping_FoldsWhatIsPendingAtOnceThenStops()
    {
        var schedule = new WriterSchedule(clock, Options);

        var fold = schedule.Next(false, true, clock.GetTimestamp(), stopping: true);
        var stop = schedule.Next(false, false, clock.GetTimestamp(), stopping: true);

        Assert.Equal(WriterState.Folding, fold.State);
        Assert.Equal(WriterState.Stopped, stop.State);
    }

    [Fact]
    public void Next_StoppingWhileBackingOff_LeavesThePendingFoldsToTheNextStart()
    {
        var schedule = new WriterSchedule(clock, Options);
        schedule.FoldFailed();

        Assert.Equal(WriterState.Stopped, schedule.Next(false, true, clock.GetTimestamp(), stopping: true).State);
    }

    [Fact]
    public void Next_IdleOnOneNode_WaitsForRequestsWithoutLimit()
    {
        var schedule = new WriterSchedule(clock, Options);
        clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(new WriterStep(WriterState.Idle), schedule.Next(false, false, clock.GetTimestamp(), false));
    }

    private WriterStep Step(WriterSchedule schedule, long since)
    {
        clock.Advance(WriterSchedule.SettlePause);
        return schedule.Next(false, true, since, false);
    }
}
