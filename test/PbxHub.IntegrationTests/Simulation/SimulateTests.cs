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

    private const string RecordingBaseUrl = "https://records.evrotel.example/calls";

    /// <summary>A hub with, besides the demo Sipuni account, a HookType account in Moscow and an Evrotel account in Kyiv.</summary>
    private static Task<HubServer> StartWithHookTypeAndEvrotelAsync() => HubServer.StartAsync(new Dictionary<string, string>
    {
        ["PbxHub:Accounts:1:Id"] = "ht",
        ["PbxHub:Accounts:1:Provider"] = "hooktype",
        ["PbxHub:Accounts:1:Secret"] = "hooktype-secret-0123",
        ["PbxHub:Accounts:1:TimeZone"] = "Europe/Moscow",
        ["PbxHub:Accounts:2:Id"] = "kyiv",
        ["PbxHub:Accounts:2:Provider"] = "evrotel",
        ["PbxHub:Accounts:2:TimeZone"] = "Europe/Kyiv",
        ["PbxHub:Accounts:2:Country"] = "UA",
        ["PbxHub:Accounts:2:Evrotel:Token"] = "G7bng65jYk8GF294",
        ["PbxHub:Accounts:2:Evrotel:RecordingBaseUrl"] = RecordingBaseUrl,
    });

    [Theory]
    [InlineData("hooktype", "ht", "hooktype-secret-0123")]
    [InlineData("evrotel", "kyiv", "G7bng65jYk8GF294")]
    public async Task Simulate_ProviderMixedShuffledDuplicatedWithVerify_ExitsZeroAndHubHasEveryCall(string provider, string account, string secret)
    {
        await using var hub = await StartWithHookTypeAndEvrotelAsync();
        const int calls = 200;
        var options = new SimulationOptions
        {
            Url = hub.BaseUrl,
            Account = account,
            Secret = secret,
            Provider = provider,
            RecordingBaseUrl = provider == "evrotel" ? RecordingBaseUrl : null,
            Calls = calls,
            Concurrency = 16,
            Shuffle = true,
            Duplicate = 0.3,
            Seed = 20250314,
            ApiKey = HubServer.ApiKey,
            Verify = true,
        };
        var output = new StringWriter();

        var exitCode = await SimulateCommand.RunAsync(options, Console(output), TimeProvider.System, CancellationToken.None);

        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("Calls differing", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(calls, await CountCallsAsync(hub.Client, account));
    }

    /// <summary>A hub with an Evrotel account "kyiv" declared in <paramref name="zone"/>, or without a zone when null.</summary>
    private static Task<HubServer> StartWithEvrotelAsync(string? zone)
    {
        var settings = new Dictionary<string, string>
        {
            ["PbxHub:Accounts:1:Id"] = "kyiv",
            ["PbxHub:Accounts:1:Provider"] = "evrotel",
            ["PbxHub:Accounts:1:Evrotel:Token"] = "G7bng65jYk8GF294",
        };
        if (zone is not null)
        {
            settings["PbxHub:Accounts:1:TimeZone"] = zone;
        }

        return HubServer.StartAsync(settings);
    }

    private static SimulationOptions EvrotelVerify(HubServer hub) => new()
    {
        Url = hub.BaseUrl, Account = "kyiv", Secret = "G7bng65jYk8GF294", Provider = "evrotel", Calls = 20, Concurrency = 4,
        Seed = 20251203, ApiKey = HubServer.ApiKey, Verify = true,
    };

    [Fact]
    public async Task Simulate_EvrotelAccountWithoutTimeZone_VerifyFindsEveryCallAtItsTime()
    {
        await using var hub = await StartWithEvrotelAsync(null);
        var output = new StringWriter();

        var exitCode = await SimulateCommand.RunAsync(EvrotelVerify(hub), Console(output), TimeProvider.System, CancellationToken.None);

        Assert.True(exitCode == 0, output.ToString());
        Assert.DoesNotContain("startedAt", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_EvrotelAccountInMoscowZone_VerifyFailsNamingTheStartTime()
    {
        // The simulator writes Kyiv's wall clock; an account that reads it as Moscow's stores every call an hour early.
        await using var hub = await StartWithEvrotelAsync("Europe/Moscow");
        var output = new StringWriter();

        var exitCode = await SimulateCommand.RunAsync(EvrotelVerify(hub), Console(output), TimeProvider.System, CancellationToken.None);

        Assert.True(exitCode == 1, output.ToString());
        Assert.Contains("startedAt: expected", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Simulate_EvrotelWrongToken_ExitCodeOneAndNothingStored()
    {
        await using var hub = await StartWithHookTypeAndEvrotelAsync();
        var options = new SimulationOptions
        {
            Url = hub.BaseUrl, Account = "kyiv", Secret = "not-the-token", Provider = "evrotel", Calls = 5, Seed = 1,
            ApiKey = HubServer.ApiKey, Verify = true,
        };
        var output = new StringWriter();

        Assert.Equal(1, await SimulateCommand.RunAsync(options, Console(output), TimeProvider.System, CancellationToken.None));
        Assert.Contains("HTTP 403", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("never answered the 'start' request", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await CountCallsAsync(hub.Client, "kyiv"));
    }

    private static IAnsiConsole Console(StringWriter output) => TestConsoles.Plain(output);

    [Fact]
    public async Task RunAsync_WrongSecret_ExitCodeOne()
    {
        await using var hub = await HubServer.StartAsync();
        var options = new SimulationOptions { Url = hub.BaseUrl, Account = HubServer.AccountId, Secret = "wrong", Calls = 3, Seed = 1 };
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(new StringWriter()), Interactive = InteractionSupport.No });

        Assert.Equal(1, await SimulateCommand.RunAsync(options, console, TimeProvider.System, CancellationToken.None));
    }

    /// <summary>Walks the journal's keyset pages to the end.</summary>
    private static async Task<int> CountCallsAsync(HttpClient client, string account = HubServer.AccountId)
    {
        var count = 0;
        string? cursor = null;
        do
        {
            var url = $"/api/v1/calls?account={account}&limit=1000" + (cursor is null ? "" : "&cursor=" + cursor);
            using var page = JsonDocument.Parse(await client.GetStringAsync(new Uri(url, UriKind.Relative)));
            count += page.RootElement.GetProperty("items").GetArrayLength();
            cursor = page.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return count;
    }
}
