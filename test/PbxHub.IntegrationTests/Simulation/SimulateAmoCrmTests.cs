using PbxHub.Calls;
using PbxHub.IntegrationTests.Connectors.AmoCrm;
using PbxHub.Simulation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Simulation;

/// <summary><c>pbxhub simulate --amocrm</c>: the whole path, provider to hub to amoCRM's stand-in, checked call by call.</summary>
public sealed class SimulateAmoCrmTests
{
    [Fact]
    public async Task Simulate_ShuffledAndDuplicated_EveryEndedCallInAmoCrmOnceAsACallOrAnUnsortedLead()
    {
        // Half the calls' clients are contacts of the account: their calls are added as calls, the others' inbound ones
        // become unsorted leads and their outbound ones nothing (docs/connectors/amocrm.md#unknown-numbers).
        var account = new AmoCrmEmulatorOptions { Contacts = [.. Clients().Where((_, i) => i % 2 == 0)] };
        // On the real clock a slow machine can spread one call's shuffled requests over more than the rig's 2 s settle.
        await using var rig = await AmoCrmRig.StartAsync(settings: new Dictionary<string, string> { ["PbxHub:Connectors:0:AmoCrm:SettleFor"] = "00:00:20" }, account: account);

        var (exitCode, output) = await CrmSimulation.RunAsync(CrmSimulation.Options(rig.Hub, TimeSpan.FromSeconds(60)) with { AmoCrm = rig.Emulator.BaseUrl });

        Assert.True(exitCode == 0, output);
        Assert.Contains("Calls differing", output, StringComparison.Ordinal);
        Assert.True(rig.Account.Calls.Count >= 5, $"{rig.Account.Calls.Count} calls added");
        Assert.True(rig.Account.Unsorted.Count >= 3, $"{rig.Account.Unsorted.Count} unsorted leads");
    }

    [Fact]
    public async Task Simulate_StandInDown_ReportsEveryCallAmoCrmNeverGot()
    {
        await using var rig = await AmoCrmRig.StartAsync();
        rig.Account.Down = true;

        var (exitCode, output) = await CrmSimulation.RunAsync(CrmSimulation.Options(rig.Hub, TimeSpan.FromSeconds(2)) with { AmoCrm = rig.Emulator.BaseUrl });

        Assert.Equal(1, exitCode);
        Assert.Contains("amocrm: 0 calls with this uniq instead of one", output, StringComparison.Ordinal);
    }

    /// <summary>The clients of the run's calls as its seed makes them (the planner is deterministic), in the calls' order.</summary>
    private static IEnumerable<string> Clients() => TrafficPlanner.Plan(
            ScenarioGenerators.Find("sipuni", new GeneratorSettings("012345"))!,
            new PlanOptions(ScenarioGenerators.Mixed, CrmSimulation.Calls, true, 0.3, CrmSimulation.Seed),
            TimeProvider.System.GetUtcNow())
        .Select(p => p.Call.History!).Where(h => h.Direction != Directions.Internal)
        .Select(h => "+" + (h.Direction == Directions.Inbound ? h.From : h.To));
}
