using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>
/// Something other than a webhook URL that owns a subscription row and takes its deliveries (a CRM connector). The
/// outbox stays the same: deliveries are written with the events, sent one at a time per call, retried and logged.
/// </summary>
internal interface IOutboxTarget
{
    bool Handles(Subscription subscription);

    /// <summary>Delivers one event; the result is judged like a webhook's (2xx delivered, 429 throttled, <see cref="SendResult.Final"/>).</summary>
    Task<SendResult> SendAsync(Subscription subscription, StoredEvent stored, CancellationToken ct);
}
