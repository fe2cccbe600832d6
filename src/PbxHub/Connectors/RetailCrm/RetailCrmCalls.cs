using System.Globalization;
using System.Text.Json.Nodes;
using PbxHub.Calls;

namespace PbxHub.Connectors.RetailCrm;

/// <summary>
/// The JSON RetailCRM's telephony methods take for a call (docs/connectors/retailcrm.md#what-each-event-does): a call
/// event (<c>in</c>, <c>out</c>, <c>hangup</c>) and an uploaded call, from the call record.
/// </summary>
internal static class RetailCrmCalls
{
    /// <summary>The client's number: the caller of an inbound call, the one called by an outbound one.</summary>
    public static string Client(CallRecord call) =>
        (call.Direction == Directions.Outbound ? call.To : call.From) is { } p ? p.Number ?? p.Raw : "";

    /// <summary>An employee's additional code: the extension, else the number the mapping knows.</summary>
    public static string? Code(ConnectorOptions c, Party? p) =>
        p is null ? null : p.Extension ?? (c.EmployeeOf(p) is not null ? p.Number : null);

    public static string? Line(CallRecord call) => call.Line is { } l ? l.Number ?? l.Raw : null;

    public static JsonObject Event(ConnectorOptions c, CallRecord call, string type, IReadOnlyList<Party> employees, string? hangupStatus = null)
    {
        var e = new JsonObject { ["phone"] = Client(call), ["type"] = type };
        var codes = employees.Select(p => Code(c, p)).OfType<string>().Distinct().ToList();
        if (codes.Count > 0)
        {
            e["codes"] = new JsonArray([.. codes.Select(x => (JsonNode)x)]);
        }

        var users = employees.Select(c.EmployeeOf).OfType<string>().Distinct().Select(UserId).ToList();
        if (users.Count > 0)
        {
            e["userIds"] = new JsonArray([.. users.Select(u => (JsonNode)u)]);
        }

        if (hangupStatus is not null)
        {
            e["hangupStatus"] = hangupStatus;
        }

        Common(c, call, e, "callExternalId");
        return e;
    }

    /// <summary>One call of <c>calls/upload</c>; <paramref name="recordUrl"/> the recording's link, if any.</summary>
    public static JsonObject Upload(ConnectorOptions c, CallRecord call, TimeZoneInfo zone, string? recordUrl)
    {
        var outbound = call.Direction == Directions.Outbound;
        // An outbound call is the dialling employee's; an inbound one is who had it at its end (or answered it).
        var employee = outbound ? call.From : call.EndedWith ?? call.AnsweredBy;
        var u = new JsonObject
        {
            ["date"] = TimeZoneInfo.ConvertTime(call.StartedAt, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            ["type"] = outbound ? "out" : "in",
            ["phone"] = Client(call),
        };
        if (Code(c, employee) is { } code)
        {
            u["code"] = code;
        }

        // The default user owns the calls no mapped employee took (missed ones included).
        if ((c.EmployeeOf(employee) ?? c.DefaultUser) is { } user)
        {
            u["userId"] = UserId(user);
        }

        u["result"] = Result(call.Outcome);
        u["duration"] = call.TalkSeconds;
        u["durationWaiting"] = call.WaitSeconds;
        if (recordUrl is not null)
        {
            u["recordUrl"] = recordUrl;
        }

        Common(c, call, u, "externalId");
        return u;
    }

    /// <summary><c>result</c> of <c>calls/upload</c>: failed, answered, busy, no answer, not allowed or unknown.</summary>
    public static string Result(string? outcome) => outcome switch
    {
        Outcomes.Answered => "answered",
        Outcomes.Busy => "busy",
        Outcomes.Missed or Outcomes.NoAnswer or Outcomes.Cancelled => "no answer",
        Outcomes.Failed or Outcomes.Unavailable or Outcomes.Congestion or Outcomes.Rejected => "failed",
        _ => "unknown",
    };

    /// <summary><c>hangupStatus</c> of a <c>hangup</c> event: answered, busy, cancel, failed or no answered.</summary>
    public static string HangupStatus(string? outcome) => outcome switch
    {
        Outcomes.Answered => "answered",
        Outcomes.Busy => "busy",
        Outcomes.Cancelled => "cancel",
        Outcomes.Failed or Outcomes.Unavailable or Outcomes.Congestion or Outcomes.Rejected => "failed",
        _ => "no answered",
    };

    private static void Common(ConnectorOptions c, CallRecord call, JsonObject o, string idField)
    {
        if (Line(call) is { } line)
        {
            o["externalPhone"] = line;
        }

        if (c.RetailCrm.Site is { Length: > 0 } site)
        {
            o["site"] = site;
        }

        o[idField] = call.Id;
    }

    private static int UserId(string user) => int.Parse(user, CultureInfo.InvariantCulture);
}
