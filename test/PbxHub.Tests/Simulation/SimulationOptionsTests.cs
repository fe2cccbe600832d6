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
}
