using Microsoft.AspNetCore.Http.HttpResults;

namespace PbxHub.Connectors;

/// <summary>What <c>POST /api/v1/connectors</c> takes: the same settings as configuration (docs/connectors.md).</summary>
internal sealed record ConnectorInput(
    string? Id, string? Crm, IReadOnlyList<string>? Accounts, Dictionary<string, string>? Employees, string? DefaultUser,
    Bitrix24.Bitrix24Options? Bitrix24, string? RecordingFormat = null, AmoCrm.AmoCrmOptions? AmoCrm = null, RetailCrm.RetailCrmOptions? RetailCrm = null,
    TimeSpan? RecordingLinkLifetime = null);

/// <summary>The employees a CRM gave (extension or number → CRM user), as now used beneath the declared ones.</summary>
internal sealed record EmployeesImported(int Imported, IReadOnlyDictionary<string, string> Employees);

/// <summary>Creating and deleting connectors through the API, and importing their employees from the CRM.</summary>
internal static partial class ConnectorsEndpoints
{
    private static void MapManagement(this RouteGroupBuilder group)
    {
        group.MapPost("/", async Task<Results<Created<ConnectorView>, ValidationProblem, ProblemHttpResult>> (
            ConnectorInput input, ConnectorAdmin admin, ConnectorDirectory directory, ConnectorHealth health, HttpRequest request, CancellationToken ct) =>
        {
            var connector = FromInput(input);
            var (result, problems) = await admin.CreateAsync(connector, ct);
            if (result == ConnectorAdmin.Change.Invalid)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["connector"] = [.. problems] }, title: "Invalid connector");
            }

            if (result == ConnectorAdmin.Change.Exists)
            {
                return TypedResults.Problem(statusCode: 409, title: "Connector exists", detail: $"A connector '{connector.Id}' exists already.");
            }

            var view = (await health.ViewsAsync([(await directory.FindAsync(connector.Id, ct))!], BaseUrl(request), ct))[0];
            return TypedResults.Created($"/api/v1/connectors/{connector.Id}", view);
        }).WithName("CreateConnector").ProducesProblem(StatusCodes.Status409Conflict);

        group.MapDelete("/{id}", async Task<Results<NoContent, ProblemHttpResult>> (string id, ConnectorAdmin admin, CancellationToken ct) =>
            await admin.DeleteAsync(id, ct) switch
            {
                ConnectorAdmin.Change.Unknown => NotFound(id),
                ConnectorAdmin.Change.Declared => TypedResults.Problem(statusCode: 409, title: "Connector is declared in configuration",
                    detail: $"Remove it from {ConnectorsOptions.Section} instead."),
                _ => TypedResults.NoContent(),
            }).WithName("DeleteConnector").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/{id}/employees/import", async Task<Results<Ok<EmployeesImported>, ProblemHttpResult>> (
            string id, ConnectorAdmin admin, ConnectorDirectory directory, CancellationToken ct) =>
        {
            if (await admin.ImportEmployeesAsync(id, ct) is not { } import)
            {
                return NotFound(id);
            }

            return import.Problem is { } problem
                ? TypedResults.Problem(statusCode: import.NotInstalled ? 409 : 502, title: "The CRM did not give its users", detail: problem)
                : TypedResults.Ok(new EmployeesImported(import.Employees.Count, (await directory.FindAsync(id, ct))!.EffectiveEmployees));
        }).WithName("ImportConnectorEmployees").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway);
    }

    private static ConnectorOptions FromInput(ConnectorInput input)
    {
        var connector = new ConnectorOptions
        {
            Id = input.Id ?? "", Crm = input.Crm?.ToLowerInvariant() ?? "", DefaultUser = input.DefaultUser,
            Accounts = input.Accounts is null ? null : string.Join(',', input.Accounts),
            Bitrix24 = input.Bitrix24 ?? new Bitrix24.Bitrix24Options(), RecordingFormat = input.RecordingFormat,
            RecordingLinkLifetime = input.RecordingLinkLifetime,
            AmoCrm = input.AmoCrm ?? new AmoCrm.AmoCrmOptions(), RetailCrm = input.RetailCrm ?? new RetailCrm.RetailCrmOptions(),
        };
        foreach (var (key, user) in input.Employees ?? [])
        {
            connector.Employees[key] = user;
        }

        return connector;
    }
}
