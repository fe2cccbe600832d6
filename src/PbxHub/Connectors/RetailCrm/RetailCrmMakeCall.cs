namespace PbxHub.Connectors.RetailCrm;

/// <summary>
/// <c>makeCallUrl</c> (docs/connectors/retailcrm.md#makecallurl): a click on a number in RetailCRM makes the system ask
/// the module's <c>makeCallUrl</c> with <c>clientId</c>, <c>code</c> (the user's additional code), <c>phone</c>,
/// <c>userId</c> and, when the system has one, <c>externalPhone</c>. The request must carry the <c>clientId</c> PbxHub
/// registered (anything else is refused and nothing is placed); the call is then placed through the account's provider
/// as <c>POST /api/v1/calls</c> does, ringing the user's extension first.
/// </summary>
internal sealed partial class RetailCrmMakeCall(RetailCrmModule module, ConnectorClicks clicks, TimeProvider time, ILogger<RetailCrmMakeCall> logger)
{
    public async Task<IResult> ReceiveAsync(ConnectorOptions c, HttpRequest request, CancellationToken ct)
    {
        // RetailCRM's documentation describes a GET with the parameters in the query; a form POST is taken the same way.
        var f = request.Query.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        if (request.HasFormContentType)
        {
            foreach (var (key, value) in await request.ReadFormAsync(ct))
            {
                f[key] = value.ToString();
            }
        }

        var secrets = await module.SecretsAsync(c.Id, ct);
        if (secrets is null || f.GetValueOrDefault("clientId") is not { Length: > 0 } clientId || !Security.Secrets.AreEqual(clientId, secrets.ClientId))
        {
            LogForged(logger, c.Id);
            return TypedResults.Problem(statusCode: 401, title: "Unknown clientId",
                detail: "The request does not carry the clientId PbxHub registered the module with: nothing was placed.");
        }

        if (f.GetValueOrDefault("phone") is not { Length: > 0 } phone)
        {
            return TypedResults.Problem(statusCode: 400, title: "Incomplete makeCallUrl request", detail: "phone is required.");
        }

        var code = f.GetValueOrDefault("code") is { Length: > 0 } k ? k : null;
        var user = f.GetValueOrDefault("userId") is { Length: > 0 } u ? u : null;
        // The additional code is the employee's extension (PbxHub registered them from the mapping); else the user's mapped one.
        var employee = code ?? (user is null ? null : c.EmployeeFor(user));
        var problem = employee is null ? $"RetailCRM user {user ?? "(none)"} has no additional code and is not mapped to an extension (Employees)" : null;
        return await clicks.PlaceAsync(c, employee, phone, problem, new CrmClick($"makeCallUrl:{user ?? code}", time.GetUtcNow()), v => v, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RetailCRM connector {ConnectorId}: makeCallUrl request without the registered clientId refused")]
    private static partial void LogForged(ILogger logger, string connectorId);
}
