namespace PbxHub.Providers;

/// <summary>The provider adapters, looked up by name.</summary>
internal sealed class ProviderRegistry(IEnumerable<IProviderAdapter> adapters)
{
    private readonly Dictionary<string, IProviderAdapter> byName =
        adapters.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => byName.Keys;

    public IProviderAdapter? Find(string name) => byName.GetValueOrDefault(name);

    public IProviderAdapter Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"No adapter for provider '{name}'.");
}
