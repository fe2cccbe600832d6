using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation;
using Spectre.Console;

namespace PbxHub.IntegrationTests.Connectors.Bitrix24;

/// <summary><c>pbxhub simulate --bitrix24</c>: the whole path, provider to hub to the CRM's stand-in, checked call by call.</summary>
public sealed class Bitrix24SimulateTests
{
    [Fact]
    public async Task Simulate_WithTheStandInShuffled_EveryEndedCallRegisteredOnceAndFinishedWithItsFinalFacts()
    {
        // On the real clock a slow machine can spread one call's shuffled requests over more than the default 5 s, and a
        // finish sent before the call's last request is the documented late-event case, not what this test is about.
        await using var rig = await Bitrix24Rig.StartAsync(settings: new Dictionary<string, string> { ["PbxHub:Connectors:0:Bitrix24:SettleFor"] = "00:00:20" });
        var output = new StringWriter();

        var exitCode = await SimulateCommand.RunAsync(Options(rig, TimeSpan.FromSeconds(60)), Console(output), TimeProvider.System, CancellationToken.None);

        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("Calls differing", output.ToString(), StringComparison.Ordinal);
        Assert.True(rig.Portal.Calls.Count >= 20, $"{rig.Portal.Calls.Count} calls registered");
    }

    [Fact]
    public async Task Simulate_StandInDown_ReportsEveryCallTheCrmNeverGot()
    {
        await using var rig = await Bitrix24Rig.StartAsync();
        rig.Portal.Down = true;
        var output = new StringWriter();

        var exitCode = await SimulateCommand.RunAsync(Options(rig, TimeSpan.FromSeconds(2)), Console(output), TimeProvider.System, CancellationToken.None);

        Assert.Equal(1, exitCode);
        Assert.Contains("bitrix24: 0 calls registered instead of one", output.ToString(), StringComparison.Ordinal);
    }

    private static SimulationOptions Options(Bitrix24Rig rig, TimeSpan wait) => new()
    {
        Url = rig.Hub.BaseUrl,
        Account = HubServer.AccountId,
        Secret = HubServer.Secret,
        Calls = 30,
        Concurrency = 8,
        // Each call's requests shuffled, each possibly twice (a provider's retries): the one finish Bitrix24 takes waits
        // for the call to settle and tells its final facts (docs/connectors.md#finish-and-late-events).
        Shuffle = true,
        Duplicate = 0.3,
        Seed = 20261203,
        ApiKey = HubServer.ApiKey,
        Verify = true,
        Bitrix24 = rig.Emulator.BaseUrl,
        RecordingsWait = wait,
    };

    private static IAnsiConsole Console(StringWriter output) => TestConsoles.Plain(output);
}
