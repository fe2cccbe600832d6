using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary><c>/api/v1/subscriptions</c>: webhook subscribers, their secrets and their delivery log.</summary>
internal static class SubscriptionsEndpoints
{
    public static RouteGroupBuilder MapSubscriptions(this RouteGroupBuilder api)
    {
        // A CRM connector's row is managed at /api/v1/connectors (docs/connectors.md): here it does not exist.
        var group = api.MapGroup("/subscriptions").WithTags("Subscriptions").AddEndpointFilter(async (context, next) =>
            context.HttpContext.GetRouteValue("id") is string id && Subscriptions.IsConnector(id) ? NotFound(id) : await next(context));
        group.MapGet("/", async (ISubscriptionStore store, CancellationToken ct) =>
            TypedResults.Ok((await store.ListAsync(ct)).Where(s => !Subscriptions.IsConnector(s.Id)).Select(s => SubscriptionView.Of(s)))).WithName("ListSubscriptions");
        group.MapGet("/{id}", async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> (string id, ISubscriptionStore store, CancellationToken ct) =>
            await store.FindAsync(id, ct) is { } s ? TypedResults.Ok(SubscriptionView.Of(s)) : NotFound(id))
            .WithName("GetSubscription").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", async Task<Results<Created<SubscriptionView>, ValidationProblem>> (
            SubscriptionInput input, ISubscriptionStore store, AccountDirectory accounts, WebhookDestinations destinations, TimeProvider time, CancellationToken ct) =>
        {
            var problems = await Subscriptions.ProblemsAsync(input, creating: true, accounts, destinations, ct);
            if (problems.Count > 0)
            {
                return TypedResults.ValidationProblem(problems, title: "Invalid subscription");
            }

            var subscription = Subscriptions.New(input, time.GetUtcNow());
            await store.AddAsync(subscription, ct);
            return TypedResults.Created($"/api/v1/subscriptions/{subscription.Id}", SubscriptionView.Of(subscription, withSecret: true));
        }).WithName("CreateSubscription");
        group.MapPatch("/{id}", async Task<Results<Ok<SubscriptionView>, ValidationProblem, ProblemHttpResult>> (
            string id, SubscriptionInput input, ISubscriptionStore store, AccountDirectory accounts, WebhookDestinations destinations, EventLogSignal signal,
            CancellationToken ct) =>
        {
            if (await store.FindAsync(id, ct) is null)
            {
                return NotFound(id);
            }

            var problems = await Subscriptions.ProblemsAsync(input, creating: false, accounts, destinations, ct);
            if (problems.Count > 0)
            {
                return TypedResults.ValidationProblem(problems, title: "Invalid subscription");
            }

            await store.UpdateAsync(id, Subscriptions.Change(input), ct);
            // Re-enabled, or now wanting more: what is queued for it goes now, not at the dispatcher's next poll.
            signal.Pulse();
            return await store.FindAsync(id, ct) is { } updated ? TypedResults.Ok(SubscriptionView.Of(updated)) : NotFound(id);
        }).WithName("UpdateSubscription").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ISubscriptionStore store, CancellationToken ct) =>
            await store.RemoveAsync(id, ct) ? TypedResults.NoContent() : NotFound(id))
            .WithName("DeleteSubscription").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/rotate-secret", async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> (
            string id, string? grace, ISubscriptionStore store, TimeProvider time, IOptions<DeliveryOptions> options, CancellationToken ct) =>
        {
            if (await store.FindAsync(id, ct) is not { } current)
            {
                return NotFound(id);
            }

            var period = options.Value.SecretRotationGrace;
            if (grace is not null && !TryParseGrace(grace, out period))
            {
                return TypedResults.Problem(statusCode: 400, title: "Invalid grace period", detail: $"grace '{grace}' is not a number of seconds or a time span such as 01:00:00.");
            }

            var rotated = Subscriptions.Rotate(current, period, time.GetUtcNow());
            return await store.RotateSecretAsync(rotated, current.Secret, ct)
                ? TypedResults.Ok(SubscriptionView.Of(rotated, withSecret: true))
                : TypedResults.Problem(statusCode: 409, title: "Rotated meanwhile", detail: "The secret was rotated by another request at the same time; the secret that request showed is the one in force.");
        }).WithName("RotateSubscriptionSecret").ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDeliveries();
        return api;
    }

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Unknown subscription", detail: $"No subscription '{id}'.");

    private static bool TryParseGrace(string text, out TimeSpan grace)
    {
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 30 * 86400)
        {
            grace = TimeSpan.FromSeconds(seconds);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out grace) && grace >= TimeSpan.Zero && grace <= TimeSpan.FromDays(30);
    }
}
