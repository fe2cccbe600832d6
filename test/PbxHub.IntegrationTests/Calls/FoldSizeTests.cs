using Microsoft.Extensions.DependencyInjection;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.IntegrationTests.Infrastructure;

namespace PbxHub.IntegrationTests.Calls;

/// <summary>docs/storage.md, "The scheduler": a writer that falls behind folds the calls that waited their longest together.</summary>
public sealed class FoldSizeTests
{
    [Fact]
    public async Task NextFoldSize_FewCallsOverdue_TheUsualChunk()
    {
        var (clock, stage, account) = await StageAsync();
        Add(stage, account, "old", 10);
        clock.Advance(TimeSpan.FromMilliseconds(300));
        Add(stage, account, "new", 1000);

        Assert.Equal(FoldStage.CallsPerFold, stage.NextFoldSize(OverdueSince(clock)));
    }

    [Fact]
    public async Task NextFoldSize_ManyCallsOverdue_AllOfThemUpToTheLargestFold()
    {
        var (clock, stage, account) = await StageAsync();
        Add(stage, account, "a", 200);
        clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(200, stage.NextFoldSize(OverdueSince(clock)));

        Add(stage, account, "b", 1000);
        clock.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(FoldStage.MostCallsPerFold, stage.NextFoldSize(OverdueSince(clock)));
    }

    private static long OverdueSince(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock) =>
        clock.GetTimestamp() - (long)(0.2 * clock.TimestampFrequency);

    private static void Add(FoldStage stage, Account account, string prefix, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            stage.Add(account, $"{prefix}-{i}", i + 1, [], default);
        }
    }

    /// <summary>A fold stage of its own (not the hub's writer's) on a fake scheduling clock, with the hub's store and builder.</summary>
    private static async Task<(Microsoft.Extensions.Time.Testing.FakeTimeProvider, FoldStage, Account)> StageAsync()
    {
        await using var hub = await HubServer.StartAsync();
        var clock = FakeClock.New();
        var stage = ActivatorUtilities.CreateInstance<FoldStage>(hub.Services, new SchedulingClock(clock));
        var account = await hub.Services.GetRequiredService<AccountDirectory>().FindAsync(HubServer.AccountId, default);
        return (clock, stage, account!);
    }
}
