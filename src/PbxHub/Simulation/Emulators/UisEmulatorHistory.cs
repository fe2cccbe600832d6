using System.Globalization;
using System.Text.Json.Nodes;
using PbxHub.Providers.Uis;

namespace PbxHub.Simulation.Emulators;

/// <summary>
/// The UIS stand-in's history in the Data API's shapes (docs/providers/uis.md#call-history): a <see cref="HistoryCall"/>
/// as a row of <c>get.calls_report</c> and as its legs in <c>get.call_legs_report</c>, written so that PbxHub's reader
/// gives back the call's facts.
/// </summary>
internal static class UisEmulatorHistory
{
    private static long nextSession = 2_000_000_000;

    /// <summary>The fields each report knows and, when a request names none, returns (the documentation's default columns).</summary>
    public static readonly string[] CallFields =
    [
        "id", "start_time", "finish_time", "finish_reason", "direction", "source", "is_lost", "contact_phone_number", "virtual_phone_number",
        "communication_id", "communication_type", "wait_duration", "talk_duration", "clean_talk_duration", "total_duration", "call_records",
        "full_record_file_link", "employees", "operator_phone_number", "is_transfer",
    ];

    public static readonly string[] CallDefaults =
    [
        "id", "start_time", "finish_time", "finish_reason", "direction", "source", "is_lost", "contact_phone_number", "virtual_phone_number",
        "communication_id", "communication_type", "wait_duration", "talk_duration", "clean_talk_duration", "total_duration", "call_records",
        "full_record_file_link",
    ];

    public static readonly string[] LegFields =
    [
        "id", "call_session_id", "start_time", "connect_time", "duration", "total_duration", "finish_reason", "direction", "is_operator",
        "is_transfered", "is_talked", "is_failed", "employee_id", "employee_full_name", "employee_phone_number", "calling_phone_number",
        "called_phone_number", "virtual_phone_number", "call_records",
    ];

    /// <summary>A new call session id for a call the stand-in placed.</summary>
    public static string NextSession() => Interlocked.Increment(ref nextSession).ToString(CultureInfo.InvariantCulture);

    public static JsonObject Call(HistoryCall c, TimeZoneInfo zone)
    {
        var answered = c.Outcome == "answered";
        var answeredAt = answered ? c.AnsweredAt ?? c.StartedAt : (DateTimeOffset?)null;
        var talk = answered ? Seconds(c.EndedAt - answeredAt!.Value) : 0;
        var employee = Employee(c);
        return new JsonObject
        {
            ["id"] = Id(c.CallId), ["start_time"] = Wall(c.StartedAt, zone), ["finish_time"] = Wall(c.EndedAt, zone),
            ["finish_reason"] = UisOutcomes.ReasonFor(c.Outcome), ["direction"] = c.Direction == "inbound" ? "in" : "out",
            ["source"] = c.Direction == "inbound" ? "va" : "callapi", ["is_lost"] = c.Direction == "inbound" && !answered,
            ["contact_phone_number"] = c.Direction == "inbound" ? c.From : c.To, ["virtual_phone_number"] = Line(c),
            ["communication_id"] = Id(c.CallId), ["communication_type"] = "call",
            ["wait_duration"] = Seconds((answeredAt ?? c.EndedAt) - c.StartedAt), ["talk_duration"] = talk, ["clean_talk_duration"] = talk,
            ["total_duration"] = Seconds(c.EndedAt - c.StartedAt), ["call_records"] = c.RecordingUrl is null ? new JsonArray() : new JsonArray("r" + c.CallId),
            ["full_record_file_link"] = c.RecordingUrl, ["is_transfer"] = false,
            ["employees"] = employee is null ? new JsonArray() : new JsonArray(new JsonObject
            {
                ["employee_id"] = EmployeeId(employee), ["employee_full_name"] = $"Employee {employee}", ["is_answered"] = answered, ["is_talked"] = answered,
            }),
            ["operator_phone_number"] = answered ? employee : null,
        };
    }

    /// <summary>The employee's leg (when one is known) and the contact's leg.</summary>
    public static IEnumerable<JsonObject> Legs(HistoryCall c, TimeZoneInfo zone)
    {
        var call = Call(c, zone);
        var answered = c.Outcome == "answered";
        var employee = Employee(c);
        var contact = (string?)call["contact_phone_number"];
        var (calling, called) = c.Direction == "inbound" ? (c.From, Line(c)) : (Line(c) ?? c.From, c.To);
        for (var i = 0; i < 2; i++)
        {
            var operatorLeg = i == 0;
            if (operatorLeg && employee is null)
            {
                continue;
            }

            yield return new JsonObject
            {
                ["id"] = Id(c.CallId + (operatorLeg ? "1" : "2")), ["call_session_id"] = Id(c.CallId),
                ["start_time"] = operatorLeg ? Wall(OperatorRung(c), zone) : call["start_time"]!.DeepClone(),
                ["connect_time"] = answered ? Wall(c.AnsweredAt ?? c.StartedAt, zone) : null, ["duration"] = call["talk_duration"]!.DeepClone(),
                ["total_duration"] = call["total_duration"]!.DeepClone(), ["finish_reason"] = call["finish_reason"]!.DeepClone(),
                ["direction"] = call["direction"]!.DeepClone(), ["is_operator"] = operatorLeg, ["is_transfered"] = false, ["is_talked"] = answered,
                ["is_failed"] = !answered, ["employee_id"] = operatorLeg ? EmployeeId(employee!) : null,
                ["employee_full_name"] = operatorLeg ? $"Employee {employee}" : null, ["employee_phone_number"] = operatorLeg ? employee : null,
                ["calling_phone_number"] = operatorLeg || c.Direction == "inbound" ? calling : contact, ["called_phone_number"] = operatorLeg ? employee : called,
                ["virtual_phone_number"] = Line(c), ["call_records"] = new JsonArray(),
            };
        }
    }

    /// <summary>The scenario routes a call before the employee's leg begins: a second after the start, never after the answer or the end.</summary>
    private static DateTimeOffset OperatorRung(HistoryCall c) =>
        new[] { c.StartedAt.AddSeconds(1), c.AnsweredAt ?? c.EndedAt, c.EndedAt }.Min();

    /// <summary>The employee who had the call: who answered; on an outbound call, the one who placed it.</summary>
    private static string? Employee(HistoryCall c) => c.AnsweredBy ?? (c.Direction == "inbound" ? null : c.From);

    private static string? Line(HistoryCall c) => c.Line ?? (c.Direction == "inbound" ? c.To : null);

    /// <summary>UIS's ids are numbers; an id given as other text stays text.</summary>
    private static JsonNode Id(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(id)!;

    private static long EmployeeId(string employee) => long.TryParse(new string([.. employee.Where(char.IsAsciiDigit).TakeLast(9)]), out var n) ? n : 1;

    private static int Seconds(TimeSpan span) => (int)Math.Max(0, Math.Round(span.TotalSeconds));

    public static string Wall(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString(UisDataApi.TimeFormat, CultureInfo.InvariantCulture);
}
