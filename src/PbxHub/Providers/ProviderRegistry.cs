namespace PbxHub.Providers;

/// <summary>Named implementations looked up by provider name, case-insensitively (as YARP looks up its policies).</summary>
internal abstract class NamedRegistry<T>(IEnumerable<T> items, Func<T, string> nameOf)
{
    private readonly Dictionary<string, T> byName = items.ToDictionary(nameOf, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => byName.Keys;

    public T? Find(string name) => byName.GetValueOrDefault(name);
}

/// <summary>The provider adapters, looked up by name.</summary>
internal sealed class ProviderRegistry(IEnumerable<IProviderAdapter> adapters) : NamedRegistry<IProviderAdapter>(adapters, a => a.Name)
{
    public IProviderAdapter Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"No adapter for provider '{name}'.");
}
