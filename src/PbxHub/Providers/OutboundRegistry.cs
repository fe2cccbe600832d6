namespace PbxHub.Providers;

/// <summary>The providers' outbound APIs, looked up by provider name; most providers have none.</summary>
internal sealed class OutboundRegistry(IEnumerable<IOutboundCalls> clients) : NamedRegistry<IOutboundCalls>(clients, c => c.Provider)
{
    public IReadOnlyCollection<string> Providers => Names;
}
