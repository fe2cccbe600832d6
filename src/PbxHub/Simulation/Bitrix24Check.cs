using System.Net.Http.Json;
using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>
/// <c>--bitrix24</c>: each ended call must be in the Bitrix24 stand-in (<c>pbxhub emulate bitrix24</c>) as exactly one
/// registered call (its <c>EXTERNAL_CALL_ID</c> is the hub's call id), finished with the status and talk seconds of the
/// call (docs/connectors.md#the-whole-path-pbxhub-simulate---bitrix24).
/// </summary>
internal sealed class Bitrix24Check : ICrmStandIn
{
    public string Name => "Bitrix24";

    public async Task<ICrmTaken> ReadAsync(HttpClient http, Uri standIn, CancellationToken ct)
    {
        var portal = await http.GetFromJsonAsync<List<PortalCall>>(new Uri(standIn, "emulator/calls"), ct) ?? [];
        return new Taken(portal.Where(p => p.ExternalId is not null).ToLookup(p => p.ExternalId!));
    }

    private sealed class Taken(ILookup<string, PortalCall> byId) : ICrmTaken
    {
        public IEnumerable<string> Problems(ExpectedCall expected, string id)
        {
            var registered = byId[id].ToList();
            if (registered.Count != 1)
            {
                yield return $"bitrix24: {registered.Count} calls registered instead of one";
                yield break;
            }

            var call = registered[0];
            if (!call.Finished)
            {
                yield return "bitrix24: registered but never finished";
                yield break;
            }

            if ((call.StatusCode == "200") != (expected.Outcome == Outcomes.Answered))
            {
                yield return $"bitrix24: STATUS_CODE {call.StatusCode} for a call {expected.Outcome}";
            }

            if (call.Duration != expected.TalkSeconds)
            {
                yield return $"bitrix24: DURATION {call.Duration} instead of {expected.TalkSeconds}";
            }
        }
    }

    private sealed record PortalCall(string CallId, string? ExternalId, bool Finished, string? StatusCode, int Duration);
}
