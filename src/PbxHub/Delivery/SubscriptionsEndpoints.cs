using System.Globalization;
using Microsoft.Extensions.Options;
using PbxHub.Accounts;
using PbxHub.Storage;

namespace PbxHub.Delivery;

/// <summary><c>/api/v1/subscriptions</c>: webhook subscribers, their secrets and their delivery log.</summary>
internal static class SubscriptionsEndpoints
{
    public static RouteGroupBuilder MapSubscriptions(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/subscriptions").WithTags("Subscriptions");
        group.MapGet("/", async (ISubscriptionStore store, CancellationToken ct) =>
            (await store.ListAsync(ct)).Select(s => SubscriptionView.Of(s)));
        group.MapGet("/{id}", async (string id, ISubscriptionStore store, CancellationToken ct) =>
            await store.FindAsync(id, ct) is { } s ? Results.Ok(SubscriptionView.Of(s)) : NotFound(id));
        group.MapPost("/", async (
            SubscriptionInput input, ISubscriptionStore store, AccountDirectory accounts, WebhookDestinations destinations, TimeProvider time, CancellationToken ct) =>
        {
            var problems = await Subscriptions.ProblemsAsync(input, creating: true, accounts, destinations, ct);
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems, title: "Invalid subscription");
            }

            var subscription = Subscriptions.New(input, time.GetUtcNow());
            await store.AddAsync(subscription, ct);
            return Results.Created($"/api/v1/subscriptions/{subscription.Id}", SubscriptionView.Of(subscription, withSecret: true));
        });
        group.MapPatch("/{id}", async (
            string id, SubscriptionInput input, ISubscriptionStore store, AccountDirectory accounts, WebhookDestinations destinations, CancellationToken ct) =>
        {
            if (await store.FindAsync(id, ct) is null)
            {
                return NotFound(id);
            }

            var problems = await Subscriptions.ProblemsAsync(input, creating: false, accounts, destinations, ct);
            if (problems.Count > 0)
            {
                return Results.ValidationProblem(problems, title: "Invalid subscription");
            }

            await store.UpdateAsync(id, Subscriptions.Change(input), ct);
            return await store.FindAsync(id, ct) is { } updated ? Results.Ok(SubscriptionView.Of(updated)) : NotFound(id);
        });
        group.MapDelete("/{id}", async (string id, ISubscriptionStore store, CancellationToken ct) =>
            await store.RemoveAsync(id, ct) ? Results.NoContent() : NotFound(id));
        group.MapPost("/{id}/rotate-secret", async (
            string id, string? grace, ISubscriptionStore store, TimeProvider time, IOptions<DeliveryOptions> options, CancellationToken ct) =>
        {
            if (await store.FindAsync(id, ct) is not { } current)
            {
                return NotFound(id);
            }

            var period = options.Value.SecretRotationGrace;
            if (grace is not null && !TryParseGrace(grace, out period))
            {
                return Results.Problem(statusCode: 400, title: "Invalid grace period", detail: $"grace '{grace}' is not a number of seconds or a time span such as 01:00:00.");
            }

            var rotated = Subscriptions.Rotate(current, period, time.GetUtcNow());
            return await store.RotateSecretAsync(rotated, current.Secret, ct)
                ? Results.Ok(SubscriptionView.Of(rotated, withSecret: true))
                : Results.Problem(statusCode: 409, title: "Rotated meanwhile", detail: "The secret was rotated by another request at the same time; the secret that request showed is the one in force.");
        });
        group.MapDeliveries();
        return api;
    }

    internal static IResult NotFound(string id) =>
        Results.Problem(statusCode: 404, title: "Unknown subscription", detail: $"No subscription '{id}'.");

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
