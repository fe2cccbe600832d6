using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PbxHub.Calls;

namespace PbxHub.Simulation;

/// <summary>
/// <c>--amocrm</c>: each ended call must be in the amoCRM stand-in (<c>pbxhub emulate amocrm</c>) once, as amoCRM keeps
/// it (docs/connectors/amocrm.md#the-whole-path-pbxhub-simulate---amocrm): one call whose <c>uniq</c> is the hub's call
/// id, with <c>call_status</c> 4 answered, 7 busy, 6 otherwise and <c>duration</c> its talk seconds; or, when amoCRM
/// refused the call for a number no contact has (400 <c>Entity not found</c>), one incoming unsorted lead with that
/// <c>uniq</c> for an inbound call and nothing for an outbound one (docs/connectors/amocrm.md#unknown-numbers).
/// </summary>
internal sealed class AmoCrmCheck : ICrmStandIn
{
    public string Name => "amoCRM";

    public async Task<ICrmTaken> ReadAsync(HttpClient http, Uri standIn, CancellationToken ct)
    {
        var calls = await http.GetFromJsonAsync<List<AddedCall>>(new Uri(standIn, "emulator/calls"), ct) ?? [];
        var leads = await http.GetFromJsonAsync<List<Lead>>(new Uri(standIn, "emulator/unsorted"), ct) ?? [];
        var requests = await http.GetFromJsonAsync<List<Asked>>(new Uri(standIn, "emulator/requests"), ct) ?? [];
        // The stand-in's own verdict that it knows no contact with the call's number: its answer to the call's POST.
        var refused = requests.Where(r => r is { Method: "POST", Path: "/api/v4/calls", Status: 400 } && r.Error?.Contains("Entity not found", StringComparison.Ordinal) == true)
            .SelectMany(r => r.Body as JsonArray ?? []).Select(c => c?["uniq"]?.ToString()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        return new Taken(
            calls.Where(c => c.Uniq is not null).ToLookup(c => c.Uniq!),
            leads.Where(l => l.Metadata?["uniq"] is not null).ToLookup(l => l.Metadata!["uniq"]!.ToString()),
            refused);
    }

    private sealed class Taken(ILookup<string, AddedCall> calls, ILookup<string, Lead> leads, HashSet<string> unknown) : ICrmTaken
    {
        public IEnumerable<string> Problems(ExpectedCall expected, string id)
        {
            var added = calls[id].ToList();
            var unsorted = leads[id].ToList();
            if (added.Count == 0 && unknown.Contains(id))
            {
                return Unsorted(expected, unsorted);
            }

            if (added.Count != 1)
            {
                return [$"amocrm: {added.Count} calls with this uniq instead of one"];
            }

            var problems = new List<string>();
            var status = expected.Outcome switch { Outcomes.Answered => 4, Outcomes.Busy => 7, _ => 6 };
            if (added[0].CallStatus != status)
            {
                problems.Add($"amocrm: call_status {Show(added[0].CallStatus)} for a call {expected.Outcome} (expected {status})");
            }

            if (added[0].Duration != expected.TalkSeconds)
            {
                problems.Add($"amocrm: duration {added[0].Duration} instead of {expected.TalkSeconds}");
            }

            if (unsorted.Count > 0)
            {
                problems.Add("amocrm: an unsorted lead too, beside the call");
            }

            return problems;
        }

        /// <summary>A call to or from a number amoCRM does not know: an inbound one becomes an unsorted lead, an outbound one nothing.</summary>
        private static IEnumerable<string> Unsorted(ExpectedCall expected, List<Lead> unsorted)
        {
            var inbound = expected.Direction == Directions.Inbound;
            if (unsorted.Count != (inbound ? 1 : 0))
            {
                return [$"amocrm: {unsorted.Count} unsorted leads for an {expected.Direction} call with a number it does not know, instead of {(inbound ? "one" : "none")}"];
            }

            var duration = unsorted.FirstOrDefault()?.Metadata?["duration"]?.GetValue<int>();
            return inbound && duration != expected.TalkSeconds ? [$"amocrm: unsorted lead's duration {Show(duration)} instead of {expected.TalkSeconds}"] : [];
        }

        private static string Show(int? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
    }

    private sealed record AddedCall(string? Uniq, int? CallStatus, int Duration);

    private sealed record Lead(JsonObject? Metadata);

    private sealed record Asked(string Method, string Path, JsonNode? Body, int Status, string? Error);
}
