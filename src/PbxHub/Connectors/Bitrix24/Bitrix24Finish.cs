using System.Text.Json.Nodes;
using PbxHub.Calls;
using PbxHub.Storage;

namespace PbxHub.Connectors.Bitrix24;

/// <summary>
/// <c>telephony.externalCall.finish</c>, which Bitrix24 takes once per call (docs/connectors.md#finish-and-late-events):
/// a provider's events can arrive out of order (the hang-up before the answer, a leg's event after the end), so the
/// finish waits until the call has been quiet for <see cref="Bitrix24Options.SettleFor"/> and tells the record as it
/// is then, not as the end event first saw it. A change after that is logged once: the portal keeps what it was told.
/// </summary>
internal sealed partial class Bitrix24Finish(ICallQueries calls, CallSettle settle, ILogger<Bitrix24Finish> logger)
{
    /// <summary>The call as it is now once no request of it arrived for <see cref="Bitrix24Options.SettleFor"/>, else when to look again.</summary>
    public Task<(CallRecord Call, DateTimeOffset? WaitUntil)> SettledAsync(ConnectorOptions c, CallRecord ended, CancellationToken ct) =>
        settle.SettledAsync(ended, c.Bitrix24.SettleFor, ct);

    public static JsonObject Params(ConnectorOptions c, CallRecord call)
    {
        // An outbound call is the dialling employee's; an inbound one is who had it at its end (or answered it), and one
        // nobody took belongs to the default user.
        var p = Bitrix24Connector.User(c, call.Direction == Directions.Outbound ? call.From : call.AnsweredAt is null ? null : call.EndedWith ?? call.AnsweredBy);
        p["DURATION"] = call.TalkSeconds;
        p["STATUS_CODE"] = Providers.HookType.HookTypeResultCodes.CodeOf(call.Outcome, call.ProviderResult);
        if (call.Outcome is not (Outcomes.Answered or null))
        {
            p["FAILED_REASON"] = call.Incomplete ? $"{call.Outcome} (the end never came)" : call.Outcome;
        }

        return p;
    }

    /// <summary><c>STATUS_CODE</c> and <c>DURATION</c> as the delivery log and the call's state show them.</summary>
    public static string Facts(JsonObject p) => $"{p["STATUS_CODE"]} {p["DURATION"]} s";

    /// <summary>
    /// After the finish: when an event shows the call ended otherwise than the portal was told (and the record now
    /// agrees), says so once in the log and the delivery log. Events queued before the finish carry older records:
    /// only the current record decides.
    /// </summary>
    public async Task<bool> NoteLateChangeAsync(ConnectorOptions c, Bitrix24Steps run, CallRecord seen, CancellationToken ct)
    {
        if (run.State is not { Finished: true, FinishedAs: { } told, LateChangeLogged: false } || seen.EndedAt is null || Facts(Params(c, seen)) == told)
        {
            return true;
        }

        var current = await calls.GetAsync(seen.Id, ct);
        var now = current is { EndedAt: not null } ? Facts(Params(c, current)) : told;
        if (now == told)
        {
            return true;
        }

        LogChangedAfterFinish(logger, c.Id, seen.Id, told, now);
        return await run.LateChangeAsync(now, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Connector {ConnectorId}: call {CallId} changed after its finish was sent to Bitrix24 (sent {Sent}, now {Now}); Bitrix24 takes no second finish, the journal has the call as it is")]
    private static partial void LogChangedAfterFinish(ILogger logger, string connectorId, string callId, string sent, string now);
}
