using PbxHub.Simulation.Evrotel;
using PbxHub.Simulation.HookType;
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

    /// <summary>Whether the hook URL carries the secret (<c>/hooks/{account}/{secret}</c>); otherwise it goes in <c>Authorization</c>.</summary>
    bool SecretInPath => true;

    /// <summary>The provider settings of an account that takes this traffic sent with <paramref name="secret"/> (<c>pbxhub demo</c>).</summary>
    IReadOnlyDictionary<string, string> AccountSettings(string secret) => new Dictionary<string, string>();

    /// <param name="index">The call's position in the run; it keeps provider call ids unique within a run.</param>
    SimulatedCall Generate(string scenario, int index, DateTimeOffset startedAt, Random random);
}

/// <summary>
/// Provider-specific knobs that the command line passes through to the generator. <paramref name="TimeZone"/>
/// is the account's zone, in which providers with wall-clock times write them (null: the provider's usual zone);
/// <paramref name="RecordingBaseUrl"/> is Evrotel's, against which the hub resolves <c>recfile</c>.
/// </summary>
internal sealed record GeneratorSettings(string UserNumber, string? TimeZone = null, string? RecordingBaseUrl = null)
{
    public TimeZoneInfo Zone(string usual) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? usual, out var zone) ? zone : TimeZoneInfo.Utc;
}

/// <summary>The generators by provider name; a new provider adds one line here.</summary>
internal static class ScenarioGenerators
{
    public const string Mixed = "mixed";

    public static IReadOnlyList<string> Providers { get; } = ["sipuni", "hooktype", "evrotel"];

    public static IScenarioGenerator? Find(string provider, GeneratorSettings settings) => provider.ToLowerInvariant() switch
    {
        "sipuni" => new SipuniScenarioGenerator(settings.UserNumber),
        "hooktype" => new HookTypeScenarioGenerator(settings.Zone(HookTypeScenarioGenerator.UsualZone)),
        "evrotel" => new EvrotelScenarioGenerator(settings.Zone(EvrotelScenarioGenerator.UsualZone), settings.RecordingBaseUrl),
        _ => null,
    };
}
