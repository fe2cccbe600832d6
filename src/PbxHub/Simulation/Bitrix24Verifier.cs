using System.Net.Http.Json;
using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>
/// <c>--bitrix24</c>: the whole path as a user trying PbxHub sees it, up to the CRM. Each simulated call that ended must
/// reach the Bitrix24 stand-in (internal calls, between two employees, are not told to a CRM) (<c>pbxhub emulate bitrix24</c>) as exactly one registered call (its
/// <c>EXTERNAL_CALL_ID</c> is the hub's call id), finished with the status and talk seconds of the call
/// (docs/connectors.md#the-stand-in-pbxhub-emulate-bitrix24).
/// </summary>
internal sealed class Bitrix24Verifier(HttpClient http, Uri standIn, string account, TimeSpan wait, TimeProvider time)
{
    public async Task<IReadOnlyList<CallMismatch>> VerifyAsync(IReadOnlyList<SimulatedCall> calls, CancellationToken ct)
    {
        var ended = calls.Where(c => c.Expected.State == CallStates.Ended && c.Expected.Direction != Directions.Internal && c.IdFromReply is null)
            .Select(c => (Call: c, Id: StableIds.CallId(account, c.ProviderCallId))).ToList();
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var portal = await http.GetFromJsonAsync<List<PortalCall>>(new Uri(standIn, "emulator/calls"), ct) ?? [];
            var byId = portal.Where(p => p.ExternalId is not null).ToLookup(p => p.ExternalId!);
            var mismatches = ended.Select(e => Check(e.Call, e.Id, byId[e.Id].ToList())).OfType<CallMismatch>().ToList();
            if (mismatches.Count == 0 || time.GetUtcNow() > deadline)
            {
                return [.. mismatches.OrderBy(m => m.ProviderCallId, StringComparer.Ordinal)];
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), time, ct);
        }
    }

    private static CallMismatch? Check(SimulatedCall call, string id, List<PortalCall> registered)
    {
        var expected = call.Expected;
        var problems = new List<string>();
        if (registered.Count != 1)
        {
            problems.Add($"bitrix24: {registered.Count} calls registered instead of one");
        }
        else if (registered[0] is { Finished: false })
        {
            problems.Add("bitrix24: registered but never finished");
        }
        else
        {
            var answered = expected.Outcome == Outcomes.Answered;
            var status = registered[0].StatusCode;
            if ((status == "200") != answered)
            {
                problems.Add($"bitrix24: STATUS_CODE {status} for a call {expected.Outcome}");
            }

            if (registered[0].Duration != expected.TalkSeconds)
            {
                problems.Add($"bitrix24: DURATION {registered[0].Duration} instead of {expected.TalkSeconds}");
            }
        }

        return problems.Count == 0 ? null : new CallMismatch(call.Scenario, call.ProviderCallId, id, problems);
    }

    private sealed record PortalCall(string CallId, string? ExternalId, bool Finished, string? StatusCode, int Duration);
}
