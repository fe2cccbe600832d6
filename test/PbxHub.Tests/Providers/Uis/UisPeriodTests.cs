using PbxHub.Providers.Uis;

namespace PbxHub.Tests.Providers.Uis;

/// <summary>The Data API's periods: at most a month per request, wall-clock seconds in the account's zone (docs/providers/uis.md#call-history).</summary>
public sealed class UisPeriodTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Fact]
    public void Split_FourMonths_OneCalendarMonthPerRequestWithTheLastSecondInside()
    {
        var since = new DateTimeOffset(2026, 1, 31, 21, 0, 0, TimeSpan.Zero);

        var periods = UisPeriod.Split(since, since.AddMonths(4), Moscow).Select(p => p.ToString()).ToList();

        Assert.Equal(
            [
                "2026-02-01 00:00:00…2026-02-28 23:59:59", "2026-03-01 00:00:00…2026-03-28 23:59:59", "2026-03-29 00:00:00…2026-04-28 23:59:59",
                "2026-04-29 00:00:00…2026-05-28 23:59:59", "2026-05-29 00:00:00…2026-05-31 23:59:59",
            ],
            periods);
    }

    [Fact]
    public void Of_UntilWithinASecond_TillIsTheLastWholeSecondBefore()
    {
        var since = new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero);

        var period = UisPeriod.Of(since, since.AddMinutes(15), Moscow);

        Assert.Equal(("2026-12-01 10:00:00", "2026-12-01 10:14:59"), (period.From, period.Till));
    }

    [Fact]
    public void Halves_APeriod_TwoAdjacentPeriodsAndNoneForAMinute()
    {
        var since = new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero);
        var halves = UisPeriod.Of(since, since.AddHours(2), Moscow).Halves(Moscow)!.Value;

        Assert.Equal((since, since.AddHours(1)), (halves.First.Since, halves.First.Until));
        Assert.Equal((since.AddHours(1), since.AddHours(2)), (halves.Second.Since, halves.Second.Until));
        Assert.Null(UisPeriod.Of(since, since.AddMinutes(1), Moscow).Halves(Moscow));
    }
}
