using Microsoft.AspNetCore.Http.HttpResults;
using PbxHub.Storage;

namespace PbxHub.Connectors;

/// <summary>What <c>POST /api/v1/connectors</c> takes: the same settings as configuration (docs/connectors.md).</summary>
internal sealed record ConnectorInput(
    string? Id, string? Crm, IReadOnlyList<string>? Accounts, Dictionary<string, string>? Employees, string? DefaultUser,
    Bitrix24.Bitrix24Options? Bitrix24);

/// <summary>The employees a CRM gave (extension or number → CRM user), as now used beneath the declared ones.</summary>
internal sealed record EmployeesImported(int Imported, IReadOnlyDictionary<string, string> Employees);

/// <summary>Creating and deleting connectors through the API, and importing their employees from the CRM.</summary>
internal static partial class ConnectorsEndpoints
{
    private static void MapManagement(this RouteGroupBuilder group)
    {
        group.MapPost("/", async Task<Results<Created<ConnectorView>, ValidationProblem, ProblemHttpResult>> (
            ConnectorInput input, ConnectorDirectory directory, ConnectorSubscriptions rows, ConnectorHealth health, HttpRequest request, CancellationToken ct) =>
        {
            var connector = FromInput(input);
            if (directory.Problems(connector) is { Count: > 0 } problems)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["connector"] = [.. problems] }, title: "Invalid connector");
            }

            if (!await directory.AddAsync(connector, ct))
            {
                return TypedResults.Problem(statusCode: 409, title: "Connector exists", detail: $"A connector '{connector.Id}' exists already.");
            }

            await rows.AddRowAsync(connector, ct);
            var view = (await health.ViewsAsync([(await directory.FindAsync(connector.Id, ct))!], BaseUrl(request), ct))[0];
            return TypedResults.Created($"/api/v1/connectors/{connector.Id}", view);
        }).WithName("CreateConnector").ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (
            string id, ConnectorDirectory directory, ISubscriptionStore subscriptions, ConnectorStore store, CancellationToken ct) =>
        {
            if (await directory.FindAsync(id, ct) is not { } connector)
            {
                return NotFound(id);
            }

            if (connector.Source == ConnectorSources.Configuration)
            {
                return TypedResults.Problem(statusCode: 409, title: "Connector is declared in configuration",
                    detail: $"Remove it from {ConnectorsOptions.Section} instead.");
            }

            // Its outbox row and deliveries first: no delivery may outlive the connector it was for.
            await subscriptions.RemoveAsync(ConnectorSubscriptions.SubscriptionIdOf(id), ct);
            await store.ForgetAsync(id, ct);
            await directory.RemoveAsync(id, ct);
            return TypedResults.NoContent();
        }).WithName("DeleteConnector").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/employees/import", async Task<Results<Ok<EmployeesImported>, ProblemHttpResult>> (
            string id, ConnectorDirectory directory, ConnectorCatalog catalog, IServiceProvider services, CancellationToken ct) =>
        {
            if (await directory.FindAsync(id, ct) is not { } connector || catalog.Find(connector.Crm) is not { } crm)
            {
                return NotFound(id);
            }

            var import = await ((ICrmConnector)services.GetRequiredService(crm.Connector)).ImportEmployeesAsync(connector, ct);
            if (import.Problem is { } problem)
            {
                return TypedResults.Problem(statusCode: import.NotInstalled ? 409 : 502, title: "The CRM did not give its users", detail: problem);
            }

            await directory.SaveImportedAsync(id, import.Employees, ct);
            return TypedResults.Ok(new EmployeesImported(import.Employees.Count, (await directory.FindAsync(id, ct))!.EffectiveEmployees));
        }).WithName("ImportConnectorEmployees").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway);
    }

    private static ConnectorOptions FromInput(ConnectorInput input)
    {
        var connector = new ConnectorOptions
        {
            Id = input.Id ?? "", Crm = input.Crm?.ToLowerInvariant() ?? "", DefaultUser = input.DefaultUser,
            Accounts = input.Accounts is null ? null : string.Join(',', input.Accounts),
            Bitrix24 = input.Bitrix24 ?? new Bitrix24.Bitrix24Options(),
        };
        foreach (var (key, user) in input.Employees ?? [])
        {
            connector.Employees[key] = user;
        }

        return connector;
    }
}
