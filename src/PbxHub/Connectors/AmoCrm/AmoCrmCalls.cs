using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Calls;

namespace PbxHub.Connectors.AmoCrm;

/// <summary>
/// The steps one delivery takes on the account (docs/connectors/amocrm.md#what-each-event-does), each kept in the call's
/// state once amoCRM took it; amoCRM's answers become the delivery's outcome (<see cref="AmoCrmOutcomes"/>).
/// </summary>
internal sealed class AmoCrmCalls(AmoCrmClient client, ConnectorStore store, ConnectorClicks clicks, Recordings.CrmRecordingLinks recordings, TimeProvider time)
{
    /// <summary>The incoming-call notification (<c>POST /api/v2/events</c>, type <c>phone_call</c>) to one employee rung.</summary>
    public async Task<ConnectorOutcome> NotifyAsync(ConnectorOptions c, CallRecord call, string user, AmoCrmCallState state, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["add"] = new JsonArray(new JsonObject { ["type"] = "phone_call", ["phone_number"] = AmoCrmBodies.Client(call), ["users"] = new JsonArray(AmoCrmBodies.UserId(user)) }),
        };
        var step = $"POST /api/v2/events phone_call to user {user}";
        var answer = await client.SendAsync(c, HttpMethod.Post, "/api/v2/events", body, ct);
        if (!answer.Ok)
        {
            return AmoCrmOutcomes.Of(step, answer);
        }

        await SaveAsync(c, call, state with { Notified = [.. state.Notified, user] }, ct);
        return ConnectorOutcome.Done(step);
    }

    /// <summary>
    /// The settled call: with PbxHub's recording link once kept (waiting up to <see cref="AmoCrmOptions.RecordingWait"/>),
    /// <c>POST /api/v4/calls</c>; a number amoCRM does not know gets an incoming unsorted lead instead.
    /// </summary>
    public async Task<ConnectorOutcome> AddAsync(ConnectorOptions c, CallRecord call, AmoCrmCallState state, CancellationToken ct)
    {
        var (link, note) = await LinkAsync(c, call, ct);
        if (link is null && note is { } waiting && call.UpdatedAt + c.AmoCrm.RecordingWait is var until && until > time.GetUtcNow())
        {
            // Looked at again every few seconds: the call goes as soon as the file is kept, not when the wait is over.
            var again = time.GetUtcNow() + Recordings.CrmRecordingLinks.LookAgainIn;
            return ConnectorOutcome.Wait($"the call waits until {AmoCrmConnector.Clock(until)} UTC at most: {waiting} (AmoCrm:RecordingWait)", again < until ? again : until);
        }

        if (link is null && note is not null)
        {
            // Waited long enough: the provider's link, as CrmRecordingLinks gives it when PbxHub is not keeping the file.
            link = call.RecordingUrl;
        }

        var clicked = call.Direction == Directions.Outbound ? await clicks.AdoptAsync(c, call, ct) : null;
        var body = new JsonArray(AmoCrmBodies.Call(c, call, link, clicked));
        var answer = await client.SendAsync(c, HttpMethod.Post, "/api/v4/calls", body, ct);
        var step = $"POST /api/v4/calls {Facts(call)}";
        if (answer.Ok && !AmoCrmOutcomes.NumberUnknown(answer))
        {
            var id = answer.Body?["_embedded"]?["calls"]?[0]?["id"]?.ToString();
            return await ToldAsync(c, call, state, $"call {id}", link, $"{step} → call {id}{(link is null ? "" : " with the recording")}", ct);
        }

        if (!AmoCrmOutcomes.NumberUnknown(answer))
        {
            return AmoCrmOutcomes.Of(step, answer);
        }

        if (call.Direction != Directions.Inbound)
        {
            // An unsorted lead of the "calls" category is an incoming call (its metadata says who called, from): none for an outbound call.
            return await ToldAsync(c, call, state, "not added: amoCRM knows no contact with this number", link,
                $"{step}: Entity not found (no contact with this number); an outbound call makes no unsorted lead", ct);
        }

        var unsorted = await client.SendAsync(c, HttpMethod.Post, "/api/v4/leads/unsorted/sip", new JsonArray(AmoCrmBodies.Unsorted(c, call, link)), ct);
        var unsortedStep = $"{step}: Entity not found (no contact with this number); POST /api/v4/leads/unsorted/sip";
        if (!unsorted.Ok)
        {
            return AmoCrmOutcomes.Of(unsortedStep, unsorted);
        }

        var uid = unsorted.Body?["_embedded"]?["unsorted"]?[0]?["uid"]?.ToString();
        return await ToldAsync(c, call, state, $"unsorted {uid}", link, $"{unsortedStep} → unsorted lead {uid}", ct);
    }

    private static string Facts(CallRecord call) => $"call_status {AmoCrmBodies.Status(call.Outcome)}, {call.TalkSeconds} s";

    private async Task<(string? Link, string? Waiting)> LinkAsync(ConnectorOptions c, CallRecord call, CancellationToken ct)
    {
        if (call.RecordingUrl is not { } url)
        {
            return (null, null);
        }

        var r = await recordings.ForAsync(call, url, c.RecordingFormat, c.RecordingLinkLifetime ?? Recordings.CrmRecordingLinks.KeptByTheCrm, ct);
        return (r.Url, r.Url is null ? r.Note : null);
    }

    private async Task<ConnectorOutcome> ToldAsync(ConnectorOptions c, CallRecord call, AmoCrmCallState state, string told, string? link, string step, CancellationToken ct)
    {
        await SaveAsync(c, call, state with { Told = told, Link = link }, ct);
        return ConnectorOutcome.Done(step);
    }

    private Task SaveAsync(ConnectorOptions c, CallRecord call, AmoCrmCallState state, CancellationToken ct) =>
        store.SaveCallStateAsync(c.Id, call.Id, JsonSerializer.Serialize(state), ct);
}
