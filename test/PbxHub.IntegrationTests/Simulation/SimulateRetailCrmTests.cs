using PbxHub.IntegrationTests.Connectors.RetailCrm;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation;

namespace PbxHub.IntegrationTests.Simulation;

/// <summary><c>pbxhub simulate --retailcrm</c>: the whole path, provider to hub to RetailCRM's stand-in, checked call by call.</summary>
public sealed class SimulateRetailCrmTests
{
    [Fact]
    public async Task Simulate_ShuffledAndDuplicated_EveryEndedCallUploadedOnceWithItsResultAndTalkSeconds()
    {
        // On the real clock a slow machine can spread one call's shuffled requests over more than the rig's 1 s settle.
        await using var rig = await RetailCrmRig.StartAsync(settings: new Dictionary<string, string> { ["PbxHub:Connectors:0:RetailCrm:SettleFor"] = "00:00:20" });
        var output = new StringWriter();

        var exitCode = await SimulateCommand.RunAsync(Options(rig, TimeSpan.FromSeconds(60)), TestConsoles.Plain(output), TimeProvider.System, CancellationToken.None);

        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("Calls differing", output.ToString(), StringComparison.Ordinal);
        Assert.True(rig.System.Calls.Count >= 20, $"{rig.System.Calls.Count} calls uploaded");
    }

    [Fact]
    public async Task Simulate_StandInDown_ReportsEveryCallRetailCrmNeverGot()
    {
        await using var rig = await RetailCrmRig.StartAsync();
        rig.System.Down = true;
        var output = new StringWriter();

        var exitCode = await SimulateCommand.RunAsync(Options(rig, TimeSpan.FromSeconds(2)), TestConsoles.Plain(output), TimeProvider.System, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("retailcrm: 0 calls uploaded instead of one", output.ToString(), StringComparison.Ordinal);
    }

    private static SimulationOptions Options(RetailCrmRig rig, TimeSpan wait) => new()
    {
        Url = rig.Hub.BaseUrl,
        Account = HubServer.AccountId,
        Secret = HubServer.Secret,
        Calls = 30,
        Shuffle = true,
        Duplicate = 0.3,
        Seed = 20261204,
        ApiKey = HubServer.ApiKey,
        Verify = true,
        RetailCrm = rig.Emulator.BaseUrl,
        RecordingsWait = wait,
    };
}
