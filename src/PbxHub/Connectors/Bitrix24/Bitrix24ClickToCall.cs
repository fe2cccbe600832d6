namespace PbxHub.Connectors.Bitrix24;

/// <summary>
/// <c>ONEXTERNALCALLSTART</c>: a click on a number in Bitrix24 places the call through the account's provider, as
/// <c>POST /api/v1/calls</c> does, and the portal's <c>CALL_ID</c> waits for the call the provider then reports: that
/// call is told to the portal on the same <c>CALL_ID</c> instead of a new registration (docs/connectors.md#click-to-call).
/// </summary>
internal sealed class Bitrix24ClickToCall(ConnectorClicks clicks, TimeProvider time)
{
    public async Task<IResult> StartAsync(ConnectorOptions c, Dictionary<string, string> f, CancellationToken ct)
    {
        var crmCallId = f.GetValueOrDefault("data[CALL_ID]");
        var phone = f.GetValueOrDefault("data[PHONE_NUMBER]") is { Length: > 0 } number ? number : f.GetValueOrDefault("data[PHONE_NUMBER_INTERNATIONAL]");
        var user = f.GetValueOrDefault("data[USER_ID]");
        if (string.IsNullOrEmpty(crmCallId) || string.IsNullOrEmpty(phone) || string.IsNullOrEmpty(user))
        {
            return TypedResults.Problem(statusCode: 400, title: "Incomplete ONEXTERNALCALLSTART", detail: "data[CALL_ID], data[PHONE_NUMBER] and data[USER_ID] are required.");
        }

        // The employee whose extension (or number) maps to the Bitrix24 user who clicked.
        var employee = c.EmployeeFor(user);
        return await clicks.PlaceAsync(c, employee, phone, employee is null ? $"Bitrix24 user {user} is not mapped to an extension (Employees)" : null,
            new CrmClick(crmCallId, time.GetUtcNow()), v => new Bitrix24ClickView(v, crmCallId), ct);
    }

    /// <summary>
    /// <c>ONEXTERNALCALLBACKSTART</c> (a visitor filled in a CRM callback form): the default user's extension is rung, then the
    /// client, through the account's provider; the call is then registered on the portal as a callback (<c>TYPE</c> 4) with
    /// the form's CRM entity (docs/connectors.md#callbacks).
    /// </summary>
    public async Task<IResult> CallbackAsync(ConnectorOptions c, Dictionary<string, string> f, CancellationToken ct)
    {
        var phone = f.GetValueOrDefault("data[PHONE_NUMBER]");
        if (string.IsNullOrEmpty(phone))
        {
            return TypedResults.Problem(statusCode: 400, title: "Incomplete ONEXTERNALCALLBACKSTART", detail: "data[PHONE_NUMBER] is required.");
        }

        var employee = c.DefaultUser is { } owner ? c.EmployeeFor(owner) : null;
        var callback = new CrmClick(null, time.GetUtcNow())
        {
            EntityType = f.GetValueOrDefault("data[CRM_ENTITY_TYPE]") is { Length: > 0 } type ? type : null,
            EntityId = f.GetValueOrDefault("data[CRM_ENTITY_ID]") is { Length: > 0 } id ? id : null,
        };
        return await clicks.PlaceAsync(c, employee, phone,
            employee is null ? $"DefaultUser {c.DefaultUser} is not mapped to an extension (Employees): callbacks ring the default user" : null,
            callback, v => v, ct);
    }
}

/// <summary>The stored call request of a click in Bitrix24, with the portal's <c>CALL_ID</c> it will be finished on.</summary>
internal sealed record Bitrix24ClickView(
    string Id, string Account, string Provider, string Kind, string? Client, IReadOnlyList<string> Operators, DateTimeOffset RequestedAt,
    string Status, System.Text.Json.Nodes.JsonNode? Exchanges, System.Text.Json.Nodes.JsonNode? Problem, string? CallId, string Bitrix24CallId)
    : Api.CallRequestView(Id, Account, Provider, Kind, Client, Operators, RequestedAt, Status, Exchanges, Problem, CallId)
{
    public Bitrix24ClickView(Api.CallRequestView v, string bitrix24CallId)
        : this(v.Id, v.Account, v.Provider, v.Kind, v.Client, v.Operators, v.RequestedAt, v.Status, v.Exchanges, v.Problem, v.CallId, bitrix24CallId)
    {
    }
}
