using System.Text.Json;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation;
using Spectre.Console;

namespace PbxHub.IntegrationTests.Simulation;

public sealed class SimulateTests
{
    [Fact]
    public async Task Simulate_MixedShuffledDuplicatedWithVerify_HubMatchesEveryScenario()
    {
        await using var hub = await HubServer.StartAsync();
        const int calls = 300;
        var options = new SimulationOptions
        {
            Url = hub.BaseUrl,
            Account = HubServer.AccountId,
            Secret = HubServer.Secret,
            Calls = calls,
            Concurrency = 16,
            Shuffle = true,
            Duplicate = 0.3,
            Seed = 20250314,
            ApiKey = HubServer.ApiKey,
            Verify = true,
        };
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });

        var report = await new SimulationRunner(console, TimeProvider.System).RunAsync(
            options, ScenarioGenerators.Find("sipuni", new GeneratorSettings("012345"))!, CancellationToken.None);
        SimulationSummary.Write(console, report);

        Assert.True(report.Mismatches is { Count: 0 }, output.ToString());
        Assert.Empty(report.Send.Failures);
        Assert.True(report.Send.Duplicates > 0);
        Assert.True(report.Succeeded);
        Assert.Equal(calls, await CountCallsAsync(hub.Client));
    }

    [Fact]
    public async Task RunAsync_WrongSecret_ExitCodeOne()
    {
        await using var hub = await HubServer.StartAsync();
        var options = new SimulationOptions { Url = hub.BaseUrl, Account = HubServer.AccountId, Secret = "wrong", Calls = 3, Seed = 1 };
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()), Interactive = InteractionSupport.No });

        Assert.Equal(1, await SimulateCommand.RunAsync(options, console, TimeProvider.System, CancellationToken.None));
    }

    /// <summary>Walks the journal's keyset pages to the end.</summary>
    private static async Task<int> CountCallsAsync(HttpClient client)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var url = $"/api/v1/calls?account={HubServer.AccountId}&limit=1000" + (cursor is null ? "" : "&cursor=" + cursor);
            using var page = JsonDocument.Parse(await client.GetStringAsync(new Uri(url, UriKind.Relative)));
            count += page.RootElement.GetProperty("items").GetArrayLength();
            cursor = page.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return count;
    }
}
