using PbxHub.Calls;

namespace PbxHub.Providers.Uis;

/// <summary>
/// A call of UIS's history in PbxHub's outcomes (docs/providers/uis.md#outcomes): answered when a conversation took
/// place; an inbound call nobody talked on is missed; an unanswered outbound call is read from its <c>finish_reason</c>.
/// The Data API renamed the contact's reasons from <c>subscriber_…</c> to <c>caller_…</c>: both are read.
/// </summary>
internal static class UisOutcomes
{
    private static readonly Dictionary<string, string> Unanswered = Build(
        (Outcomes.Busy, ["caller_busy", "subscriber_busy", "operator_busy", "employee_busy", "employee_busy_after_call"]),
        (Outcomes.NoAnswer,
        [
            "caller_not_responsive", "subscriber_not_responsible", "subscriber_not_responsive", "operator_not_responsive", "timeout",
            "no_success_caller_call", "no_success_operator_call", "no_operator_confirmation", "action_interval_exceeded",
        ]),
        (Outcomes.Cancelled, ["operator_disconnects"]),
        (Outcomes.Rejected, ["caller_disconnects", "subscriber_disconnects"]),
        (Outcomes.Unavailable,
        [
            "caller_number_problems", "subscriber_number_problems", "operator_number_problems", "sip_offline", "employee_phone_inactive",
            "employee_phone_inactive_by_schedule", "employee_inactive", "employee_inactive_by_schedule", "group_phone_inactive",
            "employee_without_phones", "group_without_phones", "employee_phone_not_found",
        ]),
        (Outcomes.Congestion, ["operator_channels_busy", "max_out_call_reached", "max_in_call_reached", "no_resources", "locked_phone"]),
        (Outcomes.Failed,
        [
            "numb_not_exists", "numb_is_inactive", "not_enough_money", "no_money", "limit_exceeded", "internal_error", "incorrect_config",
            "platform_not_found", "locked_numb", "call_not_allowed_on_tp", "out_call_not_allowed", "out_call_not_allowed_by_status",
            "external_call_not_allowed", "external_call_not_allowed_by_status", "internal_call_not_allowed",
            "internal_call_not_allowed_by_status", "auto_out_calls_not_allowed_by_status", "api_permission_denied", "api_ip_now_allowed",
            "component_is_inactive", "app_is_inactive", "account_not_found", "contract_not_found", "employee_not_exists",
            "employees_not_exists", "incorrect_input", "communication_unavailable",
        ]));

    /// <param name="talked">A conversation took place (talk time, or a leg or employee that talked).</param>
    public static string Of(string direction, bool talked, string? finishReason)
    {
        if (talked)
        {
            return Outcomes.Answered;
        }

        if (direction == Directions.Inbound)
        {
            return Outcomes.Missed;
        }

        return finishReason is not null && Unanswered.TryGetValue(finishReason, out var outcome) ? outcome : Outcomes.Unknown;
    }

    /// <summary>The reason the UIS stand-in writes for an outcome: one that <see cref="Of"/> reads back to it.</summary>
    public static string ReasonFor(string outcome) => outcome switch
    {
        Outcomes.Answered or Outcomes.Missed => "caller_disconnects",
        Outcomes.Busy => "caller_busy",
        Outcomes.NoAnswer => "caller_not_responsive",
        Outcomes.Cancelled => "operator_disconnects",
        Outcomes.Rejected => "caller_disconnects",
        Outcomes.Unavailable => "caller_number_problems",
        Outcomes.Congestion => "operator_channels_busy",
        Outcomes.Failed => "numb_not_exists",
        _ => "no_operation",
    };

    private static Dictionary<string, string> Build(params (string Outcome, string[] Reasons)[] groups) =>
        groups.SelectMany(g => g.Reasons.Select(r => (r, g.Outcome))).ToDictionary(p => p.r, p => p.Outcome, StringComparer.Ordinal);
}
