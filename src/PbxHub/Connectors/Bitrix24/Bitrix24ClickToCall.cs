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
        return await PlaceAsync(c, employee, phone, employee is null ? $"Bitrix24 user {user} is not mapped to an extension (Employees)" : null,
            new Click(crmCallId, time.GetUtcNow()), v => new Bitrix24ClickView(v, crmCallId), ct);
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
        var callback = new Click(null, time.GetUtcNow())
        {
            EntityType = f.GetValueOrDefault("data[CRM_ENTITY_TYPE]") is { Length: > 0 } type ? type : null,
            EntityId = f.GetValueOrDefault("data[CRM_ENTITY_ID]") is { Length: > 0 } id ? id : null,
        };
        return await PlaceAsync(c, employee, phone,
            employee is null ? $"DefaultUser {c.DefaultUser} is not mapped to an extension (Employees): callbacks ring the default user" : null,
            callback, v => v, ct);
    }

    private async Task<IResult> PlaceAsync<TView>(
        ConnectorOptions c, string? employee, string phone, string? problem, Click click, Func<Api.CallRequestView, TView> view, CancellationToken ct)
        where TView : Api.CallRequestView
    {
        var able = (await accounts.ListAsync(ct))
            .Where(a => (c.AccountList.Count == 0 || c.AccountList.Contains(a.Id)) && outbound.Find(a.Provider) is not null).ToList();
        problem ??= able.Count != 1 ? $"the connector's accounts include {able.Count} that can place calls; one is needed" : null;
        var what = click.CallId ?? "callback";
        if (problem is not null)
        {
            LogClickRefused(logger, c.Id, what, problem);
            return TypedResults.Problem(statusCode: 422, title: "The call cannot be placed", detail: problem + ". Nothing was sent.");
        }

        var account = able[0];
        var outcome = await outbound.Find(account.Provider)!.PlaceCallAsync(account, new PlaceCallInput([employee!], phone, []), ct);
        if (outcome is OutboundOutcome.Placed)
        {
            await store.SaveCallStateAsync(c.Id, Key(employee!, Parties.ToE164(phone, account.Country) ?? phone), JsonSerializer.Serialize(click), ct);
            LogClickPlaced(logger, c.Id, what, account.Id);
        }

        return await answers.RecordAsync(account, "call", phone, [employee!], outcome, view, ct);
    }

    /// <summary>The click (its portal <c>CALL_ID</c>) or callback (no <c>CALL_ID</c>) this outbound call answers, taken once.</summary>
    public async Task<Click?> AdoptAsync(ConnectorOptions c, CallRecord call, CancellationToken ct)
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

        if (click.CallId is not null)
        {
            await TakeAsync(c, key, click, ct);
        }

        // A callback is taken once it is registered (TakenAsync): a register that fails is retried as a callback again.
        return click;
    }

    /// <summary>The callback this call answered is registered: a later call between the same two is not one.</summary>
    public async Task TakenAsync(ConnectorOptions c, CallRecord call, Click callback, CancellationToken ct)
    {
        if (call.From is { } from && call.To?.Number is { } to)
        {
            await TakeAsync(c, Key(from.Extension ?? from.Number ?? from.Raw, to), callback, ct);
        }
    }

    private Task TakeAsync(ConnectorOptions c, string key, Click click, CancellationToken ct) =>
        store.SaveCallStateAsync(c.Id, key, JsonSerializer.Serialize(click with { At = DateTimeOffset.MinValue }), ct);

    private static string Key(string employee, string client) => $"click:{employee}:{client}";

    /// <summary>A call asked for from the portal: a click (its <c>CALL_ID</c>) or a callback form (its CRM entity).</summary>
    internal sealed record Click(string? CallId, DateTimeOffset At)
    {
        public string? EntityType { get; init; }

        public string? EntityId { get; init; }
    }

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
