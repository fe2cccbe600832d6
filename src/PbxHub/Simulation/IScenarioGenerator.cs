using PbxHub.Providers;

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

    /// <summary>
    /// What the provider's call history tells of a call (docs/simulate.md); null when PbxHub reads no history of this
    /// provider, and then its calls carry no <see cref="SimulatedCall.History"/>.
    /// </summary>
    HistoryShape? History => null;

    /// <param name="index">The call's position in the run; it keeps provider call ids unique within a run.</param>
    SimulatedCall Generate(string scenario, int index, DateTimeOffset startedAt, Random random);
}

/// <summary>
/// Provider-specific knobs that the command line passes through to the generator. <paramref name="TimeZone"/>
/// is the account's zone, in which providers with wall-clock times write them (null: the provider's usual zone);
/// <paramref name="RecordingBaseUrl"/> is Evrotel's, against which the hub resolves <c>recfile</c>;
/// <paramref name="RecordingServer"/> the simulator's own recording server, which Sipuni's links then name.
/// </summary>
internal sealed record GeneratorSettings(string UserNumber, string? TimeZone = null, string? RecordingBaseUrl = null, string? RecordingServer = null)
{
    public TimeZoneInfo Zone(string usual) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone ?? usual, out var zone) ? zone : TimeZoneInfo.Utc;
}

/// <summary>The generators by provider name: each provider's registration names its own (docs/adding-a-provider.md).</summary>
internal static class ScenarioGenerators
{
    public const string Mixed = "mixed";

    /// <summary>The shipped providers that have a generator.</summary>
    public static IReadOnlyList<string> Providers => ProviderCatalog.Builtin.Simulated;

    public static IScenarioGenerator? Find(string provider, GeneratorSettings settings) => Find(ProviderCatalog.Builtin, provider, settings);

    public static IScenarioGenerator? Find(ProviderCatalog providers, string provider, GeneratorSettings settings) =>
        providers.Find(provider)?.Simulator?.Invoke(settings);
}
