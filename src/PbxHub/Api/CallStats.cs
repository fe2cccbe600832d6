using System.Globalization;
using PbxHub.Calls;

namespace PbxHub.Api;

internal sealed record Distribution(double Average, int P50, int P90, int Max);

internal sealed record StatsGroup(
    string Key, int Calls, int Answered, int Missed, int Ended, double? AnswerRate, Distribution? Wait, Distribution? Talk,
    int? Legs = null, int? MissedLegs = null, int? TalkSeconds = null);

internal sealed record StatsView(string TimeZone, string? By, StatsGroup Total, IReadOnlyList<StatsGroup> Groups);

/// <summary>
/// Counts, answer rate and wait/talk distributions over a set of calls, in all and by day, hour (in
/// the given time zone) or party (each employee or number rung: legs, missed legs, talk time).
/// Wait is counted for every ended call, talk for answered ones; the answer rate is over ended calls.
/// </summary>
internal static class CallStats
{
    public static StatsView Of(IReadOnlyList<CallRecord> calls, string? by, TimeZoneInfo zone) => new(
        zone.Id, by, Group("total", calls), by switch
        {
            "day" => calls.GroupBy(c => Local(c, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, [.. g])).ToList(),
            "hour" => calls.GroupBy(c => Local(c, zone).ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture))
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, [.. g])).ToList(),
            "party" => ByParty(calls),
            _ => [],
        });

    private static DateTime Local(CallRecord call, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(call.StartedAt, zone).DateTime;

    private static StatsGroup Group(string key, IReadOnlyList<CallRecord> calls)
    {
        var ended = calls.Where(c => c.State == CallStates.Ended).ToList();
        var answered = ended.Count(c => c.Outcome == Outcomes.Answered);
        return new StatsGroup(
            key, calls.Count, answered, ended.Count(c => c.Outcome == Outcomes.Missed), ended.Count,
            ended.Count == 0 ? null : Math.Round((double)answered / ended.Count, 4),
            Distribute(ended.Select(c => c.WaitSeconds)),
            Distribute(ended.Where(c => c.Outcome == Outcomes.Answered).Select(c => c.TalkSeconds)));
    }

    private static List<StatsGroup> ByParty(IReadOnlyList<CallRecord> calls)
    {
        var legs = calls.SelectMany(c => c.Legs.Select(l => (Call: c, Leg: l))).ToList();
        return legs.GroupBy(x => Name(x.Leg.Party)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var answeredLegs = g.Where(x => x.Leg.AnsweredAt is not null).ToList();
            var talk = answeredLegs.Select(x => Seconds(x.Leg.AnsweredAt!.Value, x.Leg.EndedAt)).ToList();
            var answeredCalls = g.Select(x => x.Call).Where(c => c.AnsweredBy is { } p && Name(p) == g.Key).Distinct().ToList();
            return new StatsGroup(
                g.Key, g.Select(x => x.Call.Id).Distinct().Count(), answeredCalls.Count, 0, 0, null,
                Distribute(answeredCalls.Select(c => c.WaitSeconds)), Distribute(talk),
                g.Count(), g.Count(x => x.Leg.AnsweredAt is null && x.Leg.EndedAt is not null), talk.Sum());
        }).ToList();
    }

    private static string Name(Party party) => party.Extension ?? party.Number ?? party.Raw;

    private static int Seconds(DateTimeOffset from, DateTimeOffset? to) =>
        to is { } end && end > from ? (int)(end - from).TotalSeconds : 0;

    /// <summary>Nearest-rank percentiles: each is a value that was really observed.</summary>
    private static Distribution? Distribute(IEnumerable<int> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        int Rank(double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
        return new Distribution(Math.Round(sorted.Average(), 2), Rank(0.5), Rank(0.9), sorted[^1]);
    }
}
