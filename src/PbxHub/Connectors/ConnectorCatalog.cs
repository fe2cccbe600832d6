using PbxHub.Connectors.Bitrix24;
using PbxHub.Connectors.RetailCrm;
using PbxHub.Providers;

namespace PbxHub.Connectors;

/// <summary>The CRMs PbxHub can feed, looked up by name; the one list a new CRM joins (as <see cref="ProviderCatalog"/>).</summary>
internal sealed class ConnectorCatalog(IReadOnlyList<ConnectorDescriptor> crms) : NamedRegistry<ConnectorDescriptor>(crms, c => c.Crm)
{
    /// <summary>The CRMs PbxHub ships, one line each.</summary>
    public static ConnectorCatalog Builtin { get; } = new(
    [
        Bitrix24Connector.Descriptor,
        AmoCrm.AmoCrmConnector.Descriptor,
        RetailCrmConnector.Descriptor,
    ]);

    public IReadOnlyList<ConnectorDescriptor> All { get; } = crms;
}
