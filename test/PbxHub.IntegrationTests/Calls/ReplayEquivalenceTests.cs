using Microsoft.Extensions.DependencyInjection;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation;
using Spectre.Console;

namespace PbxHub.IntegrationTests.Calls;

public sealed class ReplayEquivalenceTests
{
    /// <summary>
    /// Records built while events stream in (incrementally, in bursts, shuffled and repeated) must be
    /// exactly what a replay of the stored raw events builds from scratch.
    /// </summary>
    [Fact]
    public async Task Replay_AfterShuffledDuplicatedTraffic_GivesTheRecordsServedBefore()
    {
        // Nothing but replay may change the records between the two reads: the recordings fetcher is off.
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string> { ["PbxHub:Recordings:Enabled"] = "false" });
        var options = new SimulationOptions
        {
            Url = hub.BaseUrl, Account = HubServer.AccountId, Secret = HubServer.Secret, Calls = 250,
            Concurrency = 16, Shuffle = true, Duplicate = 0.25, Seed = 777,
        };
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()), Interactive = InteractionSupport.No });
        var report = await new SimulationRunner(console, TimeProvider.System).RunAsync(
            options, ScenarioGenerators.Find("sipuni", new GeneratorSettings("012345"))!, CancellationToken.None);
        Assert.Empty(report.Send.Failures);

        var before = await hub.Client.GetStringAsync("/api/v1/calls?limit=1000");
        var summary = await hub.Services.GetRequiredService<Replayer>().ReplayAsync(null, default);
        var after = await hub.Client.GetStringAsync("/api/v1/calls?limit=1000");

        Assert.Equal(250, summary.Calls);
        Assert.Equal(0, summary.NewEvents);
        Assert.Equal(before, after);
    }
}
