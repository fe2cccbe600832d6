using PbxHub.Simulation;

namespace PbxHub.Tests.Simulation;

public sealed class SimulationOptionsTests
{
    private static readonly IScenarioGenerator Sipuni = ScenarioGenerators.Find("sipuni", new GeneratorSettings("012345"))!;

    private static SimulationOptions Options => new() { Account = "demo", Secret = "a/b c" };

    [Fact]
    public void Validate_Defaults_NoProblem() => Assert.Empty(Options.Validate(Sipuni));

    [Fact]
    public void Validate_BadValues_NamesEachProblem()
    {
        var options = Options with { Url = "ftp://x", Scenario = "nope", Calls = 0, Rate = -1, Concurrency = 0, Duplicate = 1.5, Verify = true };
        Assert.Equal(7, options.Validate(Sipuni).Count);
    }

    [Fact]
    public void Find_UnknownProvider_NullAndReported()
    {
        Assert.Null(ScenarioGenerators.Find("uis", new GeneratorSettings("012345")));
        Assert.Contains(Options.Validate(null), e => e.StartsWith("--provider", StringComparison.Ordinal));
    }

    [Fact]
    public void HookUrl_SecretWithReservedCharacters_Escaped() =>
        Assert.Equal("http://hub.local/pbx/hooks/demo/a%2Fb%20c", (Options with { Url = "http://hub.local/pbx" }).HookUrl);

    [Fact]
    public void Find_EveryListedProvider_HasAGenerator() =>
        Assert.All(ScenarioGenerators.Providers, p => Assert.Equal(p, ScenarioGenerators.Find(p, new GeneratorSettings("012345"))!.Provider));

    [Fact]
    public void HookUrl_Evrotel_NoSecretInPathTokenInAuthorization()
    {
        var options = Options with { Url = "http://hub.local/pbx", Provider = "evrotel", Secret = "G7bng65jYk8GF294" };
        Assert.Equal("http://hub.local/pbx/hooks/demo", options.HookUrl);
        Assert.Equal(new Dictionary<string, string> { ["Authorization"] = "G7bng65jYk8GF294" }, options.HookHeaders);
        Assert.DoesNotContain("G7bng", options.Describe(1), StringComparison.Ordinal);
    }

    [Fact]
    public void HookHeaders_SecretInPath_None() => Assert.Empty((Options with { Provider = "hooktype" }).HookHeaders);

    [Fact]
    public void Validate_UnknownTimeZoneAndRelativeRecordingUrl_Reported()
    {
        var options = Options with { Provider = "evrotel", TimeZone = "Mars/Olympus", RecordingBaseUrl = "records/" };
        var errors = options.Validate(ScenarioGenerators.Find("evrotel", options.GeneratorSettings));
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("--time-zone", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("--recording-base-url", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_LoseOutOfRangeAndUnknownMode_NamesBoth()
    {
        var errors = (Options with { Lose = 1.5, LoseMode = "legs" }).Validate(Sipuni);
        Assert.Equal(["--lose must be a share of calls from 0 to 1", "--lose-mode 'legs' is not one of: both, calls, hangups"], errors);
    }

    [Fact]
    public void Validate_LoseWithVerifyWithoutHistory_RefusedSayingWhy()
    {
        var error = Assert.Single((Options with { Lose = 0.3, Verify = true, ApiKey = "key" }).Validate(Sipuni));
        Assert.StartsWith("--lose with --verify needs --history", error, StringComparison.Ordinal);
        Assert.Empty((Options with { Lose = 0.3, Verify = true, ApiKey = "key", History = "http://127.0.0.1:5090" }).Validate(Sipuni));
        Assert.Empty((Options with { Lose = 0.3 }).Validate(Sipuni));
    }

    [Fact]
    public void Validate_HistoryForAProviderWithoutOne_NamesThoseWithOne()
    {
        var options = Options with { Provider = "hooktype", History = "http://127.0.0.1:5090" };
        var error = Assert.Single(options.Validate(ScenarioGenerators.Find("hooktype", options.GeneratorSettings)));
        Assert.Equal("--history: the hooktype simulator writes no call history; these do: sipuni, evrotel", error);
    }

    [Fact]
    public void Validate_HistoryNotAnHttpUrl_Reported() =>
        Assert.StartsWith("--history 'ftp://x'", Assert.Single((Options with { History = "ftp://x" }).Validate(Sipuni)), StringComparison.Ordinal);

    [Theory]
    [InlineData("calls", "Calls")]
    [InlineData("HangUps", "HangUps")]
    [InlineData("both", "Both")]
    public void Loss_ModeName_ParsedCaseInsensitively(string name, string mode) =>
        Assert.Equal(new LossOptions(0.2, Enum.Parse<LossMode>(mode)), (Options with { Lose = 0.2, LoseMode = name }).Loss);
}
