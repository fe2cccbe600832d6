using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Delivery;
using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>A connector as the API shows it: its settings without credentials, whether the CRM installed it, and its outbox health.</summary>
/// <param name="Employees">The declared mapping (extension or number → CRM user).</param>
/// <param name="ImportedEmployees">The mapping imported from the CRM, used where the declared one says nothing.</param>
/// <param name="Source"><c>configuration</c> or <c>api</c>: only the latter can be deleted through the API.</param>
internal sealed record ConnectorView(
    string Id, string Crm, IReadOnlyList<string> Accounts, IReadOnlyDictionary<string, string> Employees, string? DefaultUser,
    bool Installed, string? Portal, bool Enabled, string? DisabledReason, DateTimeOffset? LastSuccessAt, DateTimeOffset? FailingSince,
    string EventsUrl, string InstallUrl, IReadOnlyDictionary<string, string> ImportedEmployees, string Source);

/// <summary>The change <c>PATCH /api/v1/connectors/{id}</c> accepts: enabling again one disabled after long failure, or pausing one.</summary>
internal sealed record ConnectorChange(bool? Enabled);

/// <summary><c>/api/v1/connectors</c>: the configured connectors, their health, their delivery log, resend and recover.</summary>
internal static partial class ConnectorsEndpoints
{
    public static RouteGroupBuilder MapConnectorsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/connectors").WithTags("Connectors");
        group.MapGet("/", async (ConnectorDirectory directory, ConnectorHealth health, HttpRequest request, CancellationToken ct) =>
            TypedResults.Ok(await health.ViewsAsync(await directory.ListAsync(ct), BaseUrl(request), ct))).WithName("ListConnectors");
        group.MapGet("/{id}", async Task<Results<Ok<ConnectorView>, ProblemHttpResult>> (
            string id, ConnectorDirectory directory, ConnectorHealth health, HttpRequest request, CancellationToken ct) =>
            await directory.FindAsync(id, ct) is { } c ? TypedResults.Ok((await health.ViewsAsync([c], BaseUrl(request), ct))[0]) : NotFound(id))
            .WithName("GetConnector").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapManagement();
        group.MapPatch("/{id}", async Task<Results<Ok<ConnectorView>, ProblemHttpResult>> (
            string id, ConnectorChange change, ConnectorDirectory directory, ISubscriptionStore store, ConnectorHealth health, HttpRequest request, CancellationToken ct) =>
        {
            if (await directory.FindAsync(id, ct) is not { } c)
            {
                return NotFound(id);
            }

            await store.UpdateAsync(ConnectorSubscriptions.SubscriptionIdOf(id), new SubscriptionChange(null, null, null, change.Enabled, null), ct);
            return TypedResults.Ok((await health.ViewsAsync([c], BaseUrl(request), ct))[0]);
        }).WithName("UpdateConnector").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/deliveries", async Task<Results<Ok<DeliveryPage>, ProblemHttpResult>> (
            string id, long? before, int? limit, ConnectorDirectory directory, IDeliveryStore store, CancellationToken ct) =>
        {
            if (await directory.FindAsync(id, ct) is null)
            {
                return NotFound(id);
            }

            if (limit is < 1 or > 1000)
            {
                return TypedResults.Problem(statusCode: 400, title: "Invalid limit", detail: "limit must be from 1 to 1000.");
            }

            var page = await store.ListAsync(ConnectorSubscriptions.SubscriptionIdOf(id), before, limit ?? 100, ct);
            return TypedResults.Ok(new DeliveryPage(page, page.Count == (limit ?? 100) ? page[^1].Id : null));
        }).WithName("ListConnectorDeliveries").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/deliveries/{deliveryId:long}/resend", async Task<Results<Accepted<ResendAccepted>, ProblemHttpResult>> (
            string id, long deliveryId, IDeliveryStore store, EventLogSignal signal, TimeProvider time, CancellationToken ct) =>
        {
            if (!await store.ResendAsync(ConnectorSubscriptions.SubscriptionIdOf(id), deliveryId, time.GetUtcNow(), ct))
            {
                return TypedResults.Problem(statusCode: 404, title: "Unknown delivery", detail: $"No delivery {deliveryId} for connector '{id}'.");
            }

            signal.Pulse();
            return TypedResults.Accepted((string?)null, new ResendAccepted(deliveryId, DeliveryStates.Pending));
        }).WithName("ResendConnectorDelivery").ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/recover", async Task<Results<Accepted<RecoverAccepted>, ProblemHttpResult>> (
            string id, string? since, ISubscriptionStore subscriptions, DeliveryRecovery recovery, CancellationToken ct) =>
            await subscriptions.FindAsync(ConnectorSubscriptions.SubscriptionIdOf(id), ct) is { } row
                ? await recovery.RecoverAsync(row, since, ct)
                : NotFound(id)).WithName("RecoverConnectorDeliveries").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    internal static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: 404, title: "Unknown connector", detail: $"No connector '{id}'.");
}
