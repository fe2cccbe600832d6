using System.Globalization;
using PbxHub.Accounts;
using PbxHub.Calls;

namespace PbxHub.Api;

internal sealed record Distribution(double Average, int P50, int P90, int Max);

/// <summary>A row's figures over its calls of one direction, defined as the row's own (docs/statistics.md).</summary>
internal sealed record DirectionStats(int Calls, int Ended, int Answered, int Unanswered, double? AnswerRate, Distribution? Wait, Distribution? Talk);

internal sealed record StatsGroup(
    string Key, int Calls, int Answered, int Missed, int Ended, double? AnswerRate, Distribution? Wait, Distribution? Talk,
    int? Legs = null, int? MissedLegs = null, int? TalkSeconds = null)
{
    public required DirectionStats Inbound { get; init; }
    public required DirectionStats Outbound { get; init; }
}

internal sealed record StatsView(string TimeZone, string? By, StatsGroup Total, IReadOnlyList<StatsGroup> Groups);

/// <summary>
/// Counts, answer rate and wait/talk distributions over a set of calls, in all and by day, hour (in
/// the given time zone) or employee. Every figure but <c>calls</c> is over ended calls; an employee's
/// row counts their own part in each call (<see cref="StatsTakes"/>). Definitions: docs/statistics.md.
/// </summary>
internal static class CallStats
{
    public static StatsView Of(IReadOnlyList<CallRecord> calls, string? by, TimeZoneInfo zone)
    {
        var takes = calls.Select(StatsTakes.OfCall).ToList();
        return new(zone.Id, by, Group("total", takes), by switch
        {
            "day" => ByKey(takes, t => Local(t.Call, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            "hour" => ByKey(takes, t => Local(t.Call, zone).ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture)),
            "party" => calls.SelectMany(StatsTakes.OfEmployees).GroupBy(x => x.Employee, x => x.Take)
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, [.. g], party: true)).ToList(),
            _ => [],
        });
    }

    /// <summary>
    /// The zone days and hours are read in when none is asked for: the account's, else the one all the
    /// accounts share, else UTC.
    /// </summary>
    public static TimeZoneInfo ZoneOf(string? account, IReadOnlyList<Account> accounts)
    {
        var zones = (string.IsNullOrEmpty(account) ? accounts : accounts.Where(a => a.Id == account)).Select(a => a.TimeZone).Distinct().ToList();
        return zones.Count == 1 && TimeZoneInfo.TryFindSystemTimeZoneById(zones[0], out var zone) ? zone : TimeZoneInfo.Utc;
    }

    private static List<StatsGroup> ByKey(List<StatsTake> takes, Func<StatsTake, string> key) =>
        takes.GroupBy(key).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, [.. g])).ToList();

    private static DateTime Local(CallRecord call, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(call.StartedAt, zone).DateTime;

    private static StatsGroup Group(string key, IReadOnlyList<StatsTake> takes, bool party = false)
    {
        var ended = takes.Where(t => t.Call.State == CallStates.Ended).ToList();
        var answered = ended.Where(t => t.Answered).ToList();
        return new StatsGroup(
            key, takes.Count, answered.Count, ended.Count(t => t.Call.Outcome == Outcomes.Missed), ended.Count,
            Rate(answered.Count, ended.Count), Distribute(ended.Select(t => t.Wait)), Distribute(answered.Select(t => t.Talk)),
            party ? ended.Sum(t => t.Legs) : null, party ? ended.Sum(t => t.MissedLegs) : null, party ? answered.Sum(t => t.Talk) : null)
        {
            Inbound = Direction(takes, Directions.Inbound),
            Outbound = Direction(takes, Directions.Outbound),
        };
    }

    private static DirectionStats Direction(IReadOnlyList<StatsTake> takes, string direction)
    {
        var all = takes.Where(t => t.Call.Direction == direction).ToList();
        var ended = all.Where(t => t.Call.State == CallStates.Ended).ToList();
        var answered = ended.Where(t => t.Answered).ToList();
        return new DirectionStats(
            all.Count, ended.Count, answered.Count, ended.Count - answered.Count, Rate(answered.Count, ended.Count),
            Distribute(ended.Select(t => t.Wait)), Distribute(answered.Select(t => t.Talk)));
    }

    private static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

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
