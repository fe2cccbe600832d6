using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Accounts;
using PbxHub.Api;
using PbxHub.Calls;
using PbxHub.Providers;

namespace PbxHub.Connectors.Bitrix24;

/// <summary>
/// <c>ONEXTERNALCALLSTART</c>: a click on a number in Bitrix24 places the call through the account's provider, as
/// <c>POST /api/v1/calls</c> does, and the portal's <c>CALL_ID</c> waits for the call the provider then reports: that
/// call is told to the portal on the same <c>CALL_ID</c> instead of a new registration (docs/connectors.md#click-to-call).
/// </summary>
internal sealed partial class Bitrix24ClickToCall(
    AccountDirectory accounts, OutboundRegistry outbound, OutboundAnswers answers, ConnectorStore store, TimeProvider time,
    ILogger<Bitrix24ClickToCall> logger)
{
    /// <summary>How long after the click the provider's call may start and still be the clicked one.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

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
        var able = (await accounts.ListAsync(ct))
            .Where(a => (c.AccountList.Count == 0 || c.AccountList.Contains(a.Id)) && outbound.Find(a.Provider) is not null).ToList();
        var problem = employee is null ? $"Bitrix24 user {user} is not mapped to an extension (Employees)"
            : able.Count != 1 ? $"the connector's accounts include {able.Count} that can place calls; one is needed"
            : null;
        if (problem is not null)
        {
            LogClickRefused(logger, c.Id, crmCallId, problem);
            return TypedResults.Problem(statusCode: 422, title: "The call cannot be placed", detail: problem + ". Nothing was sent.");
        }

        var account = able[0];
        var outcome = await outbound.Find(account.Provider)!.PlaceCallAsync(account, new PlaceCallInput([employee!], phone, []), ct);
        if (outcome is OutboundOutcome.Placed)
        {
            var click = new Click(crmCallId, time.GetUtcNow());
            await store.SaveCallStateAsync(c.Id, Key(employee!, Parties.ToE164(phone, account.Country) ?? phone), JsonSerializer.Serialize(click), ct);
            LogClickPlaced(logger, c.Id, crmCallId, account.Id);
        }

        return await answers.RecordAsync(account, "call", phone, [employee!], outcome, v => new Bitrix24ClickView(v, crmCallId), ct);
    }

    /// <summary>The portal's <c>CALL_ID</c> of a click this outbound call answers, taken (once) from the clicks waiting.</summary>
    public async Task<string?> AdoptAsync(ConnectorOptions c, CallRecord call, CancellationToken ct)
    {
        if (call.Direction != Directions.Outbound || call.From is not { } from || call.To?.Number is not { } to)
        {
            return null;
        }

        var key = Key(from.Extension ?? from.Number ?? from.Raw, to);
        if (await store.CallStateAsync(c.Id, key, ct) is not { } json || JsonSerializer.Deserialize<Click>(json) is not { } click
            || call.StartedAt < click.At.AddMinutes(-1) || call.StartedAt > click.At + Window)
        {
            return null;
        }

        await store.SaveCallStateAsync(c.Id, key, JsonSerializer.Serialize(click with { At = DateTimeOffset.MinValue }), ct);
        return click.CallId;
    }

    private static string Key(string employee, string client) => $"click:{employee}:{client}";

    private sealed record Click(string CallId, DateTimeOffset At);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bitrix24 connector {ConnectorId}: click-to-call {CrmCallId} placed through account {Account}")]
    private static partial void LogClickPlaced(ILogger logger, string connectorId, string crmCallId, string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bitrix24 connector {ConnectorId}: click-to-call {CrmCallId} refused: {Problem}")]
    private static partial void LogClickRefused(ILogger logger, string connectorId, string crmCallId, string problem);
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
