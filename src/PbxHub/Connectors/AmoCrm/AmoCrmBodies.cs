using System.Globalization;
using System.Text.Json.Nodes;
using PbxHub.Calls;

namespace PbxHub.Connectors.AmoCrm;

/// <summary>What amoCRM is told of a call, field by field, as its documentation names them (docs/connectors/amocrm.md#calls).</summary>
internal static class AmoCrmBodies
{
    /// <summary><c>source</c> of each call and <c>service_code</c> of each unsorted lead.</summary>
    public const string Source = "pbxhub";

    /// <summary>The body of <c>POST /api/v4/calls</c> as amoCRM documents it (docs/connectors/amocrm.md#calls).</summary>
    public static JsonObject Call(ConnectorOptions c, CallRecord call, string? link, CrmClick? clicked)
    {
        var body = new JsonObject
        {
            ["direction"] = call.Direction == Directions.Outbound ? "outbound" : "inbound",
            ["uniq"] = call.Id,
            ["duration"] = call.TalkSeconds,
            ["source"] = Source,
            ["phone"] = Client(call),
            ["call_status"] = Status(call.Outcome),
            ["call_result"] = Result(call, clicked),
            ["responsible_user_id"] = UserId(Responsible(c, call)),
            ["created_at"] = call.StartedAt.ToUnixTimeSeconds(),
            ["request_id"] = "0",
        };
        if (link is not null)
        {
            body["link"] = link;
        }

        return body;
    }

    /// <summary>The body of <c>POST /api/v4/leads/unsorted/sip</c>: the call's metadata, a lead and a contact named by the number.</summary>
    public static JsonObject Unsorted(ConnectorOptions c, CallRecord call, string? link)
    {
        var client = Client(call);
        var metadata = new JsonObject
        {
            ["is_call_event_needed"] = true,
            ["uniq"] = call.Id,
            ["duration"] = call.TalkSeconds,
            ["service_code"] = Source,
            // "phone" is whom the client called (amocrm-api-php's example gives an extension): who took it, else the line.
            ["phone"] = (call.EndedWith ?? call.AnsweredBy)?.Extension ?? call.Line?.Number ?? call.Line?.Raw ?? client,
            ["called_at"] = call.StartedAt.ToUnixTimeSeconds(),
            ["from"] = client,
            ["call_responsible"] = UserId(Responsible(c, call)),
        };
        if (link is not null)
        {
            metadata["link"] = link;
        }

        var body = new JsonObject
        {
            ["source_name"] = "PbxHub",
            ["source_uid"] = Source,
            ["created_at"] = call.StartedAt.ToUnixTimeSeconds(),
            ["metadata"] = metadata,
            ["_embedded"] = new JsonObject
            {
                ["leads"] = new JsonArray(new JsonObject { ["name"] = $"Call from {client}" }),
                ["contacts"] = new JsonArray(new JsonObject { ["name"] = client }),
            },
            ["request_id"] = "0",
        };
        if (c.AmoCrm.PipelineId is { } pipeline)
        {
            body["pipeline_id"] = pipeline;
        }

        return body;
    }

    /// <summary>
    /// amoCRM's <c>call_status</c> (amocrm-api-php CallInterface): 4 a conversation took place, 7 busy, 6 not reached
    /// (missed, no answer, cancelled, rejected, unavailable, failed).
    /// </summary>
    public static int Status(string? outcome) => outcome switch
    {
        Outcomes.Answered => 4,
        Outcomes.Busy => 7,
        _ => 6,
    };

    /// <summary>The employee who had the call (inbound: at its end, else who answered; outbound: who dialled), else <c>DefaultUser</c>.</summary>
    public static string Responsible(ConnectorOptions c, CallRecord call) =>
        (call.Direction == Directions.Outbound ? c.EmployeeOf(call.From)
            : call.AnsweredAt is null ? null
            : c.EmployeeOf(call.EndedWith) ?? c.EmployeeOf(call.AnsweredBy)) ?? c.DefaultUser!;

    private static string Result(CallRecord call, CrmClick? clicked)
    {
        var text = call.Outcome switch
        {
            Outcomes.Answered => $"answered, {call.TalkSeconds} s of talk",
            null => "ended",
            var other => other.Replace('_', ' '),
        };
        return text + (call.Incomplete ? " (the end never came)" : "") + (clicked is null ? "" : " (click-to-call from amoCRM)");
    }

    public static string Client(CallRecord call)
    {
        var party = call.Direction == Directions.Outbound ? call.To : call.From;
        return party?.Number ?? party?.Raw ?? "";
    }

    public static int UserId(string user) => int.Parse(user, CultureInfo.InvariantCulture);
}
