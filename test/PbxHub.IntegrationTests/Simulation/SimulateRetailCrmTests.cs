using PbxHub.IntegrationTests.Connectors.RetailCrm;

namespace PbxHub.IntegrationTests.Simulation;

/// <summary><c>pbxhub simulate --retailcrm</c>: the whole path, provider to hub to RetailCRM's stand-in, checked call by call.</summary>
public sealed class SimulateRetailCrmTests
{
    [Fact]
    public async Task Simulate_ShuffledAndDuplicated_EveryEndedCallUploadedOnceWithItsResultAndTalkSeconds()
    {
        // On the real clock a slow machine can spread one call's shuffled requests over more than the rig's 1 s settle.
        await using var rig = await RetailCrmRig.StartAsync(settings: new Dictionary<string, string> { ["PbxHub:Connectors:0:RetailCrm:SettleFor"] = "00:00:20" });

        var (exitCode, output) = await CrmSimulation.RunAsync(CrmSimulation.Options(rig.Hub, TimeSpan.FromSeconds(60)) with { RetailCrm = rig.Emulator.BaseUrl });

        Assert.True(exitCode == 0, output);
        Assert.Contains("Calls differing", output, StringComparison.Ordinal);
        Assert.True(rig.System.Calls.Count >= 20, $"{rig.System.Calls.Count} calls uploaded");
    }

    [Fact]
    public async Task Simulate_StandInDown_ReportsEveryCallRetailCrmNeverGot()
    {
        await using var rig = await RetailCrmRig.StartAsync();
        rig.System.Down = true;

        var (exitCode, output) = await CrmSimulation.RunAsync(CrmSimulation.Options(rig.Hub, TimeSpan.FromSeconds(2)) with { RetailCrm = rig.Emulator.BaseUrl });

        Assert.Equal(1, exitCode);
        Assert.Contains("retailcrm: 0 calls uploaded instead of one", output, StringComparison.Ordinal);
    }
}
