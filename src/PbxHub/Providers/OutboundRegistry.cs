namespace PbxHub.Providers;

/// <summary>The providers' outbound APIs, looked up by provider name; most providers have none.</summary>
internal sealed class OutboundRegistry(IEnumerable<IOutboundCalls> clients)
{
    private readonly Dictionary<string, IOutboundCalls> byProvider =
        clients.ToDictionary(c => c.Provider, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Providers => byProvider.Keys;

    public IOutboundCalls? Find(string provider) => byProvider.GetValueOrDefault(provider);
}
