using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>What the API, the CLI and the dashboard show of each connector: installed or not, and its outbox row's health.</summary>
internal sealed class ConnectorHealth(ISubscriptionStore subscriptions, ConnectorStore store, ConnectorCatalog catalog, IServiceProvider services)
{
    public async Task<IReadOnlyList<ConnectorView>> ViewsAsync(IEnumerable<ConnectorOptions> connectors, string baseUrl, CancellationToken ct)
    {
        var rows = (await subscriptions.ListAsync(ct)).ToDictionary(s => s.Id);
        var views = new List<ConnectorView>();
        foreach (var c in connectors)
        {
            var row = rows.GetValueOrDefault(ConnectorSubscriptions.SubscriptionIdOf(c.Id));
            var secrets = await store.SecretsAsync(c.Id, ct);
            var (installed, portal) = catalog.Find(c.Crm) is { } crm
                ? ((ICrmConnector)services.GetRequiredService(crm.Connector)).Installation(c, secrets) : new ConnectorInstallation(false, null);
            views.Add(new ConnectorView(
                c.Id, c.Crm.ToLowerInvariant(), c.AccountList, c.Employees, c.DefaultUser, installed, portal, row?.Enabled ?? false,
                row?.DisabledReason, row?.LastSuccessAt, row?.FailingSince,
                $"{baseUrl.TrimEnd('/')}/connectors/{c.Id}/events", $"{baseUrl.TrimEnd('/')}/connectors/{c.Id}/install",
                c.ImportedEmployees, c.Source));
        }

        return views;
    }
}
