using PbxHub.Calls;

namespace PbxHub.Api;

/// <summary>One call as a statistics row counts it: the call itself, or one employee's part in it.</summary>
internal sealed record StatsTake(CallRecord Call, bool Answered, int Wait, int Talk, int Legs = 0, int MissedLegs = 0);

/// <summary>
/// Who in a call is an employee, and what each did. The client (the caller of an inbound call, the
/// number an outbound call dials) is never one; an employee is a leg the PBX rang, or the extension
/// that placed an outbound or internal call. Definitions: docs/statistics.md.
/// </summary>
internal static class StatsTakes
{
    public static StatsTake OfCall(CallRecord call) =>
        new(call, call.Outcome == Outcomes.Answered, call.WaitSeconds, call.TalkSeconds);

    public static IEnumerable<(string Employee, StatsTake Take)> OfEmployees(CallRecord call)
    {
        var client = call.Direction switch
        {
            Directions.Inbound => call.From,
            Directions.Outbound => call.To,
            _ => null,
        };
        var legs = call.Legs.Where(l => client is null || l.Party.Key != client.Key).ToLookup(l => Name(l.Party));
        var caller = call.Direction != Directions.Inbound && call.From?.Extension is not null ? Name(call.From) : null;
        foreach (var employee in legs.Select(g => g.Key).Append(caller).OfType<string>().Distinct())
        {
            var own = legs[employee].ToList();
            // Placing a call (an outbound one, even when the PBX rings the employee's phone first): it is answered
            // when the other side answers. Being rung: when the employee answers, first or after a transfer.
            yield return (employee, employee == caller || call.Direction == Directions.Outbound ? Placed(call, own) : Rung(call, own));
        }
    }

    public static string Name(Party party) => party.Extension ?? party.Number ?? party.Raw;

    private static StatsTake Placed(CallRecord call, List<Leg> own) => new(
        call, call.Outcome == Outcomes.Answered, call.WaitSeconds, call.TalkSeconds, own.Count, own.Count(l => l.AnsweredAt is null));

    /// <summary>Wait: from the first ring of the employee to their answer, or, not answered, to the end of their last leg.</summary>
    private static StatsTake Rung(CallRecord call, List<Leg> own)
    {
        var answered = own.Where(l => l.AnsweredAt is not null).ToList();
        var rungAt = own.Min(l => l.StartedAt);
        var waitedUntil = answered.Count > 0 ? answered.Min(l => l.AnsweredAt!.Value) : own.Max(l => l.EndedAt) ?? call.EndedAt;
        return new StatsTake(
            call, answered.Count > 0, Seconds(rungAt, waitedUntil), answered.Sum(l => Seconds(l.AnsweredAt!.Value, l.EndedAt ?? call.EndedAt)),
            own.Count, own.Count - answered.Count);
    }

    private static int Seconds(DateTimeOffset from, DateTimeOffset? to) =>
        to is { } end && end > from ? (int)(end - from).TotalSeconds : 0;
}
