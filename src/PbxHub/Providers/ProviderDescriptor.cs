using PbxHub.Simulation;

namespace PbxHub.Providers;

/// <summary>
/// Everything the hub knows about one provider, declared in the provider's own folder and registered by one
/// line (<see cref="ProviderCatalog.Builtin"/>, or <c>services.AddProvider(…)</c>). How to add one: docs/adding-a-provider.md.
/// </summary>
/// <param name="Adapter">Its dialect of hooks; stateless, so one instance serves every account. Its name, zone and country are the provider's.</param>
internal sealed record ProviderDescriptor(IProviderAdapter Adapter)
{
    public string Name => Adapter.Name;

    /// <summary>Its outbound client (an <see cref="IOutboundCalls"/>); null when the provider cannot place calls.</summary>
    public Type? Outbound { get; init; }

    /// <summary>Its call-history reader (a <see cref="Reconciliation.IHistoryReader"/>); null when the hub cannot read its history.</summary>
    public Type? History { get; init; }

    /// <summary>Its traffic generator for <c>pbxhub simulate</c> and <c>demo</c>; null when it has none (then <c>simulate</c> says so).</summary>
    public Func<GeneratorSettings, IScenarioGenerator>? Simulator { get; init; }

    /// <summary>
    /// Its example hooks from its documentation, byte for byte (<see cref="HookExamples.Embedded"/>): the fuzz tests' seeds.
    /// Empty for a provider that sends no hooks.
    /// </summary>
    public IReadOnlyList<HookExample> Examples { get; init; } = [];

    /// <summary>Its dashboard texts in English, by key (<c>provider.{name}</c>, <c>missed.unsupported.{name}</c>, <c>problem.{name}.…</c>).</summary>
    public IReadOnlyDictionary<string, string> TextsEn { get; init; } = new Dictionary<string, string>();

    /// <summary>The same keys in Russian.</summary>
    public IReadOnlyDictionary<string, string> TextsRu { get; init; } = new Dictionary<string, string>();

    /// <summary>Services only this provider's own classes use (UIS's session cache); null when none.</summary>
    public Action<IServiceCollection>? Services { get; init; }

    public bool PlacesCalls => Outbound is not null;

    /// <summary>What the registration lacks, so a forgotten part stops the hub at start instead of failing silently later.</summary>
    public IEnumerable<string> Problems()
    {
        string[] required = PlacesCalls ? [$"provider.{Name}"] : [$"provider.{Name}", $"missed.unsupported.{Name}"];
        foreach (var key in required.Concat(TextsEn.Keys).Concat(TextsRu.Keys).Distinct())
        {
            if (!TextsEn.ContainsKey(key))
            {
                yield return $"provider '{Name}' has no English text '{key}'";
            }

            if (!TextsRu.ContainsKey(key))
            {
                yield return $"provider '{Name}' has no Russian text '{key}'";
            }
        }

        if (History is not null && !typeof(Reconciliation.IHistoryReader).IsAssignableFrom(History))
        {
            yield return $"provider '{Name}': {History.Name} is not an {nameof(Reconciliation.IHistoryReader)}";
        }

        if (Outbound is not null && !typeof(IOutboundCalls).IsAssignableFrom(Outbound))
        {
            yield return $"provider '{Name}': {Outbound.Name} is not an {nameof(IOutboundCalls)}";
        }
    }
}
