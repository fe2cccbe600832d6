using System.Diagnostics;
using PbxHub.Delivery;
using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>Hands the deliveries of a connector's subscription row to its CRM instead of a webhook POST.</summary>
internal sealed class ConnectorTarget(ConnectorDirectory directory, ConnectorCatalog catalog, IServiceProvider services, TimeProvider time) : IOutboxTarget
{
    public bool Handles(Subscription subscription) => Subscriptions.IsConnector(subscription.Id);

    public async Task<SendResult> SendAsync(Subscription subscription, StoredEvent stored, CancellationToken ct)
    {
        var at = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var id = ConnectorSubscriptions.ConnectorIdOf(subscription.Id);
        if (await directory.FindAsync(id, ct) is not { } connector || catalog.Find(connector.Crm) is not { } crm)
        {
            // Its configuration went away while the row stayed: nothing can ever send it.
            return new SendResult(at, null, 0, $"connector '{id}' is not configured", null, null, TimedOut: false) { Final = true };
        }

        var e = ConnectorEvent.Of(stored);
        var outcome = e.Call.Direction == Calls.Directions.Internal
            // Between two employees: no client, so nothing for any CRM (Bitrix24 refuses an extension as PHONE_NUMBER).
            ? ConnectorOutcome.Done("internal call: not told to the CRM")
            : await ((ICrmConnector)services.GetRequiredService(crm.Connector)).DeliverAsync(connector, e, ct);
        var ms = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return new SendResult(
            at, outcome.Delivered ? 200 : outcome.WaitUntil is not null || outcome.StatusCode is not (>= 200 and < 300) ? outcome.StatusCode : null, ms, outcome.Error, WebhookSender.Printable(outcome.Steps), null, TimedOut: false)
        {
            Final = outcome.Final, Throttled = outcome.Throttled, WaitUntil = outcome.WaitUntil,
        };
    }
}
