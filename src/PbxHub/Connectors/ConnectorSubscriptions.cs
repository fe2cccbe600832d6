using PbxHub.Delivery;
using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>
/// Gives each configured connector its row in <c>subscriptions</c> (id <c>connector:{id}</c>), so the outbox writes
/// one delivery per event for it in the fold's transaction like for any webhook; rows of connectors no longer
/// configured are removed with their deliveries (docs/connectors.md).
/// </summary>
internal sealed partial class ConnectorSubscriptions(
    ConnectorDirectory directory, ISubscriptionStore subscriptions, TimeProvider time, ILogger<ConnectorSubscriptions> logger) : IHostedService
{
    public static string SubscriptionIdOf(string connectorId) => Subscriptions.ConnectorPrefix + connectorId;

    public static string ConnectorIdOf(string subscriptionId) => subscriptionId[Subscriptions.ConnectorPrefix.Length..];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var existing = (await subscriptions.ListAsync(cancellationToken)).Where(s => Subscriptions.IsConnector(s.Id)).ToDictionary(s => s.Id);
        foreach (var connector in await directory.ListAsync(cancellationToken))
        {
            var id = SubscriptionIdOf(connector.Id);
            if (existing.Remove(id, out var row))
            {
                if (!row.Accounts.SequenceEqual(connector.AccountList))
                {
                    await subscriptions.UpdateAsync(id, new SubscriptionChange(null, null, connector.AccountList, null, null), cancellationToken);
                }

                continue;
            }

            await AddRowAsync(connector, cancellationToken);
        }

        foreach (var gone in existing.Keys)
        {
            await subscriptions.RemoveAsync(gone, cancellationToken);
            LogRemoved(logger, ConnectorIdOf(gone));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The connector's outbox row: from now on each new event gets a delivery for it.</summary>
    public async Task AddRowAsync(ConnectorOptions connector, CancellationToken ct)
    {
        // The secret signs nothing (no webhook is sent for this row); the column requires one.
        await subscriptions.AddAsync(
            new Subscription(SubscriptionIdOf(connector.Id), "crm:" + connector.Crm.ToLowerInvariant(), [], connector.AccountList, true,
                $"{connector.Crm} connector '{connector.Id}'", WebhookSignature.NewSecret(), null, null, null, time.GetUtcNow(), null, null),
            ct);
        LogAdded(logger, connector.Id, connector.Crm);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {ConnectorId} ({Crm}) now takes the call events from the outbox")]
    private static partial void LogAdded(ILogger logger, string connectorId, string crm);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {ConnectorId} is no longer configured: its outbox row and deliveries were removed")]
    private static partial void LogRemoved(ILogger logger, string connectorId);
}
