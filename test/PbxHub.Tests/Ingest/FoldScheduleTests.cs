using Microsoft.Extensions.Time.Testing;
using PbxHub.Ingest;

namespace PbxHub.Tests.Ingest;

/// <summary>The scheduler of the fold loop beside the acknowledgements (PostgreSQL), driven by a fake clock.</summary>
public sealed class FoldScheduleTests
{
    private static readonly IngestOptions Options = new() { MaxFoldDelay = TimeSpan.FromMilliseconds(200), OrphanFoldInterval = TimeSpan.FromSeconds(30) };
    private readonly FakeTimeProvider clock = new();

    [Fact]
    public void Next_CallsPending_FoldsAtOnceWithoutWaitingForTheAcknowledgementsToPause()
    {
        var schedule = new FoldSchedule(clock, Options);

        var steps = Enumerable.Range(0, 3).Select(_ =>
        {
            var step = schedule.Next(foldsPending: true, stopping: false);
            schedule.Folded();
            return step;
        }).ToList();

        Assert.All(steps, s => Assert.Equal(new FoldStep(FoldState.Folding), s));
    }

    [Fact]
    public void Next_NothingPending_WaitsForCallsAtMostUntilTheOrphanCheck()
    {
        var schedule = new FoldSchedule(clock, Options);
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(new FoldStep(FoldState.Waiting, Options.OrphanFoldInterval - TimeSpan.FromSeconds(10)), schedule.Next(false, false));
    }

    [Fact]
    public void Next_NothingFoldedForOrphanFoldInterval_FoldsOrphansThenWaitsAFullIntervalAgain()
    {
        var schedule = new FoldSchedule(clock, Options);

        clock.Advance(Options.OrphanFoldInterval - TimeSpan.FromMilliseconds(1));
        var before = schedule.Next(false, false);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var orphans = schedule.Next(false, false);
        schedule.Folded();
        var again = schedule.Next(false, false);

        Assert.Equal(new FoldStep(FoldState.Waiting, TimeSpan.FromMilliseconds(1)), before);
        Assert.Equal(FoldState.FoldingOrphans, orphans.State);
        Assert.Equal(new FoldStep(FoldState.Waiting, Options.OrphanFoldInterval), again);
    }

    [Fact]
    public void Next_FoldsPendingUnderLoad_PutOffTheOrphanCheck()
    {
        var schedule = new FoldSchedule(clock, Options);
        clock.Advance(Options.OrphanFoldInterval);
        schedule.Next(true, false);
        schedule.Folded();
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new FoldStep(FoldState.Waiting, Options.OrphanFoldInterval - TimeSpan.FromSeconds(1)), schedule.Next(false, false));
    }

    [Fact]
    public void Next_AfterAFailedFold_BacksOffForTheRetryDelayThenFolds()
    {
        var schedule = new FoldSchedule(clock, Options);
        schedule.Next(true, false);
        schedule.FoldFailed();

        var backingOff = schedule.Next(true, false);
        clock.Advance(WriterSchedule.FoldRetryDelay - TimeSpan.FromMilliseconds(1));
        var almost = schedule.Next(true, false);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var retry = schedule.Next(true, false);

        Assert.Equal(new FoldStep(FoldState.BackingOff, WriterSchedule.FoldRetryDelay), backingOff);
        Assert.Equal(new FoldStep(FoldState.BackingOff, TimeSpan.FromMilliseconds(1)), almost);
        Assert.Equal(new FoldStep(FoldState.Folding), retry);
    }

    [Fact]
    public void Next_FoldSucceedsAfterAFailure_NoMoreBackingOff()
    {
        var schedule = new FoldSchedule(clock, Options);
        schedule.FoldFailed();
        clock.Advance(WriterSchedule.FoldRetryDelay);
        schedule.Next(true, false);
        schedule.Folded();

        Assert.Equal(FoldState.Folding, schedule.Next(true, false).State);
    }

    [Fact]
    public void Next_Stopping_FoldsWhatIsPendingThenStops()
    {
        var schedule = new FoldSchedule(clock, Options);

        var fold = schedule.Next(foldsPending: true, stopping: true);
        schedule.Folded();
        var stop = schedule.Next(foldsPending: false, stopping: true);

        Assert.Equal(FoldState.Folding, fold.State);
        Assert.Equal(FoldState.Stopped, stop.State);
        Assert.Equal(FoldState.Stopped, schedule.State);
    }

    [Fact]
    public void Next_StoppingWhileBackingOff_LeavesThePendingFoldsToTheNextStart()
    {
        var schedule = new FoldSchedule(clock, Options);
        schedule.FoldFailed();

        Assert.Equal(FoldState.Stopped, schedule.Next(foldsPending: true, stopping: true).State);
    }
}
