using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PbxHub.Accounts;
using PbxHub.Calls;
using PbxHub.Ingest;
using PbxHub.Reconciliation;

namespace PbxHub.Providers.Uis;

/// <summary>
/// One call of UIS's history as stored: <c>{"call": …, "legs": […]}</c>, the call's object from <c>get.calls_report</c> and
/// its legs from <c>get.call_legs_report</c>, each exactly as UIS sent it; and what such a row says
/// (docs/providers/uis.md#call-history).
/// </summary>
internal static class UisHistoryRows
{
    public static byte[] Envelope(string call, IEnumerable<string> legs) =>
        Encoding.UTF8.GetBytes($"{{\"call\":{call},\"legs\":[{string.Join(',', legs)}]}}");

    /// <summary>The call session's id (<c>id</c> of the call, <c>call_session_id</c> of a leg) as text; null when absent.</summary>
    public static string? Id(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<string>(out var s) && s.Length > 0 => s,
        _ => null,
    };

    public static HistoryFacts? Read(Account account, RawRequest row)
    {
        JsonObject? envelope;
        try
        {
            envelope = JsonNode.Parse(row.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        if (envelope?["call"] is not JsonObject call || Id(call["id"]) is null)
        {
            return null;
        }

        var legs = (envelope["legs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var direction = Text(call, "direction") switch { "in" => Directions.Inbound, "out" => Directions.Outbound, _ => null };
        var zone = account.Zone;
        var started = LocalTimes.Parse(Text(call, "start_time"), zone);
        var ended = LocalTimes.Parse(Text(call, "finish_time"), zone) ?? started?.AddSeconds(Int(call, "total_duration") ?? -1);
        if (direction is null || started is null || ended is null || ended < started)
        {
            return null;
        }

        var talk = Int(call, "talk_duration");
        var talkedLegs = legs.Where(l => Bool(l, "is_talked") == true).ToList();
        var talked = talk > 0 || talkedLegs.Count > 0
            || (call["employees"] as JsonArray ?? []).OfType<JsonObject>().Any(e => Bool(e, "is_talked") == true)
            || (talk is null && direction == Directions.Inbound && Bool(call, "is_lost") == false);
        var first = talkedLegs.Where(l => Bool(l, "is_operator") != false)
            .OrderBy(l => LocalTimes.Parse(Text(l, "connect_time"), zone) ?? DateTimeOffset.MaxValue).FirstOrDefault();
        DateTimeOffset? answeredAt = talked ? AnsweredAt(call, first, started.Value, ended.Value, zone) : null;
        var answeredBy = !talked ? null : Party(first is null ? null : Text(first, "employee_phone_number"), account) ?? Party(Text(call, "operator_phone_number"), account);
        var contact = Party(Text(call, "contact_phone_number"), account);
        var line = Party(Text(call, "virtual_phone_number"), account);
        var employee = Party(legs.Where(l => Bool(l, "is_operator") == true).Select(l => Text(l, "employee_phone_number")).FirstOrDefault(n => n is not null), account)
            ?? Party(Text(call, "operator_phone_number"), account) ?? line;
        var (from, to) = direction == Directions.Inbound ? (contact, line) : (employee, contact);
        var reason = Text(call, "finish_reason");
        return new HistoryFacts(
            direction, from, to, line, started.Value, answeredAt, ended.Value, UisOutcomes.Of(direction, talked, reason),
            talked ? talk ?? Math.Max(0, (int)(ended.Value - answeredAt!.Value).TotalSeconds) : 0,
            answeredBy, reason, RecordingUrl(account, call));
    }

    /// <summary>The talking operator leg's <c>connect_time</c>; else the start plus <c>wait_duration</c>; else the end minus <c>talk_duration</c>.</summary>
    private static DateTimeOffset AnsweredAt(JsonObject call, JsonObject? leg, DateTimeOffset started, DateTimeOffset ended, TimeZoneInfo zone)
    {
        if (leg is not null && LocalTimes.Parse(Text(leg, "connect_time"), zone) is { } connected)
        {
            return connected;
        }

        return Int(call, "wait_duration") is { } wait and >= 0
            ? started.AddSeconds(wait)
            : ended.AddSeconds(-Math.Min(Int(call, "talk_duration") ?? 0, (int)(ended - started).TotalSeconds));
    }

    /// <summary>
    /// <c>full_record_file_link</c> when UIS gives it; else the first of <c>call_records</c> on the media address the
    /// Data API's documentation names (<c>app.</c> beside the account's <c>dataapi.</c> host).
    /// </summary>
    private static string? RecordingUrl(Account account, JsonObject call)
    {
        if (Text(call, "full_record_file_link") is { } link)
        {
            return link;
        }

        var record = (call["call_records"] as JsonArray)?.Select(r => r is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).FirstOrDefault(s => s is not null);
        var api = account.Setting(UisHistoryReader.DataApiUrlKey);
        if (record is null || api is null || !Uri.TryCreate(api, UriKind.Absolute, out var uri) || !uri.Host.StartsWith("dataapi.", StringComparison.Ordinal))
        {
            return null;
        }

        var session = Id(call["communication_id"]) ?? Id(call["id"]);
        return $"https://app.{uri.Host["dataapi.".Length..]}/system/media/talk/{session}/{Uri.EscapeDataString(record)}/";
    }

    private static Party? Party(string? raw, Account account) => raw is null ? null : Parties.Number(raw, account.Country);

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Trim().Length > 0 ? s : null;

    private static int? Int(JsonObject node, string name) => node[name] is JsonValue v && v.TryGetValue<double>(out var d) ? (int)d : null;

    private static bool? Bool(JsonObject node, string name) => node[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;
}
