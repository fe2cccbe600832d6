using PbxHub.Simulation.Sipuni;

namespace PbxHub.Simulation;

/// <summary>
/// One provider's scenarios. Generation is pure: everything comes from the random source and the
/// start time, so a seed reproduces the traffic and tests can fold the result without a hub.
/// </summary>
internal interface IScenarioGenerator
{
    string Provider { get; }

    IReadOnlyList<string> Scenarios { get; }

    /// <param name="index">The call's position in the run; it keeps provider call ids unique within a run.</param>
    SimulatedCall Generate(string scenario, int index, DateTimeOffset startedAt, Random random);
}

/// <summary>Provider-specific knobs that the command line passes through to the generator.</summary>
internal sealed record GeneratorSettings(string UserNumber);

/// <summary>The generators by provider name; a new provider adds one line here.</summary>
internal static class ScenarioGenerators
{
    public const string Mixed = "mixed";

    public static IReadOnlyList<string> Providers { get; } = ["sipuni"];

    public static IScenarioGenerator? Find(string provider, GeneratorSettings settings) => provider.ToLowerInvariant() switch
    {
        "sipuni" => new SipuniScenarioGenerator(settings.UserNumber),
        _ => null,
    };
}
