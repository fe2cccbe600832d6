using System.Text.Json;
using PbxHub.Accounts;
using PbxHub.Api;
using PbxHub.Calls;
using PbxHub.Providers;

namespace PbxHub.Connectors;

/// <summary>
/// A call asked for from a CRM (a click on a number, a callback form): placed through the connector's one account that
/// can place calls, as <c>POST /api/v1/calls</c> does, and remembered, so the outbound call the provider then reports
/// is known as the clicked one (<see cref="AdoptAsync"/>) and told to the CRM on the CRM's own call (docs/connectors.md).
/// </summary>
internal sealed partial class ConnectorClicks(
    AccountDirectory accounts, OutboundRegistry outbound, OutboundAnswers answers, ConnectorStore store,
    ILogger<ConnectorClicks> logger)
{
    /// <summary>How long after the click the provider's call may start and still be the clicked one.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Rings <paramref name="employee"/> (an extension or number of the account), then <paramref name="phone"/>; answers
    /// as <c>POST /api/v1/calls</c> does (the stored call request, or 422 naming <paramref name="problem"/>).
    /// </summary>
    public async Task<IResult> PlaceAsync<TView>(
        ConnectorOptions c, string? employee, string phone, string? problem, CrmClick click, Func<CallRequestView, TView> view, CancellationToken ct)
        where TView : CallRequestView
    {
        var able = (await accounts.ListAsync(ct))
            .Where(a => (c.AccountList.Count == 0 || c.AccountList.Contains(a.Id)) && outbound.Find(a.Provider) is not null).ToList();
        problem ??= employee is null ? "no extension to ring first" : null;
        problem ??= able.Count != 1 ? $"the connector's accounts include {able.Count} that can place calls; one is needed" : null;
        var what = click.CallId ?? "callback";
        if (problem is not null)
        {
            LogClickRefused(logger, c.Id, c.Crm, what, problem);
            return TypedResults.Problem(statusCode: 422, title: "The call cannot be placed", detail: problem + ". Nothing was sent.");
        }

        var account = able[0];
        var outcome = await outbound.Find(account.Provider)!.PlaceCallAsync(account, new PlaceCallInput([employee!], phone, []), ct);
        if (outcome is OutboundOutcome.Placed)
        {
            await store.SaveCallStateAsync(c.Id, Key(employee!, Parties.ToE164(phone, account.Country) ?? phone), JsonSerializer.Serialize(click), ct);
            LogClickPlaced(logger, c.Id, c.Crm, what, account.Id);
        }

        return await answers.RecordAsync(account, "call", phone, [employee!], outcome, view, ct);
    }

    /// <summary>The click (with the CRM's call id) or callback (without) this outbound call answers; a click is taken once.</summary>
    public async Task<CrmClick?> AdoptAsync(ConnectorOptions c, CallRecord call, CancellationToken ct)
    {
        if (call.Direction != Directions.Outbound || call.From is not { } from || call.To?.Number is not { } to)
        {
            return null;
        }

        var key = Key(from.Extension ?? from.Number ?? from.Raw, to);
        if (await store.CallStateAsync(c.Id, key, ct) is not { } json || JsonSerializer.Deserialize<CrmClick>(json) is not { } click
            || call.StartedAt < click.At.AddMinutes(-1) || call.StartedAt > click.At + Window)
        {
            return null;
        }

        if (click.CallId is not null)
        {
            await TakeAsync(c, key, click, ct);
        }

        // A callback is taken once the CRM has it (TakenAsync): a step that fails is retried as a callback again.
        return click;
    }

    /// <summary>The callback this call answered is told to the CRM: a later call between the same two is not one.</summary>
    public async Task TakenAsync(ConnectorOptions c, CallRecord call, CrmClick callback, CancellationToken ct)
    {
        if (call.From is { } from && call.To?.Number is { } to)
        {
            await TakeAsync(c, Key(from.Extension ?? from.Number ?? from.Raw, to), callback, ct);
        }
    }

    private Task TakeAsync(ConnectorOptions c, string key, CrmClick click, CancellationToken ct) =>
        store.SaveCallStateAsync(c.Id, key, JsonSerializer.Serialize(click with { At = DateTimeOffset.MinValue }), ct);

    private static string Key(string employee, string client) => $"click:{employee}:{client}";

    [LoggerMessage(Level = LogLevel.Information, Message = "Connector {ConnectorId} ({Crm}): click-to-call {CrmCallId} placed through account {Account}")]
    private static partial void LogClickPlaced(ILogger logger, string connectorId, string crm, string crmCallId, string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {ConnectorId} ({Crm}): click-to-call {CrmCallId} refused: {Problem}")]
    private static partial void LogClickRefused(ILogger logger, string connectorId, string crm, string crmCallId, string problem);
}

/// <summary>
/// A call asked for from a CRM: a click (<see cref="CallId"/>: the CRM's own call id, where it has one) or a callback
/// (no id; the CRM entity the form belongs to); <see cref="At"/> is when it was asked.
/// </summary>
internal sealed record CrmClick(string? CallId, DateTimeOffset At)
{
    public string? EntityType { get; init; }

    public string? EntityId { get; init; }
}
