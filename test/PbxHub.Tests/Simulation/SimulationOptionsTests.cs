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
        Assert.Null(ScenarioGenerators.Find("evrotel", new GeneratorSettings("012345")));
        Assert.Contains(Options.Validate(null), e => e.StartsWith("--provider", StringComparison.Ordinal));
    }

    [Fact]
    public void HookUrl_SecretWithReservedCharacters_Escaped() =>
        Assert.Equal("http://hub.local/pbx/hooks/demo/a%2Fb%20c", (Options with { Url = "http://hub.local/pbx" }).HookUrl);
}
