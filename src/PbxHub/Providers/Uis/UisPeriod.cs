using System.Globalization;
using System.Text.Json.Nodes;

namespace PbxHub.Providers.Uis;

/// <summary>
/// One request's period: the instants [<see cref="Since"/>, <see cref="Until"/>) and the Data API's
/// <c>date_from</c>/<c>date_till</c> for them, wall-clock seconds in the account's zone with <c>date_till</c> the last
/// second inside (docs/providers/uis.md#call-history).
/// </summary>
internal sealed record UisPeriod(DateTimeOffset Since, DateTimeOffset Until, string From, string Till)
{
    /// <summary>
    /// The Data API refuses periods over 3 months (<c>date_interval_limit_reached</c>); a request covers at most one
    /// calendar month, well inside that whatever the months' lengths.
    /// </summary>
    public static IEnumerable<UisPeriod> Split(DateTimeOffset since, DateTimeOffset until, TimeZoneInfo zone)
    {
        for (var start = since; start < until;)
        {
            var end = start.AddMonths(1) < until ? start.AddMonths(1) : until;
            yield return Of(start, end, zone);
            start = end;
        }
    }

    public static UisPeriod Of(DateTimeOffset since, DateTimeOffset until, TimeZoneInfo zone) =>
        new(since, until, Wall(since, zone), Wall(until.AddTicks(-1), zone));

    /// <summary>The two halves, for a period with more calls than paging can reach; null when a minute or less.</summary>
    public (UisPeriod First, UisPeriod Second)? Halves(TimeZoneInfo zone)
    {
        if (Until - Since <= TimeSpan.FromMinutes(1))
        {
            return null;
        }

        var middle = Since + ((Until - Since) / 2);
        return (Of(Since, middle, zone), Of(middle, Until, zone));
    }

    /// <summary>
    /// The same start, through the latest <c>finish_time</c> of <paramref name="calls"/>: legs start while their call
    /// goes on, so a call started near the end of the period has legs after it.
    /// </summary>
    public UisPeriod Through(IEnumerable<string> calls, TimeZoneInfo zone)
    {
        var latest = Until;
        foreach (var call in calls)
        {
            if (LocalTimes.Parse(JsonNode.Parse(call)?["finish_time"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null, zone) is { } finished
                && finished >= latest)
            {
                latest = finished.AddSeconds(1);
            }
        }

        return this with { Till = Wall(latest.AddTicks(-1), zone) };
    }

    public override string ToString() => $"{From}…{Till}";

    private static string Wall(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString(UisDataApi.TimeFormat, CultureInfo.InvariantCulture);
}
