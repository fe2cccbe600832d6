using PbxHub.Providers;

namespace PbxHub.Tests.Providers;

public sealed class LocalTimesTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");
    private static readonly TimeZoneInfo Kyiv = TimeZoneInfo.FindSystemTimeZoneById("Europe/Kyiv");

    [Fact]
    public void Parse_SpecExampleInMoscow_IsThreeHoursEarlierInUtc()
    {
        Assert.Equal(DateTimeOffset.Parse("2021-01-28T11:15:22Z"), LocalTimes.Parse("2021-01-28 14:15:22", Moscow));
    }

    [Theory]
    [InlineData("2018-04-01 00:00:11", "2018-03-31T21:00:11Z")] // Evrotel's example, the day after Kyiv moved to summer time (UTC+3)
    [InlineData("2018-03-24 00:00:11", "2018-03-23T22:00:11Z")] // a week before, winter time (UTC+2)
    [InlineData("2018-03-25 02:59:59", "2018-03-25T00:59:59Z")] // just before the change at 03:00 local
    [InlineData("2018-03-25 04:00:00", "2018-03-25T01:00:00Z")] // just after it: 03:00–03:59 never shows on a clock
    [InlineData("2018-10-28 02:59:59", "2018-10-27T23:59:59Z")] // summer time, before clocks go back at 04:00
    [InlineData("2018-10-28 04:00:00", "2018-10-28T02:00:00Z")] // winter time again
    public void Parse_KyivAcrossDaylightSavingChanges_UsesTheOffsetInForceThen(string local, string utc)
    {
        Assert.Equal(DateTimeOffset.Parse(utc), LocalTimes.Parse(local, Kyiv));
    }

    [Fact]
    public void Parse_RepeatedHourWhenClocksGoBack_TakesTheFirstPass()
    {
        // 03:30 on 2018-10-28 happened twice in Kyiv: at 00:30Z (summer time) and at 01:30Z (winter time).
        Assert.Equal(DateTimeOffset.Parse("2018-10-28T00:30:00Z"), LocalTimes.Parse("2018-10-28 03:30:00", Kyiv));
    }

    [Fact]
    public void Parse_SkippedHourWhenClocksGoForward_IsReadWithTheOffsetBefore()
    {
        Assert.Equal(DateTimeOffset.Parse("2018-03-25T01:30:00Z"), LocalTimes.Parse("2018-03-25 03:30:00", Kyiv));
    }

    [Theory]
    [InlineData("2021-01-28T14:15:22+05:00", "2021-01-28T09:15:22Z")]
    [InlineData("2021-01-28 14:15:22Z", "2021-01-28T14:15:22Z")]
    public void Parse_ExplicitOffset_IsTakenAsWritten(string text, string utc)
    {
        Assert.Equal(DateTimeOffset.Parse(utc), LocalTimes.Parse(text, Moscow));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2021-13-28 14:15:22")]
    [InlineData("1611843322")]
    [InlineData("0001-01-01 00:00:00")]
    [InlineData("9999-12-31 23:59:59")]
    public void Parse_NotATime_IsNull(string? text)
    {
        Assert.Null(LocalTimes.Parse(text, Moscow));
    }
}
