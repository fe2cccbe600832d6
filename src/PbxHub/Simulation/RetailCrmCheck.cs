using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>
/// <c>--retailcrm</c>: each ended call must be in the RetailCRM stand-in (<c>pbxhub emulate retailcrm</c>) as exactly one
/// uploaded call (its <c>externalId</c> is the hub's call id), with <c>result</c> <c>answered</c> exactly when it was
/// answered and <c>duration</c> its talk seconds (docs/connectors/retailcrm.md#the-whole-path-pbxhub-simulate---retailcrm).
/// </summary>
internal sealed class RetailCrmCheck : ICrmStandIn
{
    public string Name => "RetailCRM";

    public async Task<ICrmTaken> ReadAsync(HttpClient http, Uri standIn, CancellationToken ct)
    {
        var calls = await http.GetFromJsonAsync<List<JsonObject>>(new Uri(standIn, "emulator/calls"), ct) ?? [];
        return new Taken(calls.Where(c => c["externalId"] is not null).ToLookup(c => c["externalId"]!.ToString()));
    }

    private sealed class Taken(ILookup<string, JsonObject> byId) : ICrmTaken
    {
        public IEnumerable<string> Problems(ExpectedCall expected, string id)
        {
            var uploaded = byId[id].ToList();
            if (uploaded.Count != 1)
            {
                yield return $"retailcrm: {uploaded.Count} calls uploaded instead of one";
                yield break;
            }

            var result = uploaded[0]["result"]?.ToString();
            if ((result == "answered") != (expected.Outcome == Outcomes.Answered))
            {
                yield return $"retailcrm: result {result ?? "none"} for a call {expected.Outcome}";
            }

            var duration = uploaded[0]["duration"]?.ToString();
            if (duration != expected.TalkSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                yield return $"retailcrm: duration {duration ?? "none"} instead of {expected.TalkSeconds}";
            }
        }
    }
}
