using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>The delivery log of a subscription, re-sending, recovery, and a test event.</summary>
internal static class DeliveriesEndpoints
{
    public static RouteGroupBuilder MapDeliveries(this RouteGroupBuilder group)
    {
        group.MapGet("/{id}/deliveries", async (string id, long? before, int? limit, ISubscriptionStore subscriptions, IDeliveryStore store, CancellationToken ct) =>
        {
            if (await subscriptions.FindAsync(id, ct) is null)
            {
                return SubscriptionsEndpoints.NotFound(id);
            }

            if (limit is < 1 or > 1000)
            {
                return Results.Problem(statusCode: 400, title: "Invalid limit", detail: "limit must be from 1 to 1000.");
            }

            var page = await store.ListAsync(id, before, limit ?? 100, ct);
            return Results.Ok(new { items = page, next = page.Count == (limit ?? 100) ? page[^1].Id : (long?)null });
        });
        group.MapPost("/{id}/deliveries/{deliveryId:long}/resend", async (
            string id, long deliveryId, IDeliveryStore store, EventLogSignal signal, TimeProvider time, CancellationToken ct) =>
        {
            if (!await store.ResendAsync(id, deliveryId, time.GetUtcNow(), ct))
            {
                return Results.Problem(statusCode: 404, title: "Unknown delivery", detail: $"No delivery {deliveryId} for subscription '{id}'.");
            }

            signal.Pulse();
            return Results.Accepted(value: new { id = deliveryId, state = DeliveryStates.Pending });
        });
        group.MapPost("/{id}/recover", async (
            string id, string? since, ISubscriptionStore subscriptions, IDeliveryStore store, EventLogSignal signal, TimeProvider time, CancellationToken ct) =>
        {
            if (await subscriptions.FindAsync(id, ct) is not { } subscription)
            {
                return SubscriptionsEndpoints.NotFound(id);
            }

            if (since is null || !DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var from))
            {
                return Results.Problem(statusCode: 400, title: "Invalid since", detail: "since must be an ISO 8601 time, e.g. 2026-11-24T00:00:00Z.");
            }

            var count = await store.RecoverAsync(subscription, from, time.GetUtcNow(), ct);
            signal.Pulse();
            return Results.Accepted(value: new { scheduled = count, since = from.ToUniversalTime() });
        });
        group.MapPost("/{id}/test", async (string id, ISubscriptionStore subscriptions, WebhookSender sender, TimeProvider time, CancellationToken ct) =>
        {
            if (await subscriptions.FindAsync(id, ct) is not { } subscription)
            {
                return SubscriptionsEndpoints.NotFound(id);
            }

            var now = time.GetUtcNow();
            var eventId = "evt_test_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
            var json = CallJson.Serialize(new { id = eventId, type = "webhook.test", occurredAt = now, account = (string?)null, call = (object?)null, leg = (object?)null });
            var sent = await sender.SendAsync(subscription, eventId, json, ct);
            return Results.Ok(new
            {
                eventId, delivered = sent.Succeeded, statusCode = sent.StatusCode, durationMs = sent.DurationMs,
                error = sent.Error, response = sent.ResponseStart,
            });
        });
        return group;
    }
}
