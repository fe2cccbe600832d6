using System.Net;
using System.Net.Sockets;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation;
using Spectre.Console;

namespace PbxHub.IntegrationTests.Recordings;

public sealed class RecordingSimulationTests
{
    [Fact]
    public async Task Simulate_HubNotAllowedToFetchFromTheSimulator_VerifyReportsTheRecordingsNotKept()
    {
        var (report, _) = await RunAsync(_ => "records.example.com");

        Assert.NotEmpty(report.Mismatches!);
        Assert.All(report.Mismatches!, m => Assert.Contains("failed instead of kept", Assert.Single(m.Differences), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_ServeRecordingsAndVerify_EveryRecordingKeptByteForByte()
    {
        var (report, options) = await RunAsync(port => $"127.0.0.1:{port}");

        Assert.Empty(report.Send.Failures);
        Assert.Empty(report.Mismatches!.Select(m => $"{m.ProviderCallId}: {string.Join("; ", m.Differences)}"));
        var plan = TrafficPlanner.Plan(
            ScenarioGenerators.Find("sipuni", options.GeneratorSettings)!, new PlanOptions(options.Scenario, options.Calls, true, 0.2, 2026), TimeProvider.System.GetUtcNow());
        var kinds = plan.Select(p => p.Call.Expected.RecordingUrl).OfType<string>().Select(u => RecordingServer.KindOf(Path.GetFileNameWithoutExtension(u))).ToHashSet();
        Assert.Equal([RecordingServer.Html, RecordingServer.Once, RecordingServer.Kept], kinds.Order());
    }

    private static async Task<(SimulationReport Report, SimulationOptions Options)> RunAsync(Func<int, string> hosts)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:0:Recordings:Hosts"] = hosts(port),
            ["PbxHub:Recordings:PollInterval"] = "00:00:00.050",
        });
        var options = new SimulationOptions
        {
            Url = hub.BaseUrl, Account = HubServer.AccountId, Secret = HubServer.Secret, Calls = 80, Seed = 2026, Shuffle = true,
            Duplicate = 0.2, ApiKey = HubServer.ApiKey, Verify = true, RecordingServer = $"http://127.0.0.1:{port}",
        };
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Interactive = InteractionSupport.No });

        var report = await new SimulationRunner(console, TimeProvider.System).RunAsync(options, ScenarioGenerators.Find("sipuni", options.GeneratorSettings)!, default);
        return (report, options);
    }
}
