using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Delivery;

internal sealed record DeliveryPage(IReadOnlyList<DeliveryView> Items, long? Next);

internal sealed record ResendAccepted(long Id, string State);

internal sealed record RecoverAccepted(int Scheduled, DateTimeOffset Since);

internal sealed record TestDelivery(string EventId, bool Delivered, int? StatusCode, long DurationMs, string? Error, string? Response);

/// <summary>The delivery log of a subscription, re-sending, recovery, and a test event.</summary>
internal static class DeliveriesEndpoints
{
    public static RouteGroupBuilder MapDeliveries(this RouteGroupBuilder group)
    {
        group.MapGet("/{id}/deliveries", async Task<Results<Ok<DeliveryPage>, ProblemHttpResult>> (string id, long? before, int? limit, ISubscriptionStore subscriptions, IDeliveryStore store, CancellationToken ct) =>
        {
            if (await subscriptions.FindAsync(id, ct) is null)
            {
                return SubscriptionsEndpoints.NotFound(id);
            }

            if (limit is < 1 or > 1000)
            {
                return TypedResults.Problem(statusCode: 400, title: "Invalid limit", detail: "limit must be from 1 to 1000.");
            }

            var page = await store.ListAsync(id, before, limit ?? 100, ct);
            return TypedResults.Ok(new DeliveryPage(page, page.Count == (limit ?? 100) ? page[^1].Id : null));
        }).WithName("ListDeliveries").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/deliveries/{deliveryId:long}/resend", async Task<Results<Accepted<ResendAccepted>, ProblemHttpResult>> (
            string id, long deliveryId, IDeliveryStore store, EventLogSignal signal, TimeProvider time, CancellationToken ct) =>
        {
            if (!await store.ResendAsync(id, deliveryId, time.GetUtcNow(), ct))
            {
                return TypedResults.Problem(statusCode: 404, title: "Unknown delivery", detail: $"No delivery {deliveryId} for subscription '{id}'.");
            }

            signal.Pulse();
            return TypedResults.Accepted((string?)null, new ResendAccepted(deliveryId, DeliveryStates.Pending));
        }).WithName("ResendDelivery").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/recover", async Task<Results<Accepted<RecoverAccepted>, ProblemHttpResult>> (
            string id, string? since, ISubscriptionStore subscriptions, DeliveryRecovery recovery, CancellationToken ct) =>
            await subscriptions.FindAsync(id, ct) is { } subscription
                ? await recovery.RecoverAsync(subscription, since, ct)
                : SubscriptionsEndpoints.NotFound(id)).WithName("RecoverDeliveries").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/test", async Task<Results<Ok<TestDelivery>, ProblemHttpResult>> (string id, ISubscriptionStore subscriptions, WebhookSender sender, TimeProvider time, CancellationToken ct) =>
        {
            if (await subscriptions.FindAsync(id, ct) is not { } subscription)
            {
                return SubscriptionsEndpoints.NotFound(id);
            }

            var now = time.GetUtcNow();
            var eventId = "evt_test_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
            var json = CallJson.Serialize(new { id = eventId, type = "webhook.test", occurredAt = now, account = (string?)null, call = (object?)null, leg = (object?)null });
            var sent = await sender.SendAsync(subscription, eventId, json, ct);
            return TypedResults.Ok(new TestDelivery(eventId, sent.Succeeded, sent.StatusCode, sent.DurationMs, sent.Error, sent.ResponseStart));
        }).WithName("TestSubscription").ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }
}
