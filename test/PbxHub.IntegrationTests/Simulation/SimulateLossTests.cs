using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PbxHub.Calls;
using PbxHub.IntegrationTests.Infrastructure;
using PbxHub.Simulation;
using PbxHub.Simulation.Emulators;

namespace PbxHub.IntegrationTests.Simulation;

/// <summary>
/// <c>pbxhub simulate --lose P --history URL</c> against a real hub and a history stand-in that keeps what it is given in a
/// <see cref="HistoryBook"/>, exactly as <c>POST /_emulator/history</c> is specified (a JSON array of HistoryCall, camelCase).
/// </summary>
public sealed class SimulateLossTests
{
    private const int Calls = 120;
    private const int Seed = 20261203;

    /// <summary>A stand-in that takes history rows as the provider stand-ins do, and nothing else.</summary>
    private static async Task<(EmulatorHost Host, HistoryBook Book)> StartStandInAsync()
    {
        var book = new HistoryBook();
        var host = await EmulatorHost.StartAsync("http://127.0.0.1:0", app => app.MapPost("/_emulator/history", async (HttpRequest request) =>
        {
            var calls = await JsonSerializer.DeserializeAsync<HistoryCall[]>(request.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
            book.Add(calls!);
            return Results.Ok(new { added = calls!.Length });
        }));
        return (host, book);
    }

    [Fact]
    public async Task Simulate_Lose30PercentWithHistory_StandInHasEveryCallAndHubOnlyWhatWasSent()
    {
        await using var hub = await HubServer.StartAsync();
        var (standIn, book) = await StartStandInAsync();
        await using var _ = standIn;
        var time = new StoppedClock();
        var options = new SimulationOptions
        {
            Url = hub.BaseUrl, Account = HubServer.AccountId, Secret = HubServer.Secret, Calls = Calls, Seed = Seed, Concurrency = 8,
            Lose = 0.3, History = standIn.BaseUrl,
        };
        var generator = options.Generator!;
        var output = new StringWriter();

        var report = await new SimulationRunner(TestConsoles.Plain(output), time).RunAsync(options, generator, CancellationToken.None);
        SimulationSummary.Write(TestConsoles.Plain(output), report);

        var plan = TrafficPlanner.Plan(generator, new PlanOptions(ScenarioGenerators.Mixed, Calls, false, 0, Seed, options.Loss), time.GetUtcNow());
        Assert.True(report.Succeeded, output.ToString());
        Assert.Equal(LossCount.Of(plan), report.Lost);
        Assert.InRange(report.Lost.WholeCalls + report.Lost.HangUpCalls, Calls / 6, Calls / 2);
        Assert.True(report.Lost.WholeCalls > 0 && report.Lost.HangUpCalls > 0, output.ToString());
        // Every call generated, those never sent too, is in the history exactly as generated.
        Assert.Equal(plan.Select(p => p.Call.History!).OrderBy(c => c.StartedAt).ThenBy(c => c.CallId, StringComparer.Ordinal),
            book.Between(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        foreach (var planned in plan)
        {
            var id = StableIds.CallId(HubServer.AccountId, planned.Call.ProviderCallId);
            using var response = await hub.Client.GetAsync(new Uri($"/api/v1/calls/{id}", UriKind.Relative));
            if (planned.Loss == CallLoss.Whole)
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                continue;
            }

            var record = CallJson.Deserialize<CallRecord>(await response.Content.ReadAsStringAsync());
            // A call whose hang-ups were dropped never ended by its events: only the history can end it.
            Assert.True(planned.Loss == CallLoss.None || record.State != CallStates.Ended, $"{planned.Call.Scenario} {planned.Call.ProviderCallId}: {record.State}");
        }

        var summary = output.ToString();
        Assert.Matches($@"Calls lost on purpose \(never sent\)\s*│\s*{report.Lost.WholeCalls}\s*│", summary);
        Assert.Matches($@"Requests dropped on purpose\s*│\s*{report.Lost.Requests}\s*│", summary);
        Assert.Matches($@"Calls given to the history stand-in\s*│\s*{Calls}\s*│", summary);
        Assert.Matches(@"Failed requests\s*│\s*0\s*│", summary);
    }

    [Fact]
    public async Task Simulate_EvrotelLoseWholeCallsWithHistory_RowsWithoutIdsAndHubHasTheRest()
    {
        await using var hub = await HubServer.StartAsync(new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = "kyiv",
            ["PbxHub:Accounts:1:Provider"] = "evrotel",
            ["PbxHub:Accounts:1:TimeZone"] = "Europe/Kyiv",
            ["PbxHub:Accounts:1:Country"] = "UA",
            ["PbxHub:Accounts:1:Evrotel:Token"] = "G7bng65jYk8GF294",
        });
        var (standIn, book) = await StartStandInAsync();
        await using var _ = standIn;
        var options = new SimulationOptions
        {
            Url = hub.BaseUrl, Account = "kyiv", Secret = "G7bng65jYk8GF294", Provider = "evrotel", Calls = 60, Seed = Seed,
            Lose = 0.3, LoseMode = "calls", History = standIn.BaseUrl,
        };
        var output = new StringWriter();

        var exitCode = await SimulateCommand.RunAsync(options, TestConsoles.Plain(output), new StoppedClock(), CancellationToken.None);

        Assert.True(exitCode == 0, output.ToString());
        Assert.Equal(60, book.Count);
        Assert.All(book.Between(DateTimeOffset.MinValue, DateTimeOffset.MaxValue), c => Assert.Equal("", c.CallId));
        var lost = int.Parse(System.Text.RegularExpressions.Regex.Match(output.ToString(), @"Calls lost on purpose \(never sent\)\s*│\s*(\d+)").Groups[1].Value,
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lost, 6, 30);
        Assert.Matches(@"Calls sent without their hang-ups\s*│\s*0\s*│", output.ToString());
        using var page = JsonDocument.Parse(await hub.Client.GetStringAsync(new Uri("/api/v1/calls?account=kyiv&limit=1000", UriKind.Relative)));
        Assert.Equal(60 - lost, page.RootElement.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Simulate_StandInRefusesTheHistory_NothingSentExitOne()
    {
        await using var hub = await HubServer.StartAsync();
        await using var standIn = await EmulatorHost.StartAsync("http://127.0.0.1:0", app => app.MapPost("/_emulator/history", () => Results.StatusCode(503)));
        var options = new SimulationOptions
        {
            Url = hub.BaseUrl, Account = HubServer.AccountId, Secret = HubServer.Secret, Calls = 10, Seed = Seed, Lose = 0.3, History = standIn.BaseUrl,
        };
        var output = new StringWriter();

        Assert.Equal(1, await SimulateCommand.RunAsync(options, TestConsoles.Plain(output), TimeProvider.System, CancellationToken.None));
        // The console wraps long lines: read the words.
        Assert.Contains($"Nothing sent: the history stand-in did not take the calls: POST {standIn.BaseUrl}/_emulator/history answered HTTP 503",
            System.Text.RegularExpressions.Regex.Replace(output.ToString(), @"\s+", " "), StringComparison.Ordinal);
        using var page = JsonDocument.Parse(await hub.Client.GetStringAsync(new Uri("/api/v1/calls?limit=10", UriKind.Relative)));
        Assert.Equal(0, page.RootElement.GetProperty("items").GetArrayLength());
    }
}
