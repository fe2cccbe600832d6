using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary>
/// Queues a subscription's (or a connector's) events since a time again (docs/webhooks.md, "Resend and recover"). Events are
/// written by the fold, just after the acknowledgement: like a read of records, a recovery first waits (at most
/// <see cref="FreshCallQueries.Patience"/>) until what was acknowledged before it asked is folded, so a request the
/// provider was told we have is among the events it queues.
/// </summary>
internal sealed class DeliveryRecovery(IDeliveryStore store, FreshReads fresh, StorageFaults faults, EventLogSignal signal, TimeProvider time)
{
    public async Task<Results<Accepted<RecoverAccepted>, ProblemHttpResult>> RecoverAsync(Subscription subscription, string? since, CancellationToken ct)
    {
        if (since is null || !DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var from))
        {
            return TypedResults.Problem(statusCode: 400, title: "Invalid since", detail: "since must be an ISO 8601 time, e.g. 2026-11-24T00:00:00Z.");
        }

        await FreshCallQueries.CatchUpAsync(fresh, faults, ct);

        var count = await store.RecoverAsync(subscription, from, time.GetUtcNow(), ct);
        signal.Pulse();
        return TypedResults.Accepted((string?)null, new RecoverAccepted(count, from.ToUniversalTime()));
    }
}
